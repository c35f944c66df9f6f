package io.nccsim.codec.learned;

import io.nccsim.codec.Float16Bits;
import io.nccsim.codec.learned.BlockCodecConfig.Schedule;
import io.nccsim.common.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training on synthetic data whose answer is known, reproducibility, and the real (Huffman) bit counts. */
class BlockCodecTrainingTest {
    // A weight-like scale, so that the per-tensor normalisation is exercised.
    private static final double SCALE = 0.03;
    private static final double[][] PLANE = SyntheticBlocks.plane(2000, 8, 0.01, SCALE, 1);
    private static final double[][] PLANE_EVAL = SyntheticBlocks.plane(500, 8, 0.01, SCALE, 1);
    private static final double[][] LAPLACE = SyntheticBlocks.laplace(2000, 8, 0.02, 2);
    private static final double[][] LAPLACE_EVAL = SyntheticBlocks.laplace(800, 8, 0.02, 3);

    private static BlockCodecConfig quick(BlockCodecConfig c) {
        return c.withTraining(40, 32, 0.01, Schedule.COSINE, 8);
    }

    @Test
    void blocksOnATwoDimensionalSubspaceAreReconstructedFromTwoLatents() {
        // The data carries 2 equal-variance directions: k = 2 can keep both, k = 1 at best one of them, i.e. half
        // of the energy (SQNR <= 10 log10(2) = 3 dB), whatever it learns.
        CodecEvaluation two = BlockCodecTrainer.train(quick(BlockCodecConfig.linear(8, 2, 0.05, 3e-4)), PLANE)
                .evaluate(PLANE_EVAL);
        CodecEvaluation one = BlockCodecTrainer.train(quick(BlockCodecConfig.linear(8, 1, 0.05, 3e-4)), PLANE)
                .evaluate(PLANE_EVAL);
        assertTrue(two.sqnrDb() > 25, "k=2 SQNR " + two.sqnrDb());
        assertTrue(two.mse() < 0.01 * two.signalPower(), "k=2 mse " + two.mse());
        assertTrue(one.sqnrDb() < 4, "k=1 SQNR " + one.sqnrDb());
        CodecEvaluation mlp = BlockCodecTrainer.train(quick(BlockCodecConfig.mlp(8, 2, 16, 0.05, 3e-4)), PLANE)
                .evaluate(PLANE_EVAL);
        assertTrue(mlp.sqnrDb() > 15, "MLP k=2 SQNR " + mlp.sqnrDb());
    }

    @Test
    void rateFallsAndDistortionRisesAsLambdaRateRises() {
        BlockCodecConfig base = quick(BlockCodecConfig.linear(8, 8, 0.1, 1e-3));
        CodecEvaluation low = BlockCodecTrainer.train(base, LAPLACE).evaluate(LAPLACE_EVAL);
        CodecEvaluation high = BlockCodecTrainer.train(base.withLambdaRate(0.1), LAPLACE).evaluate(LAPLACE_EVAL);
        assertTrue(high.bitsPerValueIdeal() < low.bitsPerValueIdeal() - 1,
                "ideal bits " + low.bitsPerValueIdeal() + " -> " + high.bitsPerValueIdeal());
        assertTrue(high.bitsPerValueHuffman() < low.bitsPerValueHuffman(),
                "Huffman bits " + low.bitsPerValueHuffman() + " -> " + high.bitsPerValueHuffman());
        assertTrue(high.mse() > low.mse(), "mse " + low.mse() + " -> " + high.mse());
    }

    @Test
    void theSameSeedGivesBitIdenticalParametersAndAnotherSeedDoesNot() {
        BlockCodecConfig c = BlockCodecConfig.mlp(8, 3, 6, 0.2, 0.01).withTraining(5, 16, 0.01, Schedule.STEP, 3);
        TrainedBlockCodec a = BlockCodecTrainer.train(c, LAPLACE);
        TrainedBlockCodec b = BlockCodecTrainer.train(c, LAPLACE);
        assertArrayEquals(a.parameters(), b.parameters(), 0.0);
        assertTrue(Arrays.equals(a.parameters(), b.parameters()), "bit-identical, not merely close");
        assertEquals(a.training(), b.training());
        TrainedBlockCodec other = BlockCodecTrainer.train(c.withSeed(2), LAPLACE);
        assertFalse(Arrays.equals(a.parameters(), other.parameters()));
        // Straight-through training is seeded the same way.
        BlockCodecConfig st = c.withRelaxation(BlockCodecConfig.Relaxation.STRAIGHT_THROUGH);
        assertTrue(Arrays.equals(BlockCodecTrainer.train(st, LAPLACE).parameters(),
                BlockCodecTrainer.train(st, LAPLACE).parameters()));
    }

    @Test
    void huffmanBitsAreAtLeastTheIdealBitsAndWithinAFewPercentOfThem() {
        TrainedBlockCodec codec = BlockCodecTrainer.train(quick(BlockCodecConfig.linear(8, 8, 0.1, 1e-3)), LAPLACE);
        CodecEvaluation e = codec.evaluate(LAPLACE_EVAL);
        assertTrue(e.bitsPerValueHuffman() >= e.bitsPerValueIdeal() - 0.02,
                e.bitsPerValueHuffman() + " vs ideal " + e.bitsPerValueIdeal());
        assertTrue(e.bitsPerValueHuffman() <= 1.03 * e.bitsPerValueIdeal(),
                e.bitsPerValueHuffman() + " vs ideal " + e.bitsPerValueIdeal());
        // Tables are a separate overhead: their bytes spread over the measured values.
        assertEquals(8.0 * codec.tableBytes() / e.values(), e.tableBitsPerValue(), 1e-12);
        assertEquals(e.bitsPerValueHuffman() + e.tableBitsPerValue(), e.bitsPerValueWithTables(), 1e-12);
    }

    @Test
    void huffmanBitsAreTheTableCodeLengthsAndAnEscapeCostsItsCodePlusSixteenBits() {
        TrainedBlockCodec codec = BlockCodecTrainer.train(quick(BlockCodecConfig.linear(8, 4, 0.2, 1e-2)), LAPLACE);
        LatentHuffmanTables t = codec.tables();
        int[] latent = codec.encode(LAPLACE_EVAL[0]);
        long expected = 0;
        for (int j = 0; j < latent.length; j++) {
            assertFalse(t.isEscape(j, latent[j]));
            expected += t.code(j).length(latent[j] - t.low(j));
        }
        assertEquals(expected, codec.bitsHuffman(latent));
        int[] far = latent.clone();
        far[1] = 30_000;
        assertTrue(t.isEscape(1, 30_000));
        int escapeLength = t.code(1).length(t.bins(1));
        assertTrue(escapeLength > 0);
        assertEquals(expected - t.code(1).length(latent[1] - t.low(1)) + escapeLength + 16, codec.bitsHuffman(far));
        // Table bytes: 4 bits per code length (codes of at most 15 bits) plus 4 bytes of range per dimension.
        long tableBytes = 0;
        for (int j = 0; j < 4; j++) {
            tableBytes += ((t.bins(j) + 1) * 4L + 7) / 8 + 4;
        }
        assertEquals(tableBytes, codec.tableBytes());
    }

    @Test
    void evaluationMatchesEncodeDecodeByHandAndTheDecoderIsFp16() {
        TrainedBlockCodec codec = BlockCodecTrainer.train(quick(BlockCodecConfig.mlp(8, 4, 8, 0.1, 1e-3)), LAPLACE);
        double[][] blocks = Arrays.copyOf(LAPLACE_EVAL, 50);
        double sq = 0;
        double ideal = 0;
        long huff = 0;
        for (double[] b : blocks) {
            int[] latent = codec.encode(b);
            double[] back = codec.decode(latent);
            for (int i = 0; i < 8; i++) {
                sq += (back[i] - b[i]) * (back[i] - b[i]);
            }
            ideal += codec.bitsIdeal(latent);
            huff += codec.bitsHuffman(latent);
        }
        CodecEvaluation e = codec.evaluate(blocks);
        assertEquals(400, e.values());
        assertEquals(sq / 400, e.mse(), 1e-18);
        assertEquals(ideal / 400, e.bitsPerValueIdeal(), 1e-12);
        assertEquals(huff / 400.0, e.bitsPerValueHuffman(), 1e-12);
        // MLP decoder: (k h + h n) / n = (4*8 + 8*8) / 8 = 12 MACs per value; 4*8+8 + 8*8+8 = 112 fp16 parameters
        // and the 4-byte fp32 scale.
        assertEquals(12.0, codec.decoderMacsPerValue(), 0.0);
        assertEquals(112 * 2 + 4, codec.decoderParameterBytes());
        double[] p = codec.parameters();
        BlockNetwork net = new BlockNetwork(codec.config());
        for (int i = net.decoderStart; i < net.decoderEnd; i++) {
            assertEquals(Float16Bits.roundToFp16((float) p[i]), p[i], 0.0, "decoder parameter " + i);
        }
    }

    @Test
    void positionWeightsMoveTheErrorToTheLightlyWeightedPositions() {
        // Independent values, a latent of half the block: the codec must drop two positions' worth of energy.
        // Weighted 20:1, it keeps the heavy positions and leaves the error on the light ones.
        Random rng = new Random(9);
        double[][] blocks = new double[1500][4];
        for (double[] b : blocks) {
            for (int i = 0; i < 4; i++) {
                b[i] = rng.nextGaussian();
            }
        }
        BlockCodecConfig c = quick(BlockCodecConfig.linear(4, 2, 0.05, 1e-4));
        TrainedBlockCodec codec = BlockCodecTrainer.train(c, blocks, new double[] {20, 20, 1, 1}, null);
        double heavy = 0;
        double light = 0;
        for (double[] b : blocks) {
            double[] back = codec.decode(codec.encode(b));
            heavy += sq(back[0] - b[0]) + sq(back[1] - b[1]);
            light += sq(back[2] - b[2]) + sq(back[3] - b[3]);
        }
        assertTrue(heavy < 0.1 * light, "heavy " + heavy + " light " + light);
    }

    private static double sq(double x) {
        return x * x;
    }

    @Test
    void earlyStoppingKeepsTheBestValidationEpochAndProgressGoesToTheCallback() {
        List<String> lines = new ArrayList<>();
        BlockCodecConfig c = BlockCodecConfig.linear(8, 8, 0.1, 1e-3).withTraining(200, 32, 0.05,
                Schedule.CONSTANT, 2);
        TrainedBlockCodec codec = BlockCodecTrainer.train(c, LAPLACE, null, lines::add);
        TrainingSummary s = codec.training();
        assertTrue(s.epochsRun() < 200, "stopped early after " + s.epochsRun());
        assertEquals(s.bestEpoch() + 1 + 2, s.epochsRun(), "stops after 2 epochs without improvement");
        assertEquals(s.epochsRun(), lines.size());
        assertTrue(lines.get(s.bestEpoch()).endsWith(" *"), lines.get(s.bestEpoch()));
        assertEquals(200, s.validationBlocks());
        assertEquals(1800, s.trainingBlocks());
    }

    @Test
    void selectLevelTradesDistortionAgainstDecoderMacs() {
        // k=2 of 8 independent values loses about 3/4 of the energy (normalised MSE ~0.75); k=8 keeps it. Six
        // decoder MACs per value more cost 6 x lambdaComplexity: nothing at 0, far more than 0.75 at 1.
        for (double lambdaCx : new double[] {0.0, 1.0}) {
            List<TrainedBlockCodec> candidates = List.of(
                    BlockCodecTrainer.train(quick(BlockCodecConfig.linear(8, 8, 0.1, 1e-3))
                            .withLambdaComplexity(lambdaCx), LAPLACE),
                    BlockCodecTrainer.train(quick(BlockCodecConfig.linear(8, 2, 0.1, 1e-3))
                            .withLambdaComplexity(lambdaCx), LAPLACE));
            LevelFamily.Selection s = LevelFamily.selectLevel(candidates, LAPLACE_EVAL);
            assertEquals(lambdaCx == 0 ? 0 : 1, s.index(), "lambdaCx " + lambdaCx + ": " + s.totalLosses());
            assertEquals(2, s.evaluations().size());
        }
    }

    @Test
    void outOfRangeConfigsAndMismatchedBlocksAreRefusedInOneLine() {
        BadInputException k = assertThrows(BadInputException.class, () -> BlockCodecConfig.linear(8, 9, 0.1, 0));
        assertTrue(k.getMessage().contains("latentSize is 9"), k.getMessage());
        assertTrue(k.getMessage().contains("from 1 to 8"), k.getMessage());
        BadInputException step = assertThrows(BadInputException.class, () -> BlockCodecConfig.linear(8, 2, 0, 0));
        assertTrue(step.getMessage().contains("step"), step.getMessage());
        BadInputException blocks = assertThrows(BadInputException.class,
                () -> BlockCodecTrainer.train(BlockCodecConfig.linear(4, 2, 0.1, 0), new double[][] {{1, 2, 3}}));
        assertTrue(blocks.getMessage().contains("block 0 has 3 values"), blocks.getMessage());
        BadInputException weights = assertThrows(BadInputException.class,
                () -> BlockCodecTrainer.train(BlockCodecConfig.linear(2, 1, 0.1, 0), new double[][] {{1, 2}},
                        new double[] {1, 0}, null));
        assertTrue(weights.getMessage().contains("position weight 1"), weights.getMessage());
        for (BadInputException e : List.of(k, step, blocks, weights)) {
            assertFalse(e.getMessage().contains("\n"));
        }
    }
}
