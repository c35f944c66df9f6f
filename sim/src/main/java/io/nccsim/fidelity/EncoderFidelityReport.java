package io.nccsim.fidelity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nccsim.report.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * The files of an encoder's fidelity run, named as a decoder's are: {@code fidelity.csv}, {@code fidelity.md} and
 * {@code report.json}, and the table printed. Nothing in them depends on the time or the machine, so the same
 * inputs give the same bytes.
 *
 * @param version     nccsim's version
 * @param modelPath   the model file as given on the command line
 * @param modelFormat the loader's format id
 * @param modelSha256 hex sha256 of the model file's bytes (of the entry, for a model inside a jar)
 * @param parameters  weight elements in the model file
 * @param tokenizer   the tokenizer file as used
 * @param heads       attention heads the encoder was run with
 * @param source      where the sentences came from: "built-in" or the file's path
 * @param sentences   the sentences embedded
 * @param rows        the reference row first, then one per codec setting, in the order given
 */
public record EncoderFidelityReport(String version, String modelPath, String modelFormat, String modelSha256,
                                    long parameters, String tokenizer, int heads, String source,
                                    List<String> sentences, List<EncoderFidelityRow> rows) {
    private static final String[] HEADERS = {"codec", "bits/weight", "cosine mean", "cosine min", "max abs diff",
        "embeddings"};
    private static final boolean[] NUMERIC = {false, true, true, true, true, false};
    private static final String[] CSV_HEADERS = {"codec", "bits_per_weight", "sentences", "cosine_mean",
        "cosine_min", "max_abs_diff", "embeddings_identical", "huffman_symbols_checked"};

    public EncoderFidelityReport {
        sentences = List.copyOf(sentences);
        rows = List.copyOf(rows);
    }

    /** The table as printed on the terminal. */
    public String text() {
        return TextTable.text(HEADERS, NUMERIC, readable());
    }

    public String csv() {
        List<String[]> cells = new ArrayList<>();
        for (EncoderFidelityRow r : rows) {
            cells.add(new String[]{r.codec(), TextTable.num(r.bitsPerWeight()), Integer.toString(r.sentences()),
                TextTable.num(r.meanCosine()), TextTable.num(r.minCosine()), TextTable.num(r.maxAbsDiff()),
                Boolean.toString(r.identical()), Long.toString(r.huffmanSymbols())});
        }
        return TextTable.csv(CSV_HEADERS, cells);
    }

    /** The table with a few lines saying what was run and what the columns mean. */
    public String markdown() {
        return head().markdown("fp32 weights as stored")
                + "Sentences: " + source + ", " + sentences.size() + " of them.\n\n"
                + TextTable.markdown(HEADERS, NUMERIC, readable()) + "\n"
                + "bits/weight: stored bits per weight over the whole model file (symbols, fp16 scales and zero "
                + "points, Huffman tables and block overhead; vectors at fp32). cosine: cosine similarity of each "
                + "sentence's embedding with the reference's, mean and minimum over the sentences. max abs diff: the "
                + "largest difference of any embedding element. embeddings: whether every element equals the "
                + "reference's bit for bit.\n";
    }

    public String json() {
        ObjectNode root = head().json();
        ObjectNode model = (ObjectNode) root.get("model");
        model.put("kind", "encoder");
        model.put("heads", heads);
        ObjectNode s = root.putObject("sentences");
        s.put("source", source);
        s.put("count", sentences.size());
        ReportHead.putHuffman(root);
        ArrayNode list = root.putArray("rows");
        for (EncoderFidelityRow r : rows) {
            ObjectNode o = list.addObject();
            o.put("codec", r.codec());
            o.put("bits_per_weight", r.bitsPerWeight());
            o.put("sentences", r.sentences());
            o.put("cosine_mean", r.meanCosine());
            o.put("cosine_min", r.minCosine());
            o.put("max_abs_diff", r.maxAbsDiff());
            o.put("embeddings_identical", r.identical());
            o.put("huffman_symbols_checked", r.huffmanSymbols());
        }
        return Json.write(root);
    }

    private ReportHead head() {
        return new ReportHead(version, modelPath, modelFormat, modelSha256, parameters, "fp32 BERT encoder (" + heads
                + " heads, mean pooling, L2 normalization)", tokenizer);
    }

    private List<String[]> readable() {
        List<String[]> cells = new ArrayList<>();
        for (EncoderFidelityRow r : rows) {
            cells.add(new String[]{r.codec(), TextTable.fixed(r.bitsPerWeight(), 3), TextTable.fixed(r.meanCosine(), 6),
                TextTable.fixed(r.minCosine(), 6), r.maxAbsDiff() == 0 ? "0" : String.format(java.util.Locale.ROOT,
                "%.3e", r.maxAbsDiff()), r.identical() ? "identical" : "differ"});
        }
        return cells;
    }
}
