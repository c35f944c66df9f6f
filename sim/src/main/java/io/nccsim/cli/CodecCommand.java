package io.nccsim.cli;

import io.nccsim.capture.BertConfig;
import io.nccsim.capture.BertModel;
import io.nccsim.capture.DecoderTokenizer;
import io.nccsim.capture.LlamaConfig;
import io.nccsim.codec.learned.BlockQuantTensorCoder;
import io.nccsim.codec.learned.CodecProfile;
import io.nccsim.codec.learned.CodecSetup;
import io.nccsim.codec.learned.CodecSources;
import io.nccsim.codec.learned.CodecTraining;
import io.nccsim.codec.learned.HeldOutEvaluation;
import io.nccsim.codec.learned.LayerSplit;
import io.nccsim.codec.learned.ResidualTensorCoder;
import io.nccsim.codec.learned.QuantHuffmanBaseline;
import io.nccsim.codec.learned.SourceTensor;
import io.nccsim.codec.learned.TensorCoder;
import io.nccsim.codec.learned.TrainedCodecs;
import io.nccsim.codec.learned.UniformStepTensorCoder;
import io.nccsim.common.BadInputException;
import io.nccsim.fidelity.CoderFidelity;
import io.nccsim.fidelity.EncoderFidelity;
import io.nccsim.fidelity.EvalText;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.model.OnnxDynamicQuantization;
import io.nccsim.report.CodecEvalReport;
import io.nccsim.report.OutputDir;
import io.nccsim.tokenizer.HfTokenizer;
import io.nccsim.trace.TensorRole;
import io.nccsim.trace.TensorRole.DataClass;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code nccsim codec train|eval}: the learned block codec on real weights and activations. */
@Command(name = "codec", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Train the learned block codec's levels on real tensors, and evaluate them on held-out layers "
                + "against quantization + Huffman at matched bits per value, with model-output fidelity.",
        subcommands = {CodecCommand.Train.class, CodecCommand.Eval.class})
public final class CodecCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** Default cap on training blocks: MiniLM's weights train in about 3 minutes on 2 cores with it. */
    static final int DEFAULT_MAX_TRAIN_BLOCKS = 50_000;

    @Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"Train the learned codec's level family on the training layers of real tensors: the "
                    + "weight matrices of the given models (or, with --roles activation or kv_cache, the activations "
                    + "or KV-cache vectors of a run of a llama2.c model). Each model's last layer is held out for "
                    + "`codec eval` and never read; the layer before it chooses each level's architecture and "
                    + "measures the profile. Writes DIR/profile.json (the codec profile) and DIR/codecs.json (the "
                    + "trained parameters `codec eval` needs). Progress goes to stderr.",
                "Same inputs and seed, same bytes."})
    static final class Train implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "FILE",
                description = "model file (llama2.c .bin, .gguf, .safetensors, .onnx, also ARCHIVE.jar!/ENTRY); "
                        + "repeatable: the levels train on all of them")
        List<Path> models = new ArrayList<>();

        @Option(names = "--block", paramLabel = "N", description = "values per block (default 16)")
        int block = 16;

        @Option(names = "--roles", paramLabel = "LIST",
                description = "comma-separated tensor roles: weight roles (embedding, attn_q, attn_k, attn_v, "
                        + "attn_qkv, attn_o, mlp_gate, mlp_up, mlp_gate_up, mlp_down, lm_head), or activation, or "
                        + "kv_cache (default: every weight matrix)")
        String roles;

        @Option(names = "--levels", paramLabel = "FAMILY",
                description = "level family: default (near-lossless, high, medium, aggressive) or extended (and "
                        + "extreme, below 2 bits per value)")
        String levels = "default";

        @Option(names = "--seed", paramLabel = "N", description = "seed of the training-block draw and of training "
                + "(default 1)")
        long seed = 1;

        @Option(names = "--max-train-blocks", paramLabel = "N",
                description = "at most N training blocks, drawn with the seed; 0 for all (default "
                        + DEFAULT_MAX_TRAIN_BLOCKS + ")")
        int maxTrainBlocks = DEFAULT_MAX_TRAIN_BLOCKS;

        @Option(names = "--max-epochs", paramLabel = "N",
                description = "at most N epochs per candidate (default: the levels' own, 60, with early stopping)")
        Integer maxEpochs;

        @Option(names = "--activation-weights",
                description = "weigh each weight's error by the mean squared activation of its input channel, "
                        + "captured from a run of the model (llama2.c models only)")
        boolean activationWeights;

        @Option(names = "--residual-of", paramLabel = "SPEC",
                description = "train the levels as residual coders: on what quantization intB-gN-sym|asym (with "
                        + "Huffman) leaves, e.g. int4-g16-sym")
        String residualOf;

        @Option(names = "--out", paramLabel = "DIR",
                description = "output directory (default: reports/codec-train-<model>-<timestamp>/)")
        Path out;

        @Option(names = "--force", description = "replace a non-empty --out directory")
        boolean force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter stdout = spec.commandLine().getOut();
            PrintWriter stderr = spec.commandLine().getErr();
            for (Path m : models) {
                InputFiles.requireModel(m, "--model");
            }
            if (block < 2 || block > 4096) {
                throw new BadInputException("--block " + block + ": expected 2..4096 values per block");
            }
            if (maxTrainBlocks < 0) {
                throw new BadInputException("--max-train-blocks " + maxTrainBlocks + ": expected 0 (no cap) or more");
            }
            if (maxEpochs != null && (maxEpochs < 1 || maxEpochs > 100_000)) {
                throw new BadInputException("--max-epochs " + maxEpochs + ": expected 1..100000");
            }
            if (!levels.equals(CodecTraining.DEFAULT) && !levels.equals(CodecTraining.EXTENDED)) {
                throw new BadInputException("--levels " + levels + ": expected " + CodecTraining.DEFAULT + " or "
                        + CodecTraining.EXTENDED);
            }
            List<TensorRole> roleList = parseRoles(roles);
            DataClass dataClass = roleList.isEmpty() ? DataClass.WEIGHTS : roleList.get(0).dataClass();
            if (activationWeights && dataClass != DataClass.WEIGHTS) {
                throw new BadInputException("--activation-weights: weighs weight matrices by their input "
                        + "activations; --roles " + roles + " is not weights");
            }
            BlockQuantTensorCoder base = residualOf == null ? null
                    : ResidualTensorCoder.parseBase(residualOf, "--residual-of");
            Path outDir = out != null ? out : InputFiles.defaultReportDir("codec-train-", models.get(0));
            OutputDir.checkWritable(outDir, force);

            long start = System.nanoTime();
            List<CodecSources.Loaded> loaded = new ArrayList<>();
            List<String> paths = new ArrayList<>();
            for (Path m : models) {
                stderr.println("loading " + m);
                stderr.flush();
                ModelFile file = ModelLoaders.load(m);
                loaded.add(CodecSources.load(file, m, dataClass, roleList, activationWeights));
                paths.add(m.toString().replace('\\', '/'));
            }
            CodecTraining.Options options = new CodecTraining.Options(block, dataClass, roleList,
                    LayerSplit.LAST_LAYER_HELD_OUT, maxTrainBlocks, seed, activationWeights,
                    maxEpochs == null ? 0 : maxEpochs, base, levels);
            CodecTraining.Result r = CodecTraining.train(paths, loaded, options, line -> {
                stderr.println(line);
                stderr.flush();
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, String> files = new LinkedHashMap<>();
            files.put("profile.json", r.profile().toJson());
            files.put(TrainedCodecs.FILE_NAME, r.codecs().toJson());
            OutputDir.write(outDir, force, files);
            stderr.printf(Locale.ROOT, "trained in %.1f s%n", seconds);
            stdout.print(summary(r.profile()));
            stdout.println("profile: " + outDir.resolve("profile.json"));
            return CommandLine.ExitCode.OK;
        }

        private static String summary(CodecProfile p) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-14s %-22s %10s %9s %10s %8s%n",
                    "level", "architecture", "bits/value", "SQNR dB", "dec MACs/v", "dec B"));
            for (CodecProfile.Level l : p.levels()) {
                b.append(String.format(Locale.ROOT, "%-14s %-22s %10.3f %9.2f %10.1f %8d%n", l.name(),
                        l.variant().name().toLowerCase(Locale.ROOT) + " n" + l.blockSize() + " k" + l.latentSize()
                                + (l.hiddenWidth() > 0 ? " h" + l.hiddenWidth() : ""),
                        l.bitsPerValue(), l.sqnrDb(), l.decoderMacsPerValue(), l.decoderParameterBytes()));
            }
            return b.toString();
        }
    }

    /** Roles from the option: empty for every weight matrix; all of one data class; no norm vectors. */
    static List<TensorRole> parseRoles(String text) {
        List<TensorRole> out = new ArrayList<>();
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("weights")) {
            return out;
        }
        for (String part : text.split(",", -1)) {
            String id = part.trim().toLowerCase(Locale.ROOT);
            TensorRole r;
            try {
                r = TensorRole.fromId(id);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--roles " + text + ": unknown role '" + id + "'; expected weight roles "
                        + "(embedding, attn_q, attn_k, attn_v, attn_qkv, attn_o, mlp_gate, mlp_up, mlp_gate_up, "
                        + "mlp_down, lm_head), activation or kv_cache");
            }
            if (r == TensorRole.NORM) {
                throw new BadInputException("--roles " + text + ": norm gains are vectors, not matrices; a block "
                        + "codec is trained on matrices");
            }
            if (!out.isEmpty() && out.get(0).dataClass() != r.dataClass()) {
                throw new BadInputException("--roles " + text + ": mixes " + out.get(0).id() + " and " + r.id()
                        + "; a level family is trained on one class of data (weights, activation or kv_cache)");
            }
            if (!out.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }

    @Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"Evaluate trained levels on the HELD-OUT layers of a model: bits/value, MSE and SQNR of "
                    + "each level next to quantization + Huffman (per-group fp16 scales, groups of the block size, "
                    + "32, 64, 128) and uniform step + Huffman at matched bits per value; and, for weights, "
                    + "model-output fidelity at each level (every weight matrix through the level), next to the "
                    + "baselines. Writes table.md, table.csv, rd.svg, rd.png, fidelity.csv, fidelity.svg, "
                    + "fidelity.png and report.json.",
                "Same inputs, same bytes."})
    static final class Eval implements Callable<Integer> {
        static final int DEFAULT_TOKENS = 64;

        @Option(names = "--profile", required = true, paramLabel = "FILE",
                description = "profile.json written by codec train (codecs.json beside it)")
        Path profile;

        @Option(names = "--model", required = true, paramLabel = "FILE",
                description = "model whose held-out layers are evaluated (also ARCHIVE.jar!/ENTRY)")
        Path model;

        @Option(names = "--tokenizer", paramLabel = "FILE",
                description = "fidelity: the decoder's tokenizer (default beside the model) or the encoder's "
                        + "tokenizer.json (default: ENTRY-tokenizer.json in the same jar, else tokenizer.json beside)")
        Path tokenizer;

        @Option(names = "--text", paramLabel = "FILE",
                description = "fidelity: text to evaluate a decoder on, or sentences (one a line) to embed "
                        + "(default: built-in)")
        Path text;

        @Option(names = "--tokens", paramLabel = "N",
                description = "fidelity: greedy tokens a decoder generates from BOS (default " + DEFAULT_TOKENS + ")")
        int tokens = DEFAULT_TOKENS;

        @Option(names = "--heads", paramLabel = "N",
                description = "fidelity: an encoder's attention heads (default " + BertConfig.MINILM_HEADS + ")")
        int heads = BertConfig.MINILM_HEADS;

        @Option(names = "--no-fidelity", description = "skip model-output fidelity")
        boolean noFidelity;

        @Option(names = "--threads", paramLabel = "N", description = "threads for the measurements (default 2)")
        int threads = 2;

        @Option(names = "--out", paramLabel = "DIR",
                description = "report directory (default: reports/codec-eval-<model>-<timestamp>/)")
        Path out;

        @Option(names = "--force", description = "replace a non-empty --out directory")
        boolean force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter stdout = spec.commandLine().getOut();
            PrintWriter stderr = spec.commandLine().getErr();
            InputFiles.require(profile, "--profile", "no such profile file");
            InputFiles.requireModel(model, "--model");
            if (text != null) {
                InputFiles.require(text, "--text", "no such text file");
            }
            if (threads < 1 || threads > 64) {
                throw new BadInputException("--threads " + threads + ": expected 1..64");
            }
            CodecProfile prof = CodecProfile.read(profile);
            Path codecsFile = profile.resolveSibling(TrainedCodecs.FILE_NAME);
            if (!Files.isRegularFile(codecsFile)) {
                throw new BadInputException("--profile " + profile + ": " + codecsFile + " (the trained levels) is "
                        + "missing beside it; run nccsim codec train again to write both");
            }
            TrainedCodecs codecs = TrainedCodecs.read(codecsFile);
            checkSame(prof, codecs, codecsFile);
            Path outDir = out != null ? out : InputFiles.defaultReportDir("codec-eval-", model);
            OutputDir.checkWritable(outDir, force);

            CodecSetup setup = codecs.setup();
            stderr.println("loading " + model);
            stderr.flush();
            ModelFile file = ModelLoaders.load(model);
            CodecSources.Loaded loaded = CodecSources.load(file, model, setup.dataClass(), setup.roles(), false);
            String label = loaded.label();
            List<SourceTensor> heldOut = CodecSources.heldOut(loaded.tensors(), setup.split(), loaded.layers(), label);
            if (heldOut.isEmpty()) {
                throw new BadInputException("--model " + model + ": its held-out layers hold no tensor of roles "
                        + setup.rolesText() + "; expected a model with such tensors in its last "
                        + setup.split().evaluationLayers() + " layer(s)");
            }
            String splitText = loaded.layers() == 0 ? "no layers"
                    : setup.split().describe(loaded.layers(), label);
            // Fidelity is set up (and its inputs checked) before the long measurements start.
            CoderFidelity fidelity = null;
            String fidelityNote;
            if (noFidelity) {
                fidelityNote = "Not measured (--no-fidelity).";
            } else if (setup.dataClass() != DataClass.WEIGHTS) {
                fidelityNote = "Not measured: model-output fidelity is measured for weights; these levels code "
                        + setup.dataClassId() + ", which the fidelity runs keep in fp32.";
            } else {
                stderr.println("fidelity: reference run");
                stderr.flush();
                fidelity = fidelity(file);
                fidelityNote = fidelity.isDecoder()
                        ? "Every weight matrix of the model (all layers, the embedding included) through each "
                        + "setting, then the decoder run teacher-forced on " + (text == null ? "the built-in text"
                        : text.toString().replace('\\', '/')) + " and " + tokens + " greedy tokens, fp32 KV cache: "
                        + "top-1 next-token agreement with the model as stored, perplexity of the text, mean KL "
                        + "(nats) of the next-token distributions."
                        : "Every weight matrix of the model (all layers, the embeddings included) through each "
                        + "setting, then the sentences of " + (text == null ? "the built-in list"
                        : text.toString().replace('\\', '/')) + " embedded: cosine similarity with the embeddings "
                        + "of the model as stored (mean and minimum over sentences), largest element difference.";
            }

            stderr.printf(Locale.ROOT, "held out: %s (%d tensors); measuring %d levels and %d baseline settings%n",
                    splitText, heldOut.size(), codecs.levels().size(),
                    HeldOutEvaluation.baselineCoders(setup.blockSize()).size());
            stderr.flush();
            HeldOutEvaluation.Result rd = HeldOutEvaluation.run(codecs, heldOut, threads);
            CodecEvalReport.FidelityPart part = null;
            if (fidelity != null) {
                part = fidelityPart(fidelity, codecs, setup.blockSize(), stderr);
            }
            CodecEvalReport report = new CodecEvalReport(Version.get(), profile.toString().replace('\\', '/'),
                    prof, setup, model.toString().replace('\\', '/'), file.sha256(), loaded.layers(), splitText, rd,
                    part, fidelityNote);
            OutputDir.writeBytes(outDir, force, report.files());
            stdout.print(summary(rd));
            stdout.println(report.verdict());
            stdout.println("report: " + outDir);
            return CommandLine.ExitCode.OK;
        }

        /** The profile and the codecs file must be the same training's. */
        private static void checkSame(CodecProfile prof, TrainedCodecs codecs, Path codecsFile) {
            if (prof.levels().size() != codecs.levels().size()) {
                throw new BadInputException(codecsFile + ": holds " + codecs.levels().size() + " levels, the profile "
                        + prof.levels().size() + "; they are not from the same training, run codec train again");
            }
            for (int i = 0; i < prof.levels().size(); i++) {
                CodecProfile.Level p = prof.levels().get(i);
                var c = codecs.levels().get(i).codec().config();
                if (!p.name().equals(codecs.levels().get(i).name()) || p.blockSize() != c.blockSize()
                        || p.latentSize() != c.latentSize() || p.step() != c.step() || p.variant() != c.variant()) {
                    throw new BadInputException(codecsFile + ": level " + (i + 1) + " (" + codecs.levels().get(i)
                            .name() + ") differs from the profile's (" + p.name() + "); they are not from the same "
                            + "training, run codec train again");
                }
            }
        }

        private CoderFidelity fidelity(ModelFile file) {
            if (BertModel.isEncoder(file)) {
                if (OnnxDynamicQuantization.isQuantized(file)) {
                    throw new BadInputException("--model " + model + ": stores int8 weights already; fidelity codes "
                            + "the fp32 weights: give the fp32 file, or --no-fidelity");
                }
                Path tok = tokenizer != null ? tokenizer : encoderTokenizer();
                HfTokenizer t = HfTokenizer.read(tok);
                List<String> sentences = text != null ? EvalText.load(text, "--text").lines()
                        : EncoderFidelity.BUILT_IN;
                BertModel.of(file, heads);
                return CoderFidelity.encoder(file, t, heads, sentences);
            }
            LlamaConfig config = LlamaConfig.of(file);
            if (tokens < 1 || tokens >= config.seqLen()) {
                throw new BadInputException("--tokens " + tokens + ": expected 1.." + (config.seqLen() - 1));
            }
            Path tok = tokenizer != null ? tokenizer : decoderTokenizer(config.vocabSize());
            DecoderTokenizer dt = DecoderTokenizer.load(tok, config.vocabSize());
            EvalText eval = text != null ? EvalText.load(text, "--text") : EvalText.builtIn();
            int[] ids = dt.encodePrompt(eval.text());
            if (ids.length > config.seqLen() || ids.length < 2) {
                throw new BadInputException((text != null ? "--text " + text : "the built-in text") + ": "
                        + ids.length + " tokens with BOS; expected 2.." + config.seqLen());
            }
            return CoderFidelity.decoder(file, config, dt, ids, tokens);
        }

        private Path decoderTokenizer(int vocab) {
            for (Path p : List.of(model.resolveSibling("tok" + vocab + ".bin"), model.resolveSibling("tokenizer.bin"),
                    model.resolveSibling("tokenizer.json"))) {
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
            throw new BadInputException("--tokenizer: not given, and no tok" + vocab + ".bin, tokenizer.bin or "
                    + "tokenizer.json beside " + model + "; pass --tokenizer FILE, or --no-fidelity");
        }

        /** all-MiniLM-L6-v2's jar holds all-minilm-l6-v2.onnx and all-minilm-l6-v2-tokenizer.json side by side. */
        private Path encoderTokenizer() {
            String s = model.toString();
            int bang = s.indexOf("!/");
            if (bang >= 0 && s.endsWith(".onnx")) {
                return Path.of(s.substring(0, s.length() - ".onnx".length()) + "-tokenizer.json");
            }
            Path beside = model.resolveSibling("tokenizer.json");
            if (Files.isRegularFile(beside)) {
                return beside;
            }
            throw new BadInputException("--tokenizer: required for the encoder " + model + " (no tokenizer.json "
                    + "beside it); pass --tokenizer FILE, or --no-fidelity");
        }

        /** Every learned level, the baseline (quant sym + Huffman at the block size), uniform step. */
        private static CodecEvalReport.FidelityPart fidelityPart(CoderFidelity f, TrainedCodecs codecs, int n,
                                                                 PrintWriter stderr) {
            List<TensorCoder> coders = new ArrayList<>(HeldOutEvaluation.learnedCoders(codecs));
            String learnedMethod = coders.get(0).method();
            for (int b : QuantHuffmanBaseline.DEFAULT_BITS) {
                coders.add(new BlockQuantTensorCoder(b, true, n, QuantHuffmanBaseline.DEFAULT_MAX_CODE_LENGTH));
            }
            for (double s : HeldOutEvaluation.UNIFORM_STEPS) {
                coders.add(new UniformStepTensorCoder(s));
            }
            List<CoderFidelity.Point> points = new ArrayList<>();
            for (TensorCoder c : coders) {
                stderr.println("fidelity: " + c.method() + " " + c.setting());
                stderr.flush();
                points.add(f.run(c));
            }
            List<String> primary = f.isDecoder() ? List.of("top1_agreement", "perplexity")
                    : List.of("cosine_mean", "cosine_min");
            return new CodecEvalReport.FidelityPart(f.isDecoder() ? "decoder" : "encoder", f.metricNames(), primary,
                    f.reference(), points, learnedMethod);
        }

        private static String summary(HeldOutEvaluation.Result rd) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-14s %10s %9s  %s%n", "level",
                    "bits/value", "SQNR dB", "best baseline at the same bits"));
            for (HeldOutEvaluation.Row r : rd.rows()) {
                b.append(String.format(Locale.ROOT, "%-14s %10.3f %9.2f  %s%n", r.learned().setting(),
                        r.learned().bitsPerValue(), r.learned().sqnrDb(), Double.isNaN(r.best().sqnrDb()) ? "none"
                                : String.format(Locale.ROOT, "%.2f dB (%s, gain %+.2f dB)", r.best().sqnrDb(),
                                r.best().method(), r.best().gainDb())));
            }
            return b.toString();
        }
    }
}

