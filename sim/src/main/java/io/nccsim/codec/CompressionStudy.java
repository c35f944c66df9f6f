package io.nccsim.codec;

import io.nccsim.codec.baseline.BaselineSizes;
import io.nccsim.codec.quant.QuantError;
import io.nccsim.codec.quant.QuantOptions;
import io.nccsim.codec.quant.Quantizer;
import io.nccsim.codec.quant.SymmetryChooser;
import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.model.TensorData;
import io.nccsim.model.TensorNames;
import io.nccsim.trace.ElementType;
import io.nccsim.trace.TensorRole;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * What storing a model's weights compressed would cost, tensor by tensor, measured on the real weights with the
 * bit-exact coders: quantize (or take the codes the file already stores), Huffman-code in independently decodable
 * multi-stream blocks with length-limited tables, decode again and compare, and set beside it the raw size, the
 * Shannon bounds and two general-purpose compressors (DEFLATE and zstd) given the same packed bytes.
 *
 * <p>Every size includes the tensor's quantization metadata (fp16 scales and zero points): that is what the
 * processor stores and the NCC moves. What is not quantized is kept as 16-bit floats (1-D tensors: norms and
 * biases, a few thousand parameters) and counted at that size in every column, so that totals compare like with
 * like. With {@code --quant fp16|bf16} nothing is quantized: every float tensor is rounded to that format and coded
 * losslessly by splitting each value into its exponent, which is Huffman-coded, and its sign and mantissa, stored
 * raw (the DFloat11 and ZipNN idea).
 */
public final class CompressionStudy {
    /** Bits a kept (not quantized, not coded) 16-bit float takes. */
    static final int KEPT_BITS = 16;

    /**
     * What to measure.
     *
     * @param quant         the deployment: an integer scheme (quantize every matrix), fp16 or bf16 (exponent coding),
     *                      or null for "as stored" (the integer codes the file holds; its float tensors kept)
     * @param options       pruning and compression-aware rescaling for quantized schemes
     * @param maxCodeLength Huffman code-length limit (the decoder table's index width)
     * @param layout        how each block is split into streams for parallel decoder lanes
     * @param blockSymbols  symbols per independently decodable block
     * @param scope         how code tables are shared
     * @param threads       worker threads for quantizing and the baselines (results do not depend on it)
     */
    public record Settings(WeightQuant quant, QuantOptions options, int maxCodeLength, MultiStreamLayout layout,
                           int blockSymbols, TableScope scope, int threads) {
        /** The deployment as a report names it. */
        public String quantId() {
            return quant == null ? "stored" : quant.id();
        }
    }

    /**
     * One tensor's measurements. Bit counts are totals for the tensor; {@code -1} where a column does not apply.
     *
     * @param name             as in the model file
     * @param role             from the name ({@link TensorNames}), or "other"
     * @param layer            from the name, or -1
     * @param shape            as stored
     * @param parameters       elements
     * @param stored           how the file stores it
     * @param scheme           what was measured: a quantization scheme, "fp16+exp" / "bf16+exp", or "kept fp16"
     * @param note             the symmetric/asymmetric decision for an auto scheme, else empty
     * @param metadataBits     scales and zero points (included in every size column)
     * @param rawBits          packed codes at their bit width, plus metadata
     * @param entropyBits      Shannon bound of the tensor's symbols (whole-tensor statistics), plus metadata
     * @param blockEntropyBits sum of each block's own Shannon bound, plus metadata
     * @param huffmanBits      code words, stream headers, padding and its share of tables, plus metadata
     * @param overheadBits     stream headers and padding (part of {@code huffmanBits})
     * @param tableBits        code tables charged to this tensor (part of {@code huffmanBits})
     * @param deflateBits      DEFLATE (level 9) of the packed codes, plus metadata
     * @param zstdBits         zstd (level 19) of the packed codes, plus metadata; -1 where zstd is unavailable
     * @param roundTripExact   the Huffman blocks and both baselines decoded back to exactly the stored codes
     * @param sqnrDb           signal to quantization noise of the deployed weights against the file's, or NaN
     */
    public record TensorRow(String name, String role, int layer, long[] shape, long parameters, String stored,
                            String scheme, String note, long metadataBits, long rawBits, double entropyBits,
                            double blockEntropyBits, long huffmanBits, long overheadBits, long tableBits,
                            long deflateBits, long zstdBits, boolean roundTripExact, double sqnrDb) {
        public TensorRow {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** True if the tensor was coded (quantized or exponent-coded) rather than kept. */
        public boolean coded() {
            return !scheme.startsWith("kept");
        }
    }

    /** Everything measured on one model. */
    public record Result(String model, String format, String sha256, Settings settings, List<TensorRow> rows,
                         int tables, String zstdNote) {
        public Result {
            rows = List.copyOf(rows);
        }

        public long parameters() {
            return rows.stream().mapToLong(TensorRow::parameters).sum();
        }

        /** Parameters of the coded tensors. */
        public long codedParameters() {
            return rows.stream().filter(TensorRow::coded).mapToLong(TensorRow::parameters).sum();
        }

        public boolean roundTripExact() {
            return rows.stream().allMatch(TensorRow::roundTripExact);
        }
    }

    private CompressionStudy() {
    }

    /** Measures {@code model} under {@code s}; {@code progress} hears each tensor's index as it is done. */
    public static Result run(ModelFile model, Settings s, IntConsumer progress) {
        List<TensorData> tensors = model.tensors();
        Prepared[] prepared = new Prepared[tensors.size()];
        parallel(s.threads(), tensors.size(), i -> prepared[i] = prepare(tensors.get(i), s), progress);
        List<NamedTensor> coded = new ArrayList<>();
        for (Prepared p : prepared) {
            if (p.symbols != null) {
                int alphabetBits = p.scheme.equals("fp16+exp") ? 5 : p.symbols.bits();
                if (s.maxCodeLength() < alphabetBits) {
                    throw new BadInputException("--huffman-max-len " + s.maxCodeLength() + ": tensor '"
                            + p.tensor.name() + "' (" + p.scheme + ") has up to " + (1 << alphabetBits)
                            + " distinct symbols, which need codes of up to " + alphabetBits + " bits");
                }
                coded.add(new NamedTensor(p.tensor.name(), p.symbols));
            }
        }
        TensorCoder coder = new TensorCoder(s.scope(), s.blockSymbols(), s.maxCodeLength(), s.layout());
        HuffmanPlan plan = coder.code(coded);
        List<TensorRow> rows = new ArrayList<>();
        int k = 0;
        for (Prepared p : prepared) {
            rows.add(p.symbols == null ? p.keptRow() : p.codedRow(plan.tensors().get(k++)));
        }
        String zstdNote = "";
        for (Prepared p : prepared) {
            if (p.baselines != null && !p.baselines.zstdNote().isEmpty()) {
                zstdNote = p.baselines.zstdNote();
            }
        }
        return new Result(model.name(), model.format(), model.sha256(), s, rows, plan.tables().size(), zstdNote);
    }

    /**
     * A tensor made ready for coding: its symbols (or none, if kept), and what every size column adds to the
     * symbols' own bits: the quantization metadata, and for exponent coding the raw sign and mantissa bits.
     *
     * @param rawBits   the uncoded size as stored (codes at their width plus metadata; 16 bits a weight for fp16/bf16)
     * @param fixedBits bits stored uncoded beside the coded symbols (metadata; sign and mantissa)
     */
    private record Prepared(TensorData tensor, QuantizedTensor symbols, String scheme, String note, long metadataBits,
                            long rawBits, long fixedBits, BaselineSizes baselines, double sqnrDb) {
        /** Kept uncoded: float tensors as fp16, or (as stored) in the file's own type. */
        static Prepared kept(TensorData t, boolean asStored) {
            return new Prepared(t, null, asStored ? "stored" : "fp16", "", 0, 0, 0, null, Double.NaN);
        }

        TensorRow keptRow() {
            boolean asFp16 = scheme.equals("fp16") && tensor.stored().isFloat();
            long bits = (long) (asFp16 ? KEPT_BITS : tensor.stored().bitsPerElement()) * tensor.elements();
            String kept = "kept " + (asFp16 ? "fp16" : tensor.stored().name().toLowerCase(java.util.Locale.ROOT));
            return new TensorRow(tensor.name(), roleOf(tensor), TensorNames.layerOf(tensor.name()), tensor.shape(),
                    tensor.elements(), tensor.stored().name(), kept, note, 0, bits, bits, bits, bits, 0, 0, bits,
                    bits, true, Double.NaN);
        }

        TensorRow codedRow(TensorCoding c) {
            long zstd = baselines.zstd19Bytes().isPresent()
                    ? 8 * baselines.zstd19Bytes().getAsLong() + metadataBits : -1;
            return new TensorRow(tensor.name(), roleOf(tensor), c.layer(), tensor.shape(), tensor.elements(),
                    tensor.stored().name(), scheme, note, metadataBits, rawBits, c.shannonBits() + fixedBits,
                    c.blockShannonBits() + fixedBits, c.storedBits() + fixedBits, c.overheadBits(), c.tableBits(),
                    8 * baselines.deflateBytes() + metadataBits, zstd,
                    c.roundTripExact() && baselines.roundTripExact(), sqnrDb);
        }
    }

    private static String roleOf(TensorData t) {
        TensorRole r = TensorNames.roleOf(t.name());
        return r == null ? "other" : r.id();
    }

    private static Prepared prepare(TensorData t, Settings s) {
        WeightQuant q = s.quant();
        if (q == null) {
            return asStored(t);
        }
        if (!t.stored().isFloat() || !t.isMatrix()) {
            return Prepared.kept(t, !t.stored().isFloat());
        }
        if (!q.quantized()) {
            return exponentCoded(t, q.type());
        }
        QuantizedTensor qt;
        String note = "";
        if (q.auto()) {
            SymmetryChooser.Decision d = new SymmetryChooser(s.options(), s.maxCodeLength())
                    .decide(t.name(), t.values(), t.rows(), t.cols(), q);
            qt = d.tensor();
            note = d.choice().reason();
        } else {
            qt = new Quantizer(s.options()).quantize(t.name(), t.values(), t.rows(), t.cols(), q);
        }
        double sqnr = QuantError.of(t.values(), Quantizer.dequantize(qt)).sqnrDb();
        long meta = 8 * qt.metadataBytes();
        return new Prepared(t, qt, qt.quant().id(), note, meta, (long) qt.bits() * t.elements() + meta, meta,
                BaselineSizes.measure(qt), sqnr);
    }

    /** The codes the file stores, with the scales it keeps beside them; float tensors are kept. */
    private static Prepared asStored(TensorData t) {
        QuantizedTensor qt = t.quantized();
        if (qt == null) {
            return Prepared.kept(t, true);
        }
        long meta = t.stored().blockElements() > 1
                ? 16L * (t.elements() / t.stored().blockElements()) // GGUF Q8_0/Q4_0: one fp16 scale per block
                : 0; // ONNX int8: scale and zero point live in separate (kept) tensors
        String scheme = t.stored().name().toLowerCase(java.util.Locale.ROOT) + " as stored";
        return new Prepared(t, qt, scheme, "", meta, (long) qt.bits() * t.elements() + meta, meta,
                BaselineSizes.measure(qt), Double.NaN);
    }

    /**
     * fp16/bf16 exponent coding: the exponent fields become 8-bit symbols for the same block coder (so their round
     * trip is checked the same way), the sign and mantissa bits are counted raw.
     */
    private static Prepared exponentCoded(TensorData t, ElementType format) {
        if (format != ElementType.FP16 && format != ElementType.BF16) {
            throw new IllegalArgumentException("exponent coding needs fp16 or bf16, not " + format.id());
        }
        boolean bf16 = format == ElementType.BF16;
        int mantissaBits = bf16 ? 7 : 10;
        float[] v = t.values();
        byte[] exponents = new byte[v.length];
        byte[] raw16 = new byte[2 * v.length];
        double noise = 0;
        double signal = 0;
        for (int i = 0; i < v.length; i++) {
            short h = bf16 ? Float16Bits.toBf16(v[i]) : Float16Bits.toFp16(v[i]);
            exponents[i] = (byte) (((h & 0x7FFF) >>> mantissaBits) & 0xFF);
            raw16[2 * i] = (byte) h;
            raw16[2 * i + 1] = (byte) (h >>> 8);
            float back = bf16 ? Float16Bits.fromBf16(h) : Float16Bits.fromFp16(h);
            if (Float.isInfinite(back) && Float.isFinite(v[i])) {
                throw new BadInputException(t.name() + ": element " + i + " = " + v[i]
                        + " overflows " + format.id() + "; expected weights that fit, or use bf16");
            }
            noise += (double) (back - v[i]) * (back - v[i]);
            signal += (double) v[i] * v[i];
        }
        QuantizedTensor symbols = new QuantizedTensor(1, v.length, new WeightQuant(ElementType.INT8,
                WeightQuant.PER_TENSOR, true), exponents, new float[0], null);
        long signMantissa = (long) (1 + mantissaBits) * v.length;
        double sqnr = noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
        // The general-purpose compressors get the plain 16-bit values: that is what they would be given in practice.
        return new Prepared(t, symbols, format.id() + "+exp", "", 0, 16L * v.length, signMantissa,
                BaselineSizes.measure(raw16), sqnr);
    }

    private static void parallel(int threads, int n, IntConsumer task, IntConsumer progress) {
        if (threads <= 1 || n <= 1) {
            for (int i = 0; i < n; i++) {
                task.accept(i);
                progress.accept(i);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, n), r -> {
            Thread th = new Thread(r, "compress");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int idx = i;
                futures.add(pool.submit(() -> task.accept(idx)));
            }
            for (int i = 0; i < n; i++) {
                try {
                    futures.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                progress.accept(i);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
