package io.nccsim.codec.learned;

import io.nccsim.capture.Llama2cTokenizer;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.model.OnnxWeightNames;
import io.nccsim.model.TensorData;
import io.nccsim.testutil.MiniLm;
import io.nccsim.testutil.TestModels;
import io.nccsim.trace.TensorRole;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blocks from the real models: stories260K (skipped when absent) and all-MiniLM-L6-v2 (on the test class path). */
class RealBlocksTest {
    @Test
    void stories260KBlockCountsFollowItsShapes() {
        List<SourceTensor> weights = TensorSources.weights(TestModels.stories260K());
        BlockDataset d = BlockDataset.build(weights, BlockDataset.Options.of(16), ChannelWeights.NONE);
        // Per layer, blocks of 16 along rows: wq 64x64 -> 256, wk and wv 32x64 -> 128 each, wo 256, w1 and w3
        // 172x64 -> 688 each, w2 64x172 -> 64 * 10 = 640 (12 values a row dropped): 2784. The embedding 512x64: 2048.
        assertEquals(5, d.layersPerModel().get("stories260K"));
        assertEquals(2784, d.evaluation().size());
        assertEquals(2784, d.validation().size());
        assertEquals(3 * 2784 + 2048, d.train().size());
        assertEquals(5L * 64 * 12, d.droppedValues());
        d.evaluation().sources().forEach(s -> assertEquals(4, s.layer()));
        d.validation().sources().forEach(s -> assertEquals(3, s.layer()));

        BlockDataset capped = BlockDataset.build(weights, BlockDataset.Options.of(16).withCap(1000, 3),
                ChannelWeights.NONE);
        assertEquals(1000, capped.train().size());
        assertEquals(3 * 2784 + 2048, capped.trainBlocksBeforeCap());
    }

    @Test
    void capturedActivationsAndInputChannelStatistics() {
        ModelFile file = ModelLoaders.load(TestModels.stories260K());
        Llama2cTokenizer tok = Llama2cTokenizer.load(TestModels.stories260KTokenizer(), 512);
        ActivationCapture.Captured c = ActivationCapture.run(file, tok, ActivationCapture.DEFAULT_TEXT);
        int positions = tok.encode(ActivationCapture.DEFAULT_TEXT, true, false).length;
        assertEquals(positions, c.positions());
        SourceTensor attnIn = find(c.tensors(), "activation.attn_in", 0);
        assertEquals(positions, attnIn.rows());
        assertEquals(64, attnIn.cols());
        SourceTensor q = find(c.tensors(), "activation.q", 2);
        assertEquals(2 * positions, q.rows(), "q is written before and after RoPE");
        assertEquals(172, find(c.tensors(), "activation.ffn_act", 4).cols());
        SourceTensor k = find(c.tensors(), "kv_cache.k", 1);
        assertEquals(TensorRole.KV_CACHE, k.role());
        assertEquals(positions, k.rows());
        assertEquals(32, k.cols());
        assertEquals(-1, find(c.tensors(), "activation.final_norm", -1).layer());
        assertTrue(c.tensors().stream().noneMatch(t -> t.name().equals("activation.logits")));

        // The statistics of a matrix are the mean squares of the columns of its input activation, recomputed here.
        assertMeanSquares(c.channelWeights(), "stories260K/layers.0.attention.wq.weight", attnIn);
        assertMeanSquares(c.channelWeights(), "stories260K/layers.3.feed_forward.w2.weight",
                find(c.tensors(), "activation.ffn_act", 3));
        assertMeanSquares(c.channelWeights(), "stories260K/layers.1.attention.wo.weight",
                find(c.tensors(), "activation.attn_out", 1));
        // The tied classifier: tok_embeddings.weight multiplied by the final norm's output.
        assertMeanSquares(c.channelWeights(), "stories260K/tok_embeddings.weight",
                find(c.tensors(), "activation.final_norm", -1));

        List<SourceTensor> all = new ArrayList<>(TensorSources.weights(file));
        all.addAll(c.tensors());
        BlockDataset d = BlockDataset.build(all, BlockDataset.Options.of(16), c.channelWeights());
        BlockDataset.BlockSet eval = d.evaluation();
        int weighted = 0;
        for (int i = 0; i < eval.size(); i++) {
            BlockDataset.BlockSource s = eval.sources().get(i);
            assertEquals(4, s.layer());
            boolean isWeight = !s.role().equals("activation") && !s.role().equals("kv_cache");
            if (isWeight) {
                assertNotNull(eval.weights()[i], s.toString());
                weighted++;
            } else {
                assertNull(eval.weights()[i], s.toString());
            }
        }
        assertEquals(2784, weighted, "every layer-4 weight block has weights");
        BlockDataset acts = BlockDataset.build(all, BlockDataset.Options.of(16).withRoles(Set.of(TensorRole.ACTIVATION)),
                c.channelWeights());
        acts.evaluation().sources().forEach(s -> assertEquals("activation", s.role()));
        assertTrue(acts.evaluation().size() > 0);
    }

    private static void assertMeanSquares(ChannelWeights cw, String key, SourceTensor input) {
        double[] got = cw.meanSquares(key);
        assertNotNull(got, key);
        assertEquals(input.cols(), got.length, key);
        float[] v = input.values();
        for (int ch = 0; ch < input.cols(); ch++) {
            double sum = 0;
            for (int r = 0; r < input.rows(); r++) {
                sum += (double) v[r * input.cols() + ch] * v[r * input.cols() + ch];
            }
            double want = sum / input.rows();
            assertEquals(want, got[ch], 1e-9 * Math.max(1, want), key + " channel " + ch);
        }
    }

    private static SourceTensor find(List<SourceTensor> ts, String name, int layer) {
        return ts.stream().filter(t -> t.name().equals(name) && t.layer() == layer).findFirst().orElseThrow(
                () -> new AssertionError("no " + name + " at layer " + layer));
    }

    @Test
    void miniLmLinearWeightsAreTransposedToOutByIn() {
        ModelFile file = MiniLm.model();
        List<SourceTensor> weights = TensorSources.weights(file);
        SourceTensor up = weights.stream().filter(t -> t.name().equals("encoder.layer.2.intermediate.dense.weight"))
                .findFirst().orElseThrow();
        assertEquals(1536, up.rows(), "output channels");
        assertEquals(384, up.cols(), "input channels");
        assertEquals("all-minilm-l6-v2", up.model());
        String stored = OnnxWeightNames.linearWeightNames(file).entrySet().stream()
                .filter(e -> e.getValue().equals(up.name())).findFirst().orElseThrow().getKey();
        TensorData raw = file.tensor(stored);
        assertEquals(384, raw.rows(), "ONNX stores [in][out]");
        for (int[] oi : new int[][]{{0, 0}, {5, 7}, {1535, 383}, {1000, 17}}) {
            assertEquals(raw.values()[oi[1] * 1536 + oi[0]], up.values()[oi[0] * 384 + oi[1]]);
        }
        BlockDataset d = BlockDataset.build(weights, BlockDataset.Options.of(64), ChannelWeights.NONE);
        // Layer 5 held out: q, k, v, attention output 384x384 -> 2304 blocks each; intermediate 1536x384 -> 9216;
        // output 384x1536 -> 9216.
        assertEquals(4 * 2304 + 9216 + 9216, d.evaluation().size());
        assertEquals(6, d.layersPerModel().get("all-minilm-l6-v2"));
    }
}
