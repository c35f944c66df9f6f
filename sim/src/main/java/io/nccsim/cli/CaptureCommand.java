package io.nccsim.cli;

import io.nccsim.capture.KvPrecision;
import io.nccsim.capture.TraceCapture;
import io.nccsim.codec.WeightQuant;
import io.nccsim.common.BadInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/**
 * {@code nccsim capture}: runs a real Llama-family model (llama2.c checkpoint, GGUF, or safetensors with its
 * config.json) on a prompt and writes the trace of that inference, with
 * CAPTURED content (the deployed weights' real symbols, the KV-cache codes actually stored).
 */
@Command(name = "capture", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run a real Llama-family model (llama2.c checkpoint, GGUF, or safetensors with config.json) "
                + "on a prompt with its weights deployed in a given "
                + "format, print the generated text, and write the inference's memory trace with CAPTURED content.")
public final class CaptureCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "llama2.c checkpoint (.bin), GGUF (.gguf) or safetensors (.safetensors) decoder")
    Path model;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Hugging Face config.json of a safetensors model (default: config.json beside it)")
    Path config;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "llama2.c tokenizer.bin or Hugging Face tokenizer.json, told apart by content (default: "
                    + "the one tok*.bin beside a llama2.c model, tokenizer.json beside a safetensors model; "
                    + "required for GGUF)")
    Path tokenizer;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "prompt (\"\" starts from BOS alone)")
    String prompt;

    @Option(names = "--max-new-tokens", required = true, paramLabel = "N", description = "tokens to generate at most")
    int maxNewTokens;

    @Option(names = "--weights", required = true, paramLabel = "SPEC",
            description = "weight format the model is deployed in and run with, e.g. int4-g32-sym, int8-channel-sym, "
                    + "int4-g32-auto, fp16, or fp32 (unquantized)")
    String weights;

    @Option(names = "--kv", defaultValue = "int8", paramLabel = "fp32|fp16|int8",
            description = "KV-cache storage (default ${DEFAULT-VALUE})")
    String kv;

    @Option(names = "--temperature", defaultValue = "0", paramLabel = "T",
            description = "sampling temperature; 0 decodes greedily (default ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-p", defaultValue = "0.9", paramLabel = "P",
            description = "nucleus when sampling, as llama2.c (default ${DEFAULT-VALUE})")
    double topP;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "sampler seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--content-block", defaultValue = "4096", paramLabel = "N",
            description = "elements per weight-content histogram block (default ${DEFAULT-VALUE})")
    int contentBlock;

    @Option(names = "--print-tokens", description = "also print the generated token ids")
    boolean printTokens;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "trace to write")
    Path output;

    @Option(names = "--force", description = "replace an existing output file")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        InputFiles.require(model, "--model", "no such model file");
        if (config != null) {
            InputFiles.require(config, "--config", "no such config.json");
        }
        Path tok = tokenizer != null ? tokenizer : defaultTokenizer(model);
        InputFiles.require(tok, "--tokenizer", "no such tokenizer file");
        InputFiles.checkOutputFile(output, force);
        if (contentBlock < 64 || contentBlock > (1 << 24)) {
            throw new BadInputException("--content-block " + contentBlock + ": expected 64..16777216 elements");
        }
        WeightQuant q = WeightQuant.parse(weights, "--weights");
        TraceCapture.Options options = new TraceCapture.Options(model, config, tok, prompt, maxNewTokens, q,
                kvPrecision(kv), temperature, topP, seed, contentBlock, "nccsim " + Version.get() + " capture");
        TraceCapture.Result r = TraceCapture.capture(options, output);

        PrintWriter out = spec.commandLine().getOut();
        out.println(r.text());
        if (printTokens) {
            StringJoiner ids = new StringJoiner(" ", "tokens: ", "");
            for (int t : r.generation().generated()) {
                ids.add(Integer.toString(t));
            }
            out.println(ids);
        }
        out.printf(Locale.ROOT, "wrote %s (%d prompt tokens + %d decode steps, %d bytes, content: captured; "
                        + "%d forward passes in %.2f s)%n", output, r.generation().prompt().size(), r.decodeSteps(),
                r.traceBytes(), r.forwardPasses(), r.seconds());
        return CommandLine.ExitCode.OK;
    }

    private static KvPrecision kvPrecision(String s) {
        for (KvPrecision p : KvPrecision.values()) {
            if (p.name().equalsIgnoreCase(s)) {
                return p;
            }
        }
        throw new BadInputException("--kv: '" + s + "' is not a KV-cache type; expected fp32, fp16 or int8");
    }

    /**
     * The tokenizer beside the model: tokenizer.json for safetensors, the one {@code tok*.bin} for llama2.c. A GGUF
     * file's embedded vocabulary (tokenizer.ggml.*) is not read, so GGUF needs --tokenizer.
     */
    private static Path defaultTokenizer(Path model) {
        String name = model.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gguf")) {
            throw new BadInputException("--tokenizer: not given; nccsim does not read the vocabulary embedded in a "
                    + "GGUF file (tokenizer.ggml.*): pass the model's tokenizer.json with --tokenizer FILE");
        }
        if (name.endsWith(".safetensors")) {
            Path json = model.toAbsolutePath().resolveSibling("tokenizer.json");
            if (!Files.isRegularFile(json)) {
                throw new BadInputException("--tokenizer: not given, and there is no " + json + "; put the model's "
                        + "tokenizer.json beside it or pass --tokenizer FILE");
            }
            return json;
        }
        Path dir = model.toAbsolutePath().getParent();
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "tok*.bin")) {
            s.forEach(found::add);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list the model's folder: " + e.getMessage(), e);
        }
        if (found.size() != 1) {
            throw new BadInputException("--tokenizer: not given, and " + dir + " holds " + found.size()
                    + " files tok*.bin" + (found.isEmpty() ? "" : " " + found.stream()
                    .map(p -> p.getFileName().toString()).sorted().toList())
                    + "; expected exactly one beside the model, or pass --tokenizer FILE");
        }
        return found.get(0);
    }
}
