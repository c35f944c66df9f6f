package io.nccsim.cli;

import io.nccsim.capture.DecoderTokenizer;
import io.nccsim.capture.LlamaConfig;
import io.nccsim.common.BadInputException;
import io.nccsim.fidelity.CodecSpec;
import io.nccsim.fidelity.DecoderRun;
import io.nccsim.fidelity.EvalText;
import io.nccsim.fidelity.Fidelity;
import io.nccsim.fidelity.FidelityReport;
import io.nccsim.fidelity.FidelityRow;
import io.nccsim.fidelity.FidelityTable;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.report.OutputDir;
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
 * {@code nccsim fidelity}: runs a Llama-family decoder with its weights (and KV cache) through each codec setting
 * and compares it with the model as stored, on a fixed text and a greedy continuation.
 */
@Command(name = "fidelity", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Run a Llama-family decoder (llama2.c checkpoint, GGUF, or safetensors with config.json) "
                + "with its weights and KV cache passed through each codec setting and compare it with the fp32 "
                + "reference: top-1 next-token agreement, "
                + "perplexity, KL(reference || codec) of the next-token distributions, and whether the greedy "
                + "continuation from BOS is unchanged. Writes fidelity.csv, fidelity.md and report.json.",
            "Codec setting: lossless | WEIGHTS[+huffman][,kv=fp32|fp16|int8][,prune=FRACTION], WEIGHTS one of "
                + "fp32, fp16, bf16, int{8,4,3,2}-{gN,channel,tensor}[-sym|-asym|-auto], e.g. "
                + "int4-g32-auto+huffman or int4-g32-sym,kv=int8,prune=0.2."})
public final class FidelityCommand implements Callable<Integer> {
    static final int DEFAULT_TOKENS = 64;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "llama2.c checkpoint (.bin), GGUF (.gguf) or safetensors (.safetensors) decoder")
    Path model;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Hugging Face config.json of a safetensors model (default: config.json beside it)")
    Path config;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "llama2.c tokenizer.bin or Hugging Face tokenizer.json (default: tok<vocab_size>.bin, "
                    + "else tokenizer.bin, else tokenizer.json, beside --model)")
    Path tokenizer;

    @Option(names = "--codec", required = true, paramLabel = "SPEC",
            description = "codec setting to evaluate (repeatable), e.g. int8-channel-sym")
    List<String> codecs = new ArrayList<>();

    @Option(names = "--text", paramLabel = "FILE",
            description = "UTF-8 text to evaluate on (default: a built-in TinyStories-style paragraph)")
    Path text;

    @Option(names = "--tokens", paramLabel = "N", defaultValue = "" + DEFAULT_TOKENS,
            description = "greedy tokens to generate from BOS (default ${DEFAULT-VALUE})")
    int tokens;

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
        InputFiles.require(model, "--model", "no such model file");
        if (tokenizer != null) {
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
