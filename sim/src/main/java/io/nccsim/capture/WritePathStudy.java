package io.nccsim.capture;

import io.nccsim.codec.CalibratedTables;
import io.nccsim.codec.CalibrationCost;
import io.nccsim.model.ModelFile;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Huffman coding costs on the write path, where the data (activations, KV cache) does not exist when the code
 * table has to be chosen: the NCC must carry tables made ahead of time from calibration data. Runs a real decoder
 * over a calibration text and over a different evaluation text, records every activation vector and every KV-cache
 * vector it writes as int8 symbols (per vector, symmetric: the scale of each vector is stored beside it, as the KV
 * cache does), and for each data class measures the evaluation stream coded with
 * <ul>
 *   <li>the ideal table, built from the evaluation data itself (not available to hardware; the reference),</li>
 *   <li>one calibrated table (add-one smoothed, so unseen symbols still have codes),</li>
 *   <li>a set of K calibrated tables with a per-block choice ({@code ceil(log2 K)} selector bits a block).</li>
 * </ul>
 * The difference between the calibrated and the ideal size is the cost of a table that does not match the data.
 */
public final class WritePathStudy {
    /** The data classes measured, as the report names them. */
    public static final List<String> CLASSES = List.of("kv_cache", "activations");
    /** The row that codes activations with the KV cache's table: the price of a table made for other data. */
    public static final String MISMATCHED = "activations, KV-cache table";

    /**
     * One data class under one table setting.
     *
     * @param dataClass    "kv_cache" or "activations"
     * @param tables       calibrated tables in the set (K)
     * @param cost         the evaluation stream coded with the calibrated set, against the ideal table
     * @param rawBits      the evaluation stream at 8 bits a symbol
     */
    public record Row(String dataClass, int tables, CalibrationCost cost, long rawBits) {
        public double codedBitsPerSymbol() {
            return (double) cost.codedBits() / cost.symbols();
        }

        public double idealBitsPerSymbol() {
            return (double) cost.idealBits() / cost.symbols();
        }
    }

    /** The default calibration text: a short story in the style the TinyStories models were trained on. */
    public static final String CALIBRATION_TEXT = "Once upon a time, there was a small dog named Max. Max liked to "
            + "run in the big green field behind the house. One day, Max found a red ball under a tree. He picked it "
            + "up and ran to his friend Sam. Sam threw the ball far away, and Max ran after it very fast. They played "
            + "all afternoon until the sun went down. Then they went home, ate dinner and fell asleep, happy and tired.";
    /** The default evaluation text: another story, so that the tables are tried on data they were not built from. */
    public static final String EVALUATION_TEXT = "Lily had a little blue boat. Every morning she took it to the pond "
            + "near her house. One windy day the boat sailed to the middle of the pond and Lily could not reach it. "
            + "She felt sad and started to cry. A kind old man saw her and helped her get the boat back with a long "
            + "stick. Lily said thank you and smiled. From that day on, she always held the string of her boat.";

    private WritePathStudy() {
    }

    /**
     * Runs {@code model} over both texts (teacher-forced: every token of the text is fed, so the two runs see
     * different data) and measures each data class with sets of 1 and {@code k} tables.
     */
    public static List<Row> run(ModelFile model, Llama2cTokenizer tokenizer, String calibrationText,
                                String evaluationText, int k, int maxCodeLength, int blockSymbols, long seed) {
        Map<String, byte[]> calibration = record(model, tokenizer, calibrationText);
        Map<String, byte[]> evaluation = record(model, tokenizer, evaluationText);
        List<Row> rows = new ArrayList<>();
        for (String dataClass : CLASSES) {
            List<long[]> calibrationBlocks = blockHistograms(calibration.get(dataClass), blockSymbols);
            byte[] eval = evaluation.get(dataClass);
            for (int tables : k == 1 ? List.of(1) : List.of(1, k)) {
                CalibratedTables set = CalibratedTables.calibrate(calibrationBlocks, tables, maxCodeLength, seed);
                rows.add(new Row(dataClass, tables, set.cost(eval, blockSymbols), 8L * eval.length));
            }
        }
        // A table that does not match the data at all: the KV cache's calibrated table used for activations.
        CalibratedTables kvTable = CalibratedTables.calibrate(blockHistograms(calibration.get("kv_cache"),
                blockSymbols), 1, maxCodeLength, seed);
        byte[] act = evaluation.get("activations");
        rows.add(new Row(MISMATCHED, 1, kvTable.cost(act, blockSymbols), 8L * act.length));
        return rows;
    }

    /** The int8 symbols of every KV vector and every activation vector written while the text is run. */
    static Map<String, byte[]> record(ModelFile model, Llama2cTokenizer tokenizer, String text) {
        ByteArrayOutputStream kv = new ByteArrayOutputStream();
        ByteArrayOutputStream act = new ByteArrayOutputStream();
        LlamaModel m = LlamaModel.of(model);
        int headSize = m.config().headSize();
        AccessListener recorder = new AccessListener() {
            @Override
            public void onKvWrite(int layer, int pos, float[] k, float[] v) {
                // One scale per head vector, as the int8 KV cache stores it.
                for (int from = 0; from < k.length; from += headSize) {
                    appendInt8(kv, k, from, headSize);
                    appendInt8(kv, v, from, headSize);
                }
            }

            @Override
            public void onActivation(String name, int layer, float[] values, boolean write) {
                if (write && !name.equals("logits")) {
                    appendInt8(act, values, 0, values.length);
                }
            }
        };
        LlamaEngine engine = new LlamaEngine(m, KvPrecision.FP32, recorder);
        int[] tokens = tokenizer.encode(text, true, false);
        int positions = Math.min(tokens.length, m.config().seqLen());
        for (int pos = 0; pos < positions; pos++) {
            engine.forward(tokens[pos], pos);
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("kv_cache", kv.toByteArray());
        out.put("activations", act.toByteArray());
        return out;
    }

    /** Symmetric int8 of {@code n} values from {@code from}, as unsigned symbols (code + 128). */
    private static void appendInt8(ByteArrayOutputStream out, float[] v, int from, int n) {
        float maxAbs = 0;
        for (int i = from; i < from + n; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(v[i]));
        }
        float scale = maxAbs / 127f;
        for (int i = from; i < from + n; i++) {
            int code = scale == 0 ? 0 : Math.round(v[i] / scale);
            out.write(code + 128);
        }
    }

    static List<long[]> blockHistograms(byte[] symbols, int blockSymbols) {
        List<long[]> blocks = new ArrayList<>();
        for (int from = 0; from < symbols.length; from += blockSymbols) {
            long[] h = new long[256];
            for (int i = from; i < Math.min(symbols.length, from + blockSymbols); i++) {
                h[symbols[i] & 0xFF]++;
            }
            blocks.add(h);
        }
        return blocks;
    }

    /** A Markdown section for the report. */
    public static String markdown(List<Row> rows, String calibrationNote) {
        StringBuilder sb = new StringBuilder("## Write path: activations and KV cache\n\n");
        sb.append("Tables for data written at run time must exist before the data does. ").append(calibrationNote)
                .append(" Every activation vector and KV-cache head vector the model wrote is int8 (symmetric, one ")
                .append("scale per vector, scales not counted here). *ideal* = a table built from the evaluation ")
                .append("data itself (unreachable for hardware: the reference); *calibrated* = K add-one-smoothed ")
                .append("tables from the calibration run, each block choosing the best (selector bits counted).\n\n");
        sb.append("| data | symbols | K tables | raw | ideal | calibrated | mismatch cost |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(java.util.Locale.ROOT, "| %s | %d | %d | 8.000 | %.3f | %.3f | %+.2f%% |%n",
                    r.dataClass(), r.cost().symbols(), r.tables(), r.idealBitsPerSymbol(), r.codedBitsPerSymbol(),
                    r.cost().mismatchPercent()));
        }
        sb.append("\nBits per symbol. Mismatch cost = calibrated over ideal, minus one.\n");
        return sb.toString();
    }
}
