package io.nccsim.codec;

import io.nccsim.codec.MultiStreamLayout.Split;
import io.nccsim.common.BadInputException;
import io.nccsim.trace.ElementType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class TensorCoderTest {
    private static final int BLOCK = 1000;

    private static NamedTensor tensor(String name, SplittableRandom rnd, int rows, int cols, ElementType type,
                                      double scale) {
        WeightQuant quant = new WeightQuant(type, 64, true);
        byte[] symbols = SyntheticSymbols.laplacian(rnd, rows * cols, type.bits(), scale);
        return new NamedTensor(name, new QuantizedTensor(rows, cols, quant, symbols, new float[0], null));
    }

    /** A small llama-like model: embeddings, 3 layers of two int4 matrices, an output head. */
    private static List<NamedTensor> model() {
        SplittableRandom rnd = new SplittableRandom(17);
        List<NamedTensor> ts = new ArrayList<>();
        ts.add(tensor("tok_embeddings.weight", rnd, 33, 64, ElementType.INT4, 2.5));
        for (int layer = 0; layer < 3; layer++) {
            ts.add(tensor("layers." + layer + ".attention.wq.weight", rnd, 37, 64, ElementType.INT4,
                    0.8 + layer));
            ts.add(tensor("layers." + layer + ".feed_forward.w1.weight", rnd, 41, 64, ElementType.INT4,
                    1.5 + layer));
        }
        ts.add(tensor("output.weight", rnd, 29, 64, ElementType.INT4, 3));
        return ts;
    }

    private static HuffmanPlan plan(TableScope scope, List<NamedTensor> tensors) {
        MultiStreamLayout layout = new MultiStreamLayout(Split.INTERLEAVED, 4, 1, MultiStreamLayout.AUTO_OFFSET_BITS);
        return new TensorCoder(scope, BLOCK, 16, layout).code(tensors);
    }

    private static double entropyBits(long[] h) {
        long n = 0;
        for (long c : h) {
            n += c;
        }
        double bits = 0;
        for (long c : h) {
            if (c > 0) {
                bits -= c * (Math.log((double) c / n) / Math.log(2));
            }
        }
        return bits;
    }

    /** Checks that hold for every scope: exact round trip and bits that add up. */
    private static void checkAccounting(HuffmanPlan p, List<NamedTensor> tensors) {
        assertTrue(p.roundTripExact());
        assertEquals(tensors.size(), p.tensors().size());
        long tableBits = 0;
        for (int i = 0; i < tensors.size(); i++) {
            TensorCoding c = p.tensors().get(i);
            QuantizedTensor t = tensors.get(i).tensor();
            long[] hist = t.histogram();
            HuffmanCode code = p.tables().get(c.table()).code();
            assertEquals(tensors.get(i).name(), c.name());
            assertTrue(c.roundTripExact(), c.name());
            assertEquals(t.symbols().length, c.symbols());
            assertEquals(4L * t.symbols().length, c.rawBits());
            assertEquals((t.symbols().length + BLOCK - 1) / BLOCK, c.blocks());
            assertEquals(SyntheticSymbols.codedBits(hist, code), c.payloadBits(), c.name());
            long stored = 0;
            for (int bytes : c.blockBytes()) {
                stored += 8L * bytes;
            }
            assertEquals(stored, c.payloadBits() + c.headerBits() + c.paddingBits(), c.name());
            assertEquals(entropyBits(hist), c.shannonBits(), 1e-6 * c.shannonBits());
            assertTrue(c.payloadBits() >= c.shannonBits() - 1e-6, "no prefix code beats the entropy");
            assertTrue(c.blockShannonBits() <= c.shannonBits() + 1e-6, "a mixture has at least its parts' entropy");
            assertTrue(p.tables().get(c.table()).tensors().contains(c.name()));
            tableBits += c.tableBits();
        }
        assertEquals(p.tableBits(), tableBits, "each table charged exactly once");
    }

    @Test
    void perTensorScopeGivesEachTensorItsOwnTable() {
        List<NamedTensor> ts = model();
        HuffmanPlan p = plan(TableScope.PER_TENSOR, ts);
        checkAccounting(p, ts);
        assertEquals(ts.size(), p.tables().size());
        for (TensorCoding c : p.tensors()) {
            assertEquals(p.tables().get(c.table()).bits(), c.tableBits());
            // 16 symbols never need codes over 15 bits, so the limit of 16 does not bind: Huffman's theorem holds.
            assertTrue(c.payloadBits() < c.shannonBits() + c.symbols(), c.name());
        }
    }

    @Test
    void perLayerScopeSharesATableWithinEachLayer() {
        List<NamedTensor> ts = model();
        HuffmanPlan p = plan(TableScope.PER_LAYER, ts);
        checkAccounting(p, ts);
        assertEquals(3 + 2, p.tables().size(), "one per layer, and one each for embeddings and output");
        for (TensorCoding c : p.tensors()) {
            for (TensorCoding d : p.tensors()) {
                boolean sameLayer = c.layer() >= 0 && c.layer() == d.layer();
                assertEquals(sameLayer || c == d, c.table() == d.table(), c.name() + " / " + d.name());
            }
        }
        assertEquals(p.tables().get(p.tensors().get(1).table()).bits(), p.tensors().get(1).tableBits(),
                "the first tensor of layer 0 carries its table");
        assertEquals(0, p.tensors().get(2).tableBits(), "the second shares it");
        assertEquals(List.of("layers.1.attention.wq.weight", "layers.1.feed_forward.w1.weight"),
                p.tables().get(p.tensors().get(3).table()).tensors());
    }

    @Test
    void sharedScopeUsesOneTableChargedToTheFirstTensor() {
        List<NamedTensor> ts = model();
        HuffmanPlan p = plan(TableScope.SHARED, ts);
        checkAccounting(p, ts);
        assertEquals(1, p.tables().size());
        assertEquals(p.tables().get(0).bits(), p.tensors().get(0).tableBits());
        for (int i = 1; i < ts.size(); i++) {
            assertEquals(0, p.tensors().get(i).tableBits());
        }
        assertEquals((16 * 5 + 7) / 8 * 8, p.tableBits(), "16 lengths of 5 bits each (limit 16)");
    }

    @Test
    void moreSharingCostsPayloadAndSavesTables() {
        List<NamedTensor> ts = model();
        HuffmanPlan own = plan(TableScope.PER_TENSOR, ts);
        HuffmanPlan layer = plan(TableScope.PER_LAYER, ts);
        HuffmanPlan shared = plan(TableScope.SHARED, ts);
        // A table built for a group is the best code for that group's total, so a coarser group never does better.
        assertTrue(own.payloadBits() <= layer.payloadBits());
        assertTrue(layer.payloadBits() <= shared.payloadBits());
        assertTrue(own.tableBits() > layer.tableBits());
        assertTrue(layer.tableBits() > shared.tableBits());
        assertEquals(own.rawBits(), shared.rawBits());
    }

    @Test
    void differentBitWidthsNeverShareATable() {
        SplittableRandom rnd = new SplittableRandom(5);
        List<NamedTensor> ts = List.of(
                tensor("blk.0.attn_q.weight", rnd, 20, 64, ElementType.INT4, 1),
                tensor("blk.0.ffn_down.weight", rnd, 20, 64, ElementType.INT8, 9),
                tensor("blk.1.attn_q.weight", rnd, 20, 64, ElementType.INT2, 0.7),
                tensor("blk.1.ffn_down.weight", rnd, 20, 64, ElementType.INT8, 9));
        HuffmanPlan p = new TensorCoder(TableScope.SHARED, 333, 12, MultiStreamLayout.of(8, Split.CHUNKED))
                .code(ts);
        assertEquals(3, p.tables().size());
        assertEquals(p.tensors().get(1).table(), p.tensors().get(3).table());
        assertTrue(p.roundTripExact());
        assertEquals(8L * 1280, p.tensors().get(1).rawBits());
        HuffmanPlan layers = new TensorCoder(TableScope.PER_LAYER, 333, 12, MultiStreamLayout.of(8, Split.CHUNKED))
                .code(ts);
        assertEquals(4, layers.tables().size(), "per layer and per width");
    }

    @Test
    void emptyTensorCodesToNothing() {
        NamedTensor empty = new NamedTensor("layers.0.empty", new QuantizedTensor(0, 64,
                new WeightQuant(ElementType.INT4, 64, true), new byte[0], new float[0], null));
        HuffmanPlan p = plan(TableScope.PER_TENSOR, List.of(empty));
        TensorCoding c = p.tensors().get(0);
        assertEquals(0, c.blocks());
        assertEquals(0, c.blockBits());
        assertTrue(c.roundTripExact());
    }

    @Test
    void badInputsAreRefused() {
        List<NamedTensor> ts = model();
        List<NamedTensor> twice = List.of(ts.get(0), ts.get(0));
        BadInputException e = assertThrows(BadInputException.class, () -> plan(TableScope.SHARED, twice));
        assertTrue(e.getMessage().contains("tok_embeddings.weight"), e.getMessage());
        MultiStreamLayout layout = MultiStreamLayout.of(2, Split.CHUNKED);
        e = assertThrows(BadInputException.class, () -> new TensorCoder(TableScope.SHARED, 100, 3, layout)
                .code(ts));
        assertTrue(e.getMessage().contains("max_code_length"), e.getMessage());
        assertThrows(BadInputException.class, () -> new TensorCoder(TableScope.SHARED, 0, 12, layout));
        assertThrows(BadInputException.class, () -> TableScope.parse("per-block", "--table-scope"));
        for (TableScope scope : TableScope.values()) {
            assertEquals(scope, TableScope.parse(scope.id(), "--table-scope"));
        }
        assertEquals(TableScope.PER_LAYER, TableScope.parse("PER_LAYER", "--table-scope"));
    }
}
