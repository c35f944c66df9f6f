package io.nccsim.cli;

import io.nccsim.capture.BertConfig;
import io.nccsim.capture.BertModel;
import io.nccsim.capture.EncoderCapture;
import io.nccsim.capture.KvPrecision;
import io.nccsim.capture.TraceCapture;
import io.nccsim.codec.WeightQuant;
import io.nccsim.common.BadInputException;
import io.nccsim.fidelity.EvalText;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.tokenizer.HfTokenizer;
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
 * {@code nccsim capture}: runs a real model and writes the trace of that inference, with CAPTURED content (the
 * deployed weights' real symbols, and for a decoder the KV-cache codes actually stored). A Llama-family decoder
 * (llama2.c checkpoint, GGUF, or safetensors with its config.json) generates text from a prompt; a BERT encoder's
 * ONNX file (all-MiniLM-L6-v2, also read from inside its jar) embeds a sentence, or every line of a file of
 * sentences.
 */
@Command(name = "capture", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Run a real model with its weights deployed in a given format and write the inference's "
                + "memory trace with CAPTURED content.",
            "A Llama-family decoder (llama2.c checkpoint, GGUF, or safetensors with config.json) generates from "
                + "--prompt and prints the text; --max-new-tokens is required. An encoder (BERT ONNX file, e.g. "
                + "all-MiniLM-L6-v2, also as JAR!/ENTRY) embeds the sentences of --prompt (a file of one sentence "
                + "per line, or the text itself) and prints their count, tokens, a checksum of the embeddings and "
                + "the speed; it generates nothing, so --max-new-tokens, --kv, --temperature and --print-tokens "
                + "are refused."})
public final class CaptureCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "llama2.c checkpoint (.bin), GGUF (.gguf) or safetensors (.safetensors) decoder, or a "
                    + "BERT encoder's .onnx (also ARCHIVE.jar!/ENTRY)")
    Path model;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Hugging Face config.json of a safetensors model (default: config.json beside it)")
    Path config;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "decoder: llama2.c tokenizer.bin or Hugging Face tokenizer.json, told apart by content "
                    + "(default: the one tok*.bin beside a llama2.c model, tokenizer.json beside a safetensors "
                    + "model; required for GGUF); encoder: its tokenizer.json (required; also ARCHIVE.jar!/ENTRY)")
    Path tokenizer;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT|FILE",
            description = "decoder: prompt (\"\" starts from BOS alone); encoder: a file of sentences, one per line "
                    + "(blank lines skipped), when it names one, else one sentence")
    String prompt;

    @Option(names = "--max-new-tokens", paramLabel = "N",
            description = "tokens to generate at most (decoders: required)")
    Integer maxNewTokens;

    @Option(names = "--weights", required = true, paramLabel = "SPEC",
            description = "weight format the model is deployed in and run with, e.g. int4-g32-sym, int8-channel-sym, "
                    + "int4-g32-auto, fp16, or fp32 (unquantized)")
    String weights;

    @Option(names = "--kv", paramLabel = "fp32|fp16|int8",
            description = "KV-cache storage of a decoder (default " + DEFAULT_KV + ")")
    String kv;

    @Option(names = "--temperature", defaultValue = "0", paramLabel = "T",
            description = "sampling temperature; 0 decodes greedily (default ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-p", defaultValue = "0.9", paramLabel = "P",
            description = "nucleus when sampling, as llama2.c (default ${DEFAULT-VALUE})")
    double topP;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "sampler seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--heads", paramLabel = "N",
            description = "encoder: attention heads, the model's num_attention_heads, which its weights cannot show "
                    + "(default " + BertConfig.MINILM_HEADS + ", all-MiniLM-L6-v2's)")
    Integer heads;

    @Option(names = "--content-block", defaultValue = "4096", paramLabel = "N",
            description = "elements per weight-content histogram block (default ${DEFAULT-VALUE})")
    int contentBlock;

    @Option(names = "--print-tokens", description = "decoder: also print the generated token ids")
    boolean printTokens;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "trace to write")
    Path output;

    @Option(names = "--force", description = "replace an existing output file")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final String DEFAULT_KV = "int8";

    @Override
    public Integer call() {
        InputFiles.requireModel(model, "--model");
        if (config != null) {
            InputFiles.require(config, "--config", "no such config.json");
        }
        InputFiles.checkOutputFile(output, force);
        if (contentBlock < 64 || contentBlock > (1 << 24)) {
            throw new BadInputException("--content-block " + contentBlock + ": expected 64..16777216 elements");
        }
        WeightQuant q = WeightQuant.parse(weights, "--weights");
        ModelFile file = ModelLoaders.load(model);
        if (BertModel.isEncoder(file)) {
            if (config != null) {
                throw new BadInputException("--config: " + model + " is an encoder; config.json is for safetensors "
                        + "decoders; leave --config out");
            }
            return captureEncoder(file, q);
        }
        if (heads != null) {
            throw new BadInputException("--heads: " + model + " is a decoder, whose heads its file states; leave "
                    + "--heads out");
        }
        if (maxNewTokens == null) {
            throw new BadInputException("--max-new-tokens: required for a decoder (" + model + "); give the most "
                    + "tokens to generate, e.g. --max-new-tokens 64");
        }
        Path tok = tokenizer != null ? tokenizer : defaultTokenizer(model);
        InputFiles.require(tok, "--tokenizer", "no such tokenizer file");
        TraceCapture.Options options = new TraceCapture.Options(model, config, tok, prompt, maxNewTokens, q,
                KvPrecision.parse(kv == null ? DEFAULT_KV : kv, "--kv"), temperature, topP, seed, contentBlock,
                "nccsim " + Version.get() + " capture");
        TraceCapture.Result r = TraceCapture.capture(options, file, output);

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

    /** An encoder embeds sentences: the decoder's generation options mean nothing for it and are refused. */
    private Integer captureEncoder(ModelFile file, WeightQuant q) {
        String why = ": " + model + " is an encoder, which embeds sentences and generates nothing; leave it out";
        if (maxNewTokens != null) {
            throw new BadInputException("--max-new-tokens" + why);
        }
        if (kv != null) {
            throw new BadInputException("--kv" + why + " (an encoder has no KV cache)");
        }
        if (temperature != 0) {
            throw new BadInputException("--temperature" + why);
        }
        if (printTokens) {
            throw new BadInputException("--print-tokens" + why);
        }
        if (tokenizer == null) {
            throw new BadInputException("--tokenizer: required for an encoder (" + model + "); give its "
                    + "tokenizer.json, e.g. JAR!/all-minilm-l6-v2-tokenizer.json for all-MiniLM-L6-v2's jar");
        }
        HfTokenizer tok = HfTokenizer.read(tokenizer);
        Path sentencesFile = Path.of(prompt);
        boolean fromFile = !prompt.isBlank() && Files.isRegularFile(sentencesFile);
        List<String> sentences = fromFile ? EvalText.load(sentencesFile, "--prompt").lines() : prompt.isBlank() ? List.of()
                : List.of(prompt.strip());
        EncoderCapture.Options options = new EncoderCapture.Options(sentences,
                fromFile ? "--prompt " + prompt : "--prompt", q, heads == null ? BertConfig.MINILM_HEADS : heads,
                contentBlock, "nccsim " + Version.get() + " capture");
        EncoderCapture.Result r = EncoderCapture.capture(file, tok, options, output);

        PrintWriter out = spec.commandLine().getOut();
        float[] first = r.embeddings()[0];
        StringJoiner values = new StringJoiner(", ", "[", ", ...]");
        for (int i = 0; i < Math.min(4, first.length); i++) {
            values.add(String.format(Locale.ROOT, "%.6f", first[i]));
        }
        out.printf(Locale.ROOT, "embedded %d sentence%s: %d tokens, %d rows in %d batches (padding included), "
                        + "weights %s%n", sentences.size(), sentences.size() == 1 ? "" : "s", r.tokens(), r.rows(), r.batches(), q.id());
        out.printf(Locale.ROOT, "sentence 0: %s%n", values);
        out.printf(Locale.ROOT, "embeddings crc32: %08x (%d x %d fp32 values, little-endian, in sentence order)%n",
                EncoderCapture.crc32(r.embeddings()), r.embeddings().length, first.length);
        out.printf(Locale.ROOT, "encoder run: %.2f s, %.1f sentences/s, %.0f tokens/s%n", r.encodeSeconds(),
                sentences.size() / r.encodeSeconds(), r.tokens() / r.encodeSeconds());
        out.printf(Locale.ROOT, "wrote %s (1 prefill step of %d rows, 0 decode steps, %d bytes, content: captured; "
                + "capture %.2f s after loading)%n", output, r.rows(), r.traceBytes(), r.seconds());
        return CommandLine.ExitCode.OK;
    }

    /**
     * The tokenizer beside the model: tokenizer.json for safetensors, the one {@code tok*.bin} for llama2.c. A GGUF
     * file's embedded vocabulary (tokenizer.ggml.*) is not read, so GGUF needs --tokenizer.
     */
    static Path defaultTokenizer(Path model) {
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
