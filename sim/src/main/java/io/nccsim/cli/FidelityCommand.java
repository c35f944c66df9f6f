package io.nccsim.cli;

import io.nccsim.capture.BertConfig;
import io.nccsim.capture.BertModel;
import io.nccsim.capture.DecoderTokenizer;
import io.nccsim.capture.KvPrecision;
import io.nccsim.capture.Llama2cTokenizer;
import io.nccsim.capture.LlamaConfig;
import io.nccsim.common.BadInputException;
import io.nccsim.fidelity.CodecSpec;
import io.nccsim.fidelity.DecoderRun;
import io.nccsim.fidelity.EncoderFidelity;
import io.nccsim.fidelity.EncoderFidelityReport;
import io.nccsim.fidelity.EncoderFidelityRow;
import io.nccsim.fidelity.EvalText;
import io.nccsim.fidelity.Fidelity;
import io.nccsim.fidelity.FidelityReport;
import io.nccsim.fidelity.FidelityRow;
import io.nccsim.fidelity.FidelityTable;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.model.OnnxDynamicQuantization;
import io.nccsim.report.OutputDir;
import io.nccsim.tokenizer.HfTokenizer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code nccsim fidelity}: runs a model with its weights (and a decoder's KV cache) through each codec setting and
 * compares it with the model as stored: a Llama-family decoder on a fixed text and a greedy continuation, a BERT
 * encoder (all-MiniLM-L6-v2) by the cosine similarity of its sentence embeddings.
 */
@Command(name = "fidelity", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Run a model with its weights passed through each codec setting and compare it with the fp32 "
                + "reference. A Llama-family decoder (llama2.c checkpoint, GGUF, or safetensors with config.json; "
                + "its KV cache too): top-1 next-token agreement, perplexity, KL(reference || codec) of the "
                + "next-token distributions, and whether the greedy continuation from BOS is unchanged. A BERT "
                + "encoder (ONNX, e.g. all-MiniLM-L6-v2, also as JAR!/ENTRY; --tokenizer its tokenizer.json): cosine "
                + "similarity of the sentence embeddings (mean and min over sentences), max abs difference, "
                + "bit-identity. Writes fidelity.csv, fidelity.md and report.json.",
            "Codec setting: lossless | WEIGHTS[+huffman][,kv=fp32|fp16|int8][,prune=FRACTION], WEIGHTS one of "
                + "fp32, fp16, bf16, int{8,4,3,2}-{gN,channel,tensor}[-sym|-asym|-auto], e.g. "
                + "int4-g32-auto+huffman or int4-g32-sym,kv=int8,prune=0.2 (kv= is for decoders only)."})
public final class FidelityCommand implements Callable<Integer> {
    static final int DEFAULT_TOKENS = 64;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "llama2.c checkpoint (.bin), GGUF (.gguf) or safetensors (.safetensors) decoder, or a "
                    + "BERT encoder's .onnx (also ARCHIVE.jar!/ENTRY)")
    Path model;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Hugging Face config.json of a safetensors model (default: config.json beside it)")
    Path config;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "decoder: llama2.c tokenizer.bin or Hugging Face tokenizer.json (default: "
                    + "tok<vocab_size>.bin, else tokenizer.bin, else tokenizer.json, beside --model); encoder: its "
                    + "tokenizer.json (required; also ARCHIVE.jar!/ENTRY)")
    Path tokenizer;

    @Option(names = "--codec", required = true, paramLabel = "SPEC",
            description = "codec setting to evaluate (repeatable), e.g. int8-channel-sym")
    List<String> codecs = new ArrayList<>();

    @Option(names = "--text", paramLabel = "FILE",
            description = "UTF-8 text to evaluate on (default: a built-in TinyStories-style paragraph); for an "
                    + "encoder, sentences to embed, one per line (default: 8 built-in sentences)")
    Path text;

    @Option(names = "--tokens", paramLabel = "N",
            description = "decoder: greedy tokens to generate from BOS (default " + DEFAULT_TOKENS + ")")
    Integer tokensOption;

    @Option(names = "--heads", paramLabel = "N",
            description = "encoder: attention heads, the model's num_attention_heads, which its weights cannot show "
                    + "(default " + BertConfig.MINILM_HEADS + ", all-MiniLM-L6-v2's)")
    Integer heads;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Report directory (default: reports/fidelity-<model>-<timestamp>/)")
    Path out;

    @Option(names = "--force", description = "Replace a non-empty --out directory")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        InputFiles.requireModel(model, "--model");
        if (tokenizer != null && !tokenizer.toString().contains("!/")) {
            InputFiles.require(tokenizer, "--tokenizer", "no such tokenizer file");
        }
        if (config != null) {
            InputFiles.require(config, "--config", "no such config.json");
        }
        if (text != null) {
            InputFiles.require(text, "--text", "no such text file");
        }
        List<CodecSpec> specs = parseCodecs();
        Path outDir = out != null ? out : InputFiles.defaultReportDir("fidelity-", model);
        OutputDir.checkWritable(outDir, force);

        ModelFile file = ModelLoaders.load(model);
        if (BertModel.isEncoder(file)) {
            if (config != null) {
                throw new BadInputException("--config: " + model + " is an encoder; config.json is for safetensors "
                        + "decoders; leave --config out");
            }
            return encoder(file, specs, outDir, stdout);
        }
        if (heads != null) {
            throw new BadInputException("--heads: " + model + " is a decoder, whose heads its file states; leave "
                    + "--heads out");
        }
        int tokens = tokensOption == null ? DEFAULT_TOKENS : tokensOption;
        LlamaConfig modelConfig = LlamaConfig.of(file, config);
        int seqLen = modelConfig.seqLen();
        if (tokens < 1 || tokens >= seqLen) {
            throw new BadInputException("--tokens " + tokens + ": expected 1.." + (seqLen - 1)
                    + " (the model's context is " + seqLen + " positions, BOS takes one)");
        }
        Path tokenizerFile = tokenizer != null ? tokenizer : defaultTokenizer(modelConfig.vocabSize());
        DecoderTokenizer tok = DecoderTokenizer.load(tokenizerFile, modelConfig.vocabSize());
        EvalText eval = text != null ? EvalText.load(text, "--text") : EvalText.builtIn();
        int[] ids = tok.encodePrompt(eval.text());
        if (ids.length > seqLen) {
            throw new BadInputException((text != null ? "--text " + text : "the built-in text") + ": "
                    + ids.length + " tokens with BOS; expected at most " + seqLen
                    + " (the model's context); shorten the text");
        }

        Fidelity fidelity = new Fidelity(file, modelConfig, tok, ids, tokens);
        List<FidelityRow> rows = new ArrayList<>();
        List<String> greedy = new ArrayList<>();
        rows.add(fidelity.referenceRow());
        greedy.add(decode(tok, fidelity.referenceRun()));
        for (CodecSpec s : specs) {
            Fidelity.CodecRun run = fidelity.run(s);
            rows.add(run.row());
            greedy.add(decode(tok, run.run()));
        }
        FidelityReport report = new FidelityReport(Version.get(), model.toString().replace('\\', '/'),
                file.format(), file.sha256(), file.parameters(), tokenizerFile.toString().replace('\\', '/'),
                eval, ids.length, tokens, rows, greedy);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("fidelity.csv", report.csv());
        files.put("fidelity.md", report.markdown());
        files.put("report.json", report.json());
        OutputDir.write(outDir, force, files);
        stdout.print(FidelityTable.text(rows));
        stdout.println("report: " + outDir);
        return CommandLine.ExitCode.OK;
    }

    /** An encoder: each setting's sentence embeddings against the reference's. */
    private Integer encoder(ModelFile file, List<CodecSpec> specs, Path outDir, PrintWriter stdout) {
        if (tokensOption != null) {
            throw new BadInputException("--tokens: " + model + " is an encoder, which generates nothing; leave it "
                    + "out");
        }
        for (CodecSpec s : specs) {
            if (s.kv() != KvPrecision.FP32) {
                throw new BadInputException("--codec '" + s.id() + "': kv= sets a decoder's KV cache, and " + model
                        + " is an encoder, which has none; leave kv= out");
            }
        }
        if (tokenizer == null) {
            throw new BadInputException("--tokenizer: required for an encoder (" + model + "); give its "
                    + "tokenizer.json, e.g. JAR!/all-minilm-l6-v2-tokenizer.json for all-MiniLM-L6-v2's jar");
        }
        HfTokenizer tok = HfTokenizer.read(tokenizer);
        List<String> sentences = text != null ? EvalText.load(text, "--text").lines() : EncoderFidelity.BUILT_IN;
        int h = heads == null ? BertConfig.MINILM_HEADS : heads;
        if (OnnxDynamicQuantization.isQuantized(file)) {
            throw new BadInputException("--model " + model + ": stores int8 weights already (onnxruntime's dynamic "
                    + "quantization); fidelity codes the fp32 weights and compares with them: give the fp32 file "
                    + "(all-minilm-l6-v2.onnx for MiniLM)");
        }
        BertModel.of(file, h); // a wrong --heads fails here, naming the model, before any work
        EncoderFidelity fidelity;
        try {
            fidelity = new EncoderFidelity(file, tok, h, sentences);
        } catch (BadInputException e) {
            // What is left to go wrong is a sentence (too many tokens): say which input it came from.
            throw new BadInputException((text != null ? "--text " + text : "built-in sentences") + ": "
                    + e.getMessage(), e);
        }
        List<EncoderFidelityRow> rows = new ArrayList<>();
        rows.add(fidelity.referenceRow());
        for (CodecSpec s : specs) {
            rows.add(fidelity.run(s).row());
        }
        EncoderFidelityReport report = new EncoderFidelityReport(Version.get(), model.toString().replace('\\', '/'),
                file.format(), file.sha256(), file.parameters(), tokenizer.toString().replace('\\', '/'), h,
                text != null ? text.toString().replace('\\', '/') : "built-in", sentences, rows);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("fidelity.csv", report.csv());
        files.put("fidelity.md", report.markdown());
        files.put("report.json", report.json());
        OutputDir.write(outDir, force, files);
        stdout.print(report.text());
        stdout.println("report: " + outDir);
        return CommandLine.ExitCode.OK;
    }

    /** Every --codec parsed before any work, so a typo in the last one costs nothing; a setting twice is refused. */
    private List<CodecSpec> parseCodecs() {
        List<CodecSpec> specs = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (String c : codecs) {
            CodecSpec s = CodecSpec.parse(c, "--codec");
            String earlier = seen.putIfAbsent(s.id(), c);
            if (earlier != null) {
                throw new BadInputException("--codec '" + c + "': the same setting as --codec '" + earlier
                        + "' (" + s.id() + "); expected each setting once");
            }
            specs.add(s);
        }
        return specs;
    }

    /**
     * llama2.c names its tokenizers tok&lt;vocab&gt;.bin (custom vocabularies) or tokenizer.bin (Llama 2's); Hugging
     * Face's is tokenizer.json.
     */
    private Path defaultTokenizer(int vocabSize) {
        Path sized = model.resolveSibling("tok" + vocabSize + ".bin");
        Path plain = model.resolveSibling("tokenizer.bin");
        Path json = model.resolveSibling("tokenizer.json");
        for (Path p : List.of(sized, plain, json)) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new BadInputException("--tokenizer: not given, and none of " + sized + ", " + plain + ", " + json
                + " exists; pass the model's tokenizer with --tokenizer FILE");
    }

    private static String decode(DecoderTokenizer tok, DecoderRun run) {
        return tok.decode(run.continuation());
    }
}
