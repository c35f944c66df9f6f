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
 * {@code nccsim capture}: runs a real llama2.c model on a prompt and writes the trace of that inference, with
 * CAPTURED content (the deployed weights' real symbols, the KV-cache codes actually stored).
 */
@Command(name = "capture", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run a real model (llama2.c checkpoint) on a prompt with its weights deployed in a given "
                + "format, print the generated text, and write the inference's memory trace with CAPTURED content.")
public final class CaptureCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "llama2.c checkpoint (.bin)")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "llama2.c tokenizer (default: the one tok*.bin beside the model, if there is exactly one)")
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
        Path tok = tokenizer != null ? tokenizer : defaultTokenizer(model);
        InputFiles.require(tok, "--tokenizer", "no such tokenizer file");
        InputFiles.checkOutputFile(output, force);
        if (contentBlock < 64 || contentBlock > (1 << 24)) {
            throw new BadInputException("--content-block " + contentBlock + ": expected 64..16777216 elements");
        }
        WeightQuant q = WeightQuant.parse(weights, "--weights");
        TraceCapture.Options options = new TraceCapture.Options(model, tok, prompt, maxNewTokens, q,
                KvPrecision.parse(kv, "--kv"), temperature, topP, seed, contentBlock,
                "nccsim " + Version.get() + " capture");
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

    /** The one {@code tok*.bin} in the model's folder; otherwise --tokenizer is required. */
    static Path defaultTokenizer(Path model) {
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
