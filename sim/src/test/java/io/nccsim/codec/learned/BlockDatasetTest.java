package io.nccsim.codec.learned;

import io.nccsim.common.BadInputException;
import io.nccsim.trace.TensorRole;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Block cutting, the layer split, the capped draw and per-position weights on small synthetic tensors. */
class BlockDatasetTest {
    /** Four layers of a [3][10] wq and a [3][10] w1 whose values are their row-major index + 1000 * layer, an [2][8] embedding. */
    private static List<SourceTensor> synthetic() {
        List<SourceTensor> ts = new ArrayList<>();
        ts.add(tensor("tok_embeddings.weight", TensorRole.EMBEDDING, -1, 2, 8, 9000));
        for (int l = 0; l < 4; l++) {
            ts.add(tensor("layers." + l + ".attention.wq.weight", TensorRole.ATTN_Q, l, 3, 10, 1000 * l));
            ts.add(tensor("layers." + l + ".feed_forward.w1.weight", TensorRole.MLP_GATE, l, 3, 10, 1000 * l + 500));
        }
        return ts;
    }

    private static SourceTensor tensor(String name, TensorRole role, int layer, int rows, int cols, int base) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = base + i;
        }
        return new SourceTensor("m", name, role, layer, rows, cols, v);
    }

    @Test
    void blocksAlongRowsDropEachRowsTailAndSplitByLayer() {
        BlockDataset d = BlockDataset.build(synthetic(), BlockDataset.Options.of(4), ChannelWeights.NONE);
        // Each [3][10] matrix: 2 blocks a row (8 values), 2 values a row dropped; the embedding: 2 a row, none dropped.
        assertEquals(Map.of("m", 4), d.layersPerModel());
        assertEquals(2 * 6, d.evaluation().size(), "layer 3's two matrices");
        assertEquals(2 * 6, d.validation().size(), "layer 2's two matrices");
        assertEquals(4 + 2 * 2 * 6, d.train().size(), "the embedding and layers 0 and 1");
        assertEquals(8 * 3 * 2, d.droppedValues());
        // Layer 3's wq: row 0 gives 3000..3003 and 3004..3007, row 1 starts at 3010.
        assertArrayEquals(new double[]{3000, 3001, 3002, 3003}, d.evaluation().values()[0]);
        assertArrayEquals(new double[]{3004, 3005, 3006, 3007}, d.evaluation().values()[1]);
        assertArrayEquals(new double[]{3010, 3011, 3012, 3013}, d.evaluation().values()[2]);
        BlockDataset.BlockSource s = d.evaluation().sources().get(3);
        assertEquals(new BlockDataset.BlockSource("m", "layers.3.attention.wq.weight", "attn_q", 3, 1, 4), s);
        assertEquals("m/layers.3.attention.wq.weight", s.tensorKey());
        for (BlockDataset.BlockSource src : d.train().sources()) {
            assertTrue(src.layer() <= 1, src.toString());
        }
        assertEquals(-1, d.train().sources().get(0).layer());
        assertNull(d.evaluation().weights()[0], "no statistics: no weights");
        assertTrue(d.describe().contains("train layers 0-1 (and tensors outside the layers), validation 2, "
                + "evaluation 3"), d.describe());
    }

    @Test
    void flatBlocksCrossRows() {
        BlockDataset d = BlockDataset.build(synthetic(), BlockDataset.Options.of(4).withCut(BlockDataset.Cut.FLAT),
                ChannelWeights.NONE);
        // 30 values: 7 blocks and 2 dropped per matrix; the embedding's 16 values: 4 blocks.
        assertEquals(14, d.evaluation().size());
        assertEquals(4 + 28, d.train().size());
        assertEquals(8 * 2, d.droppedValues());
        assertArrayEquals(new double[]{3008, 3009, 3010, 3011}, d.evaluation().values()[2]);
        assertEquals(new BlockDataset.BlockSource("m", "layers.3.attention.wq.weight", "attn_q", 3, 0, 8),
                d.evaluation().sources().get(2));
    }

    @Test
    void rolesChooseTensors() {
        BlockDataset d = BlockDataset.build(synthetic(),
                BlockDataset.Options.of(4).withRoles(Set.of(TensorRole.MLP_GATE)), ChannelWeights.NONE);
        assertEquals(12, d.train().size());
        for (BlockDataset.BlockSet set : List.of(d.train(), d.validation(), d.evaluation())) {
            set.sources().forEach(s -> assertEquals("mlp_gate", s.role()));
        }
        assertThrows(BadInputException.class, () -> BlockDataset.build(synthetic(),
                BlockDataset.Options.of(4).withRoles(Set.of(TensorRole.KV_CACHE)), ChannelWeights.NONE));
    }

    @Test
    void cappedTrainingBlocksAreADeterministicSubsetInSourceOrder() {
        BlockDataset all = BlockDataset.build(synthetic(), BlockDataset.Options.of(4), ChannelWeights.NONE);
        BlockDataset a = BlockDataset.build(synthetic(), BlockDataset.Options.of(4).withCap(5, 7), ChannelWeights.NONE);
        BlockDataset b = BlockDataset.build(synthetic(), BlockDataset.Options.of(4).withCap(5, 7), ChannelWeights.NONE);
        BlockDataset c = BlockDataset.build(synthetic(), BlockDataset.Options.of(4).withCap(5, 8), ChannelWeights.NONE);
        assertEquals(5, a.train().size());
        assertEquals(28, a.trainBlocksBeforeCap());
        assertEquals(a.train().sources(), b.train().sources(), "same seed, same draw");
        assertNotEquals(a.train().sources(), c.train().sources(), "another seed, another draw");
        int last = -1;
        for (BlockDataset.BlockSource s : a.train().sources()) {
            int at = all.train().sources().indexOf(s);
            assertTrue(at > last, "drawn blocks keep source order: " + a.train().sources());
            last = at;
        }
        assertEquals(all.evaluation().size(), a.evaluation().size(), "held-out blocks are never sampled");
    }

    @Test
    void positionWeightsFollowInputChannels() {
        double[] ms = new double[10];
        for (int i = 0; i < 10; i++) {
            ms[i] = i + 1; // sum 55: normalised weight of channel i is (i + 1) * 10 / 55
        }
        ChannelWeights cw = new ChannelWeights(Map.of("m/layers.3.attention.wq.weight", ms));
        BlockDataset rows = BlockDataset.build(synthetic(), BlockDataset.Options.of(4), cw);
        // Block 3 of layer 3's wq: row 1, columns 4..7.
        double[] w = rows.evaluation().weights()[3];
        for (int j = 0; j < 4; j++) {
            assertEquals((4 + j + 1) * 10.0 / 55, w[j], 1e-12);
        }
        assertNull(rows.evaluation().weights()[6], "w1 has no statistics");
        assertTrue(rows.evaluation().weighted());
        BlockDataset flat = BlockDataset.build(synthetic(), BlockDataset.Options.of(4).withCut(BlockDataset.Cut.FLAT),
                cw);
        // Flat block 2 starts at index 8: channels 8, 9, then 0, 1 of the next row.
        assertArrayEquals(new double[]{90.0 / 55, 100.0 / 55, 10.0 / 55, 20.0 / 55}, flat.evaluation().weights()[2],
                1e-12);
    }

    @Test
    void splitNeedsATrainingLayer() {
        LayerSplit split = new LayerSplit(1, 1);
        assertEquals(LayerSplit.Part.TRAIN, split.partOf(-1, 2, "m"), "outside the layers: always training");
        BadInputException e = assertThrows(BadInputException.class, () -> split.partOf(0, 2, "m"));
        assertTrue(e.getMessage().contains("m has 2 layers"), e.getMessage());
        assertThrows(BadInputException.class, () -> new LayerSplit(0, 0));
        assertEquals(LayerSplit.Part.VALIDATION, new LayerSplit(2, 1).partOf(2, 5, "m"));
        assertEquals(LayerSplit.Part.TRAIN, new LayerSplit(2, 1).partOf(1, 5, "m"));
        assertEquals("train layers 0-2 (and tensors outside the layers), validation 3, evaluation 4",
                LayerSplit.LAST_LAYER_HELD_OUT.describe(5, "stories260K"));
        assertThrows(BadInputException.class, () -> BlockDataset.Options.of(1));
    }

    @Test
    void modelLabelsAndTranspose() {
        assertEquals("stories260K", TensorSources.modelLabel("/x/y/stories260K.bin"));
        assertEquals("all-minilm-l6-v2", TensorSources.modelLabel("/r/a.jar!/all-minilm-l6-v2.onnx"));
        assertArrayEquals(new float[]{1, 4, 2, 5, 3, 6}, TensorSources.transpose(new float[]{1, 2, 3, 4, 5, 6}, 2, 3));
    }
}
