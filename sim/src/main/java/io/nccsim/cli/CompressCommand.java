package io.nccsim.cli;

import io.nccsim.capture.Llama2cTokenizer;
import io.nccsim.capture.WritePathStudy;
import io.nccsim.codec.CompressionStudy;
import io.nccsim.codec.MultiStreamLayout;
import io.nccsim.codec.TableScope;
import io.nccsim.codec.WeightQuant;
import io.nccsim.codec.quant.QuantOptions;
import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.report.CompressionReport;
import io.nccsim.report.OutputDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code nccsim compress}: measures, tensor by tensor, what storing a real model's weights compressed would cost:
 * raw, at the entropy bound, with the bit-exact multi-stream Huffman coder the NCC decodes, with DEFLATE and with
 * zstd; every round trip is checked.
 */
@Command(name = "compress", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Quantize a real model's weights and measure, per tensor, bits per weight raw, at the Shannon "
                + "bound, Huffman-coded (length-limited tables, multi-stream blocks, all overhead counted), DEFLATE "
                + "and zstd, checking every round trip; print the totals and write table.md, table.csv and "
                + "report.json.",
            "Models: llama2.c checkpoints (.bin), GGUF, safetensors, ONNX; also a jar or zip holding one model "
                + "file, or ARCHIVE!/ENTRY."})
public final class CompressCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The model file")
    Path model;

    @Option(names = "--quant", paramLabel = "SPEC", defaultValue = "int4-g128-asym",
            description = "How the weights are deployed: intB-gN|channel|tensor-sym|asym|auto (B = 2, 3, 4, 8; auto "
                    + "= EntroLLM's per-tensor choice), fp16 or bf16 (lossless exponent coding), or 'stored' (the "
                    + "codes the file already holds, e.g. an int8 ONNX or a Q8_0 GGUF). Default ${DEFAULT-VALUE}")
    String quant;

    @Option(names = "--huffman-max-len", paramLabel = "BITS", defaultValue = "12",
            description = "Longest Huffman code, the decoder table's index width (1..16; default ${DEFAULT-VALUE})")
    int maxLen;

    @Option(names = "--streams", paramLabel = "N", defaultValue = "8",
            description = "Streams per block, one per decoder lane (1..1024; default ${DEFAULT-VALUE})")
    int streams;

    @Option(names = "--split", paramLabel = "chunked|interleaved", defaultValue = "chunked",
            description = "How a block's symbols are dealt to its streams (default ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--stream-align", paramLabel = "BYTES", defaultValue = "1",
            description = "Alignment of each stream, a power of two (default ${DEFAULT-VALUE})")
    int streamAlign;

    @Option(names = "--block", paramLabel = "SYMBOLS", defaultValue = "16384",
            description = "Symbols per independently decodable block (default ${DEFAULT-VALUE})")
    int blockSymbols;

    @Option(names = "--tables", paramLabel = "per-tensor|per-layer|shared", defaultValue = "per-tensor",
            description = "How Huffman tables are shared (default ${DEFAULT-VALUE})")
    String tables;

    @Option(names = "--prune", paramLabel = "FRACTION", defaultValue = "0",
            description = "Magnitude pruning: the fraction of each matrix's smallest weights set to zero before "
                    + "quantizing (0 <= f < 1; default ${DEFAULT-VALUE})")
    double prune;

    @Option(names = "--rescale-lambda", paramLabel = "LAMBDA",
            description = "Compression-aware clipping: per group, the clip factor (0.80..1.00) minimising "
                    + "MSE/step^2 + LAMBDA x entropy; 0 gives MSE-optimal clipping. Off when not given")
    Double rescaleLambda;

    @Option(names = "--write-path", description = "Also measure activations and the KV cache (llama2.c decoders): run "
            + "the model over a calibration text and an evaluation text, and compare tables made ahead of time from "
            + "the first with the ideal table of the second")
    boolean writePath;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "llama2.c tokenizer for --write-path (default: the one tok*.bin beside the model)")
    Path tokenizer;

    @Option(names = "--write-path-tables", paramLabel = "K", defaultValue = "4",
            description = "Calibrated tables the write-path encoder may choose from per block (default ${DEFAULT-VALUE})")
    int writePathTables;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default: all cores); the results do not depend on it")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Report directory (default: reports/compress-<model>-<timestamp>/)")
    Path out;

    @Option(names = "--force", description = "Replace a non-empty --out directory")
    boolean force;

    @Option(names = "--quiet", description = "No progress output")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        CompressionStudy.Settings settings = settings();
        String m = model.toString();
        int bang = m.indexOf("!/");
        Path file = bang >= 0 ? Path.of(m.substring(0, bang)) : model;
        if (!Files.isRegularFile(file)) {
            InputFiles.require(file, "--model", "no such model file");
        }
        Path outDir = out != null ? out : InputFiles.defaultReportDir("compress-", Path.of(
                file.getFileName().toString()));
        OutputDir.checkWritable(outDir, force);

        long t0 = System.nanoTime();
        ModelFile mf = ModelLoaders.load(model);
        if (!quiet) {
            stderr.printf(Locale.ROOT, "compress: loaded %s (%s, %d tensors, %d parameters) in %.1f s%n", mf.name(),
                    mf.format(), mf.tensors().size(), mf.parameters(), (System.nanoTime() - t0) / 1e9);
            stderr.flush();
        }
        int total = mf.tensors().size();
        int[] done = {0};
        CompressionStudy.Result result = CompressionStudy.run(mf, settings, i -> {
            done[0]++;
            if (!quiet && (done[0] % Math.max(1, total / 10) == 0 || done[0] == total)) {
                stderr.printf(Locale.ROOT, "compress: %d/%d tensors quantized and measured, %.1f s%n", done[0], total,
                        (System.nanoTime() - t0) / 1e9);
                stderr.flush();
            }
        });
        if (result.codedParameters() == 0) {
            throw new BadInputException("--model " + model + ": no tensor to code with --quant " + quant
                    + (quant.equals("stored") ? "; the file stores no integer codes: give an integer scheme such as "
                    + "int8-channel-sym" : "; expected float matrices"));
        }
        CompressionReport report = new CompressionReport(result, Version.get(), commandLine());
        String writePathSection = "";
        if (writePath) {
            Llama2cTokenizer tok = Llama2cTokenizer.load(tokenizerFor(file), ((Number) mf.metadata()
                    .get("vocab_size")).intValue());
            List<WritePathStudy.Row> rows = WritePathStudy.run(mf, tok, WritePathStudy.CALIBRATION_TEXT,
                    WritePathStudy.EVALUATION_TEXT, writePathTables, settings.maxCodeLength(), 4096, 1);
            writePathSection = "\n" + WritePathStudy.markdown(rows, "Calibration: the model run over one built-in "
                    + "story; evaluation: over another (the texts are in WritePathStudy), blocks of 4096 symbols.");
            for (WritePathStudy.Row r : rows) {
                stdout.printf(Locale.ROOT, "Write path, %s: %d table%s made ahead of time cost %+.2f%% over the "
                                + "ideal table (%.3f vs %.3f bits/symbol)%n", r.dataClass(), r.tables(),
                        r.tables() == 1 ? "" : "s", r.cost().mismatchPercent(), r.codedBitsPerSymbol(),
                        r.idealBitsPerSymbol());
            }
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put("table.md", report.markdown() + writePathSection);
        files.put("table.csv", report.csv());
        files.put("report.json", report.json());
        OutputDir.write(outDir, force, files);
        stdout.print(report.summaryLines());
        stdout.println("report: " + outDir);
        return CommandLine.ExitCode.OK;
    }

    /** The tokenizer given, or the single tok*.bin beside the model. */
    private Path tokenizerFor(Path modelFile) {
        if (tokenizer != null) {
            InputFiles.require(tokenizer, "--tokenizer", "no such tokenizer file");
            return tokenizer;
        }
        Path dir = modelFile.toAbsolutePath().getParent();
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            List<Path> found = s.filter(p -> p.getFileName().toString().matches("tok.*\\.bin")).sorted().toList();
            if (found.size() != 1) {
                throw new BadInputException("--write-path: found " + found.size() + " tokenizer files (tok*.bin) "
                        + "beside " + modelFile + "; name one with --tokenizer FILE");
            }
            return found.get(0);
        } catch (java.io.IOException e) {
            throw new BadInputException(dir + ": cannot list the folder: " + e.getMessage(), e);
        }
    }

    /** The options, checked, as the study's settings. */
    CompressionStudy.Settings settings() {
        WeightQuant q = quant.equals("stored") ? null : WeightQuant.parse(quant, "--quant");
        if (maxLen < 1 || maxLen > 16) {
            throw new BadInputException("--huffman-max-len " + maxLen + ": expected 1..16 bits");
        }
        if (writePathTables < 1 || writePathTables > 64) {
            throw new BadInputException("--write-path-tables " + writePathTables + ": expected 1..64");
        }
        if (streams < 1 || streams > MultiStreamLayout.MAX_STREAMS) {
            throw new BadInputException("--streams " + streams + ": expected 1.." + MultiStreamLayout.MAX_STREAMS);
        }
        if (blockSymbols < 1 || blockSymbols > (1 << 24)) {
            throw new BadInputException("--block " + blockSymbols + ": expected 1..16777216 symbols");
        }
        if (streamAlign < 1 || Integer.bitCount(streamAlign) != 1 || streamAlign > 4096) {
            throw new BadInputException("--stream-align " + streamAlign + ": expected a power of two, 1..4096 bytes");
        }
        MultiStreamLayout.Split sp = switch (split.toLowerCase(Locale.ROOT)) {
            case "chunked" -> MultiStreamLayout.Split.CHUNKED;
            case "interleaved" -> MultiStreamLayout.Split.INTERLEAVED;
            default -> throw new BadInputException("--split " + split + ": expected chunked or interleaved");
        };
        int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (nThreads < 1 || nThreads > 256) {
            throw new BadInputException("--threads " + nThreads + ": expected 1..256");
        }
        QuantOptions options = new QuantOptions(prune, rescaleLambda != null,
                rescaleLambda == null ? 0 : rescaleLambda);
        return new CompressionStudy.Settings(q, options, maxLen,
                new MultiStreamLayout(sp, streams, streamAlign, MultiStreamLayout.AUTO_OFFSET_BITS), blockSymbols,
                TableScope.parse(tables, "--tables"), nThreads);
    }

    /** The command as a user would retype it (model path as given), for the report's header. */
    private String commandLine() {
        StringBuilder sb = new StringBuilder("nccsim compress --model ").append(model.getFileName())
                .append(" --quant ").append(quant).append(" --huffman-max-len ").append(maxLen)
                .append(" --streams ").append(streams).append(" --tables ").append(tables);
        if (!split.equals("chunked")) {
            sb.append(" --split ").append(split);
        }
        if (blockSymbols != 16384) {
            sb.append(" --block ").append(blockSymbols);
        }
        if (prune != 0) {
            sb.append(" --prune ").append(prune);
        }
        if (rescaleLambda != null) {
            sb.append(" --rescale-lambda ").append(rescaleLambda);
        }
        if (writePath) {
            sb.append(" --write-path --write-path-tables ").append(writePathTables);
        }
        return sb.toString();
    }
}
