package io.nccsim.codec.learned;

import io.nccsim.common.BadInputException;
import io.nccsim.trace.TensorRole;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** codecs.json: a trained level written and read back codes every block exactly as before; bad files refused. */
class TrainedCodecsTest {
    private static CodecSetup setup(int n) {
        return new CodecSetup(List.of(new CodecSetup.ModelRef("m.bin", "ab12", "m", 5)), TensorRole.DataClass.WEIGHTS,
                List.of(TensorRole.ATTN_Q), n, LayerSplit.LAST_LAYER_HELD_OUT, 100, 400, 100, 50, 7, false, "default",
                CodecSetup.PER_TENSOR_RMS, "");
    }

    private static TrainedCodecs trained() {
        double[][] blocks = SyntheticBlocks.plane(300, 8, 0.05, 3.0, 4);
        BlockCodecConfig linear = BlockCodecConfig.linear(8, 4, 0.1, 0.001).withTraining(3, 32, 0.01,
                BlockCodecConfig.Schedule.COSINE, 3);
        BlockCodecConfig mlp = BlockCodecConfig.mlp(8, 2, 6, 0.3, 0.01).withTraining(3, 32, 0.01,
                BlockCodecConfig.Schedule.CONSTANT, 3);
        return new TrainedCodecs(setup(8), List.of(new TrainedCodecs.Level("a", BlockCodecTrainer.train(linear, blocks)),
                new TrainedCodecs.Level("b", BlockCodecTrainer.train(mlp, blocks))));
    }

    @Test
    void writtenAndReadBackTheLevelsCodeEveryBlockIdentically() {
        TrainedCodecs original = trained();
        String json = original.toJson();
        TrainedCodecs read = TrainedCodecs.parse(json, "codecs.json");
        assertEquals(original.setup(), read.setup());
        assertEquals(json, read.toJson(), "a second write gives the same bytes");
        double[][] probe = SyntheticBlocks.plane(50, 8, 0.5, 3.0, 99);
        for (int l = 0; l < 2; l++) {
            TrainedBlockCodec a = original.levels().get(l).codec();
            TrainedBlockCodec b = read.levels().get(l).codec();
            assertEquals(a.config(), b.config());
            assertArrayEquals(a.parameters(), b.parameters(), 0.0);
            assertEquals(a.tableBytes(), b.tableBytes());
            assertEquals(a.training(), b.training());
            for (double[] block : probe) {
                int[] la = a.encode(block);
                assertArrayEquals(la, b.encode(block));
                assertEquals(a.bitsHuffman(la), b.bitsHuffman(la));
                assertEquals(a.bitsIdeal(la), b.bitsIdeal(la), 0.0);
                assertArrayEquals(a.decode(la), b.decode(la), 0.0);
            }
        }
    }

    @Test
    void malformedFilesAreRefusedInOneLineNamingTheField() {
        String json = trained().toJson();
        assertRefused(json.replaceFirst("\"parameters\" : \\[", "\"parameterz\" : ["), "levels[0].parameters: is missing");
        assertRefused(json.replaceFirst("\"step\" : [0-9.Ee-]+", "\"step\" : \"big\""), "levels[0].step: expected a number");
        assertRefused(json.replaceFirst("\"format\" : \"nccsim-learned-codecs\"", "\"format\" : \"x\""),
                "format: expected 'nccsim-learned-codecs'");
        assertRefused(json.replaceFirst("\"seed\" : 7,", "\"seed\" : 7, \"colour\" : 1,"),
                "setup.colour: is not a known field");
        assertRefused(json.replaceFirst("\"data_class\" : \"weights\"", "\"data_class\" : \"kv_cache\""),
                "setup.roles: role 'attn_q' is not of data class kv_cache");
        // One parameter fewer than the network has.
        assertRefused(json.replaceFirst("\"parameters\" : \\[ [^,]+,", "\"parameters\" : ["),
                "levels[0].parameters: expected 112 values");
        assertRefused(json.substring(0, json.length() / 2), "codecs.json:");
    }

    private static void assertRefused(String json, String expected) {
        BadInputException e = assertThrows(BadInputException.class, () -> TrainedCodecs.parse(json, "codecs.json"));
        assertTrue(e.getMessage().startsWith("codecs.json"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void perBlockWeightsAllEqualToTheCommonWeightsTrainTheSameCodec() {
        double[][] blocks = SyntheticBlocks.plane(200, 8, 0.1, 2.0, 5);
        double[] w = {0.5, 1.5, 1, 1, 2, 0.5, 0.5, 1}; // mean 1, so the common path's rescaling changes nothing
        double[][] rows = new double[blocks.length][];
        for (int b = 0; b < rows.length; b++) {
            rows[b] = b % 3 == 0 ? w.clone() : w;
        }
        BlockCodecConfig c = BlockCodecConfig.linear(8, 3, 0.1, 0.001).withTraining(4, 16, 0.01,
                BlockCodecConfig.Schedule.COSINE, 4);
        TrainedBlockCodec common = BlockCodecTrainer.train(c, blocks, w, null);
        TrainedBlockCodec each = BlockCodecTrainer.trainWeighted(c, blocks, rows, null);
        assertArrayEquals(common.parameters(), each.parameters(), 0.0);
        assertEquals(common.evaluate(blocks).weightedNormalisedMse(), each.evaluate(blocks, rows)
                .weightedNormalisedMse(), 1e-15);
    }

    @Test
    void perBlockWeightsSteerTheErrorToTheLightPositions() {
        // Independent values (nothing to share between positions), 4 of 8 latents: the codec must drop something.
        Random rng = new Random(3);
        double[][] blocks = new double[600][8];
        for (double[] b : blocks) {
            for (int i = 0; i < 8; i++) {
                b[i] = rng.nextGaussian();
            }
        }
        double[][] heavyFirst = new double[blocks.length][];
        for (int b = 0; b < blocks.length; b++) {
            heavyFirst[b] = new double[] {1.9, 1.9, 1.9, 1.9, 0.1, 0.1, 0.1, 0.1};
        }
        BlockCodecConfig c = BlockCodecConfig.linear(8, 4, 0.05, 0.0001).withTraining(30, 32, 0.01,
                BlockCodecConfig.Schedule.COSINE, 30);
        TrainedBlockCodec codec = BlockCodecTrainer.trainWeighted(c, blocks, heavyFirst, null);
        double heavy = 0;
        double light = 0;
        for (double[] b : blocks) {
            double[] d = codec.decode(codec.encode(b));
            for (int i = 0; i < 8; i++) {
                double e = (d[i] - b[i]) * (d[i] - b[i]);
                if (i < 4) {
                    heavy += e;
                } else {
                    light += e;
                }
            }
        }
        assertTrue(heavy * 5 < light, "heavy positions " + heavy + ", light " + light);
    }
}
