package io.nccsim.fidelity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nccsim.report.Json;

import java.util.List;

/**
 * The files of a fidelity run: {@code fidelity.csv}, {@code fidelity.md} and {@code report.json}. Nothing in them
 * depends on the time or the machine, so the same inputs give the same bytes.
 *
 * @param version      nccsim's version
 * @param modelPath    the model file as given on the command line
 * @param modelFormat  the loader's format id
 * @param modelSha256  hex sha256 of the model file's bytes
 * @param parameters   weight elements in the model
 * @param tokenizer    the tokenizer file as used
 * @param text         the evaluation text
 * @param textTokens   its tokens, BOS included
 * @param greedyTokens the greedy continuation's length limit
 * @param rows         the reference row first, then one per codec setting, in the order given
 * @param greedyTexts  each row's greedy continuation, decoded, in the same order as {@code rows}
 */
public record FidelityReport(String version, String modelPath, String modelFormat, String modelSha256,
                             long parameters, String tokenizer, EvalText text, int textTokens, int greedyTokens,
                             List<FidelityRow> rows, List<String> greedyTexts) {
    public FidelityReport {
        rows = List.copyOf(rows);
        greedyTexts = List.copyOf(greedyTexts);
        if (rows.size() != greedyTexts.size()) {
            throw new IllegalArgumentException(rows.size() + " rows, " + greedyTexts.size() + " continuations");
        }
    }

    public String csv() {
        return FidelityTable.csv(rows);
    }

    /** The table with a few lines saying what was run and what the columns mean. */
    public String markdown() {
        return head().markdown("fp32 weights and KV cache as stored")
                + "Text: " + text.source() + ", " + textTokens + " tokens with BOS (" + (textTokens - 1)
                + " teacher-forced predictions). Greedy continuation from BOS, at most " + greedyTokens
                + " tokens.\n\n"
                + FidelityTable.markdown(rows) + "\n"
                + "bits/weight: stored bits per weight over the whole model (symbols, fp16 scales and zero points, "
                + "Huffman tables and block overhead; norm gains at fp32). top-1 agree: fraction of positions whose "
                + "most likely next token is the reference's. KL: KL(reference || codec) of the next-token "
                + "distributions per position. logits: whether every logit equals the reference's bit for bit. "
                + "greedy: whether the greedy continuation is the reference's, or the first token where it differs "
                + "(counted from 0 after BOS).\n";
    }

    public String json() {
        ObjectNode root = head().json();
        ObjectNode t = root.putObject("text");
        t.put("source", text.source());
        t.put("characters", text.text().length());
        t.put("tokens_with_bos", textTokens);
        t.put("predicted_positions", textTokens - 1);
        ObjectNode g = root.putObject("greedy");
        g.put("from", "BOS");
        g.put("max_tokens", greedyTokens);
        ReportHead.putHuffman(root);
        ArrayNode list = root.putArray("rows");
        for (int i = 0; i < rows.size(); i++) {
            FidelityRow r = rows.get(i);
            ObjectNode o = list.addObject();
            o.put("codec", r.codec());
            o.put("kv", r.kv());
            o.put("bits_per_weight", r.bitsPerWeight());
            o.put("positions", r.positions());
            o.put("top1_agreement", r.top1Agreement());
            o.put("perplexity", r.perplexity());
            o.put("kl_mean_nats", r.meanKlNats());
            o.put("kl_max_nats", r.maxKlNats());
            o.put("logits_identical", r.logitsIdentical());
            o.put("greedy_tokens", r.greedyTokens());
            o.put("greedy_unchanged", r.continuationUnchanged());
            o.put("greedy_first_divergence", r.firstDivergence());
            o.put("huffman_symbols_checked", r.huffmanSymbols());
            o.put("greedy_text", greedyTexts.get(i));
        }
        return Json.write(root);
    }

    private ReportHead head() {
        return new ReportHead(version, modelPath, modelFormat, modelSha256, parameters, "fp32 Llama decoder",
                tokenizer);
    }
}
