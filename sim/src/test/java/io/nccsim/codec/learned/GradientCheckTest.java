package io.nccsim.codec.learned;

import io.nccsim.codec.learned.BlockCodecConfig.Relaxation;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written backward pass against central finite differences of the forward loss, for every parameter group
 * of both variants and the prior, on a small random network with a large lambdaRate so that the rate's gradient
 * is as visible as the distortion's.
 */
class GradientCheckTest {
    private static final int BATCH = 4;
    private static final double H = 1e-5;

    @Test
    void linearVariantGradientsMatchFiniteDifferences() {
        check(BlockCodecConfig.linear(6, 3, 0.5, 0.3).withPriorComponents(3));
    }

    @Test
    void mlpVariantGradientsMatchFiniteDifferences() {
        check(BlockCodecConfig.mlp(6, 3, 5, 0.5, 0.3).withPriorComponents(3));
    }

    @Test
    void singleComponentPriorGradientsMatchFiniteDifferences() {
        check(BlockCodecConfig.linear(5, 2, 0.25, 1.0).withPriorComponents(1));
    }

    private static void check(BlockCodecConfig config) {
        BlockNetwork net = new BlockNetwork(config);
        Random rng = new Random(42);
        double[] p = net.initialParameters(7);
        // Move every parameter off its initial value so that biases, locations and logits are not all alike.
        for (int i = 0; i < p.length; i++) {
            p[i] += 0.2 * rng.nextGaussian();
        }
        double[][] blocks = new double[BATCH][config.blockSize()];
        double[][] noise = new double[BATCH][config.latentSize()];
        for (int b = 0; b < BATCH; b++) {
            for (int i = 0; i < config.blockSize(); i++) {
                blocks[b][i] = rng.nextGaussian();
            }
            for (int j = 0; j < config.latentSize(); j++) {
                noise[b][j] = (rng.nextDouble() - 0.5) * config.step();
            }
        }
        double[] weights = new double[config.blockSize()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 0.5 + rng.nextDouble();
        }
        double[] analytic = new double[p.length];
        BlockNetwork.Workspace w = net.workspace();
        double lossA = 0;
        for (int b = 0; b < BATCH; b++) {
            System.arraycopy(blocks[b], 0, w.x, 0, w.x.length);
            lossA += net.lossWithGradient(p, analytic, w, weights, noise[b], 1.0 / BATCH);
        }
        assertEquals(batchLoss(net, p, blocks, weights, noise), lossA / BATCH, 1e-12,
                "the backward pass's loss is the forward pass's");

        assertEquals(net.parameterCount, net.groups().stream().mapToInt(ParameterGroup::length).sum(),
                "the groups cover the parameter vector");
        for (ParameterGroup g : net.groups()) {
            double diff2 = 0;
            double norm2 = 0;
            for (int i = g.offset(); i < g.end(); i++) {
                double keep = p[i];
                p[i] = keep + H;
                double up = batchLoss(net, p, blocks, weights, noise);
                p[i] = keep - H;
                double down = batchLoss(net, p, blocks, weights, noise);
                p[i] = keep;
                double numeric = (up - down) / (2 * H);
                double a = analytic[i];
                diff2 += (a - numeric) * (a - numeric);
                norm2 += (Math.abs(a) + Math.abs(numeric)) * (Math.abs(a) + Math.abs(numeric));
                assertTrue(Math.abs(a - numeric) <= 1e-4 * Math.max(Math.abs(a), Math.abs(numeric)) + 1e-8,
                        config.variant() + " " + g.name() + "[" + (i - g.offset()) + "]: analytic " + a
                                + " numeric " + numeric);
            }
            if (g.name().equals("prior.logit") && config.priorComponents() == 1) {
                // The softmax of a single logit is 1 whatever it is: no gradient, and finite differences agree.
                assertEquals(0.0, norm2, 1e-20);
                continue;
            }
            assertTrue(norm2 > 0, g.name() + " has a gradient at all");
            double relative = Math.sqrt(diff2 / norm2);
            assertTrue(relative < 1e-6, config.variant() + " " + g.name() + ": relative error " + relative);
        }
    }

    private static double batchLoss(BlockNetwork net, double[] p, double[][] blocks, double[] weights,
                                     double[][] noise) {
        BlockNetwork.Workspace w = net.workspace();
        double sum = 0;
        for (int b = 0; b < blocks.length; b++) {
            System.arraycopy(blocks[b], 0, w.x, 0, w.x.length);
            sum += net.loss(p, w, weights, noise[b]);
        }
        return sum / blocks.length;
    }

    @Test
    void priorRateDerivativeMatchesFiniteDifferencesFromCentreToTails() {
        LogisticMixturePrior prior = new LogisticMixturePrior(1, 3, 0);
        double[] p = {-0.7, 0.1, 1.5, Math.log(0.3), Math.log(0.8), Math.log(0.2), 0.3, -0.5, 0.1};
        double[] dv = new double[1];
        for (double v : new double[] {-6, -2.2, -0.4, 0, 0.33, 1.7, 4.5, 9}) {
            double bits = prior.bitsWithGradient(p, new double[p.length], 0, v, 0.4, 1.0, dv);
            assertEquals(prior.bits(p, 0, v, 0.4), bits, 1e-12);
            double numeric = (prior.bits(p, 0, v + H, 0.4) - prior.bits(p, 0, v - H, 0.4)) / (2 * H);
            assertEquals(numeric, dv[0], 1e-5 * Math.max(1, Math.abs(numeric)), "d bits / dv at " + v);
        }
    }

    @Test
    void logisticBinMassIsTheCdfDifferenceByHand() {
        // One component, location 0, scale 1: P(bin [-0.5, 0.5]) = sigmoid(0.5) - sigmoid(-0.5) = 0.24491866...
        LogisticMixturePrior prior = new LogisticMixturePrior(1, 1, 0);
        double[] p = {0.0, 0.0, 0.0};
        assertEquals(0.2449186624037092, prior.binProbability(p, 0, 0.0, 1.0), 1e-15);
        assertEquals(-Math.log(0.2449186624037092) / Math.log(2), prior.bits(p, 0, 0.0, 1.0), 1e-12);
        // Far in the upper tail, where 1 - 1 would lose everything: sigmoid(-29.5) - sigmoid(-30.5).
        double expected = 1 / (1 + Math.exp(29.5)) - 1 / (1 + Math.exp(30.5));
        assertEquals(expected, prior.binProbability(p, 0, 30.0, 1.0), expected * 1e-9);
        // The pmf over all bins sums to 1.
        double sum = 0;
        for (int q = -60; q <= 60; q++) {
            sum += prior.binProbability(p, 0, q, 1.0);
        }
        assertEquals(1.0, sum, 1e-12);
    }

    @Test
    void straightThroughBackwardIsTheNoiseBackwardWithTheRoundingAsNoise() {
        BlockCodecConfig st = BlockCodecConfig.mlp(6, 3, 4, 0.5, 0.2).withRelaxation(Relaxation.STRAIGHT_THROUGH);
        BlockNetwork net = new BlockNetwork(st);
        double[] p = net.initialParameters(3);
        Random rng = new Random(5);
        double[] weights = {1, 1, 1, 1, 1, 1};
        BlockNetwork.Workspace w = net.workspace();
        for (int i = 0; i < 6; i++) {
            w.x[i] = rng.nextGaussian();
        }
        double[] gStraight = new double[p.length];
        double lossStraight = net.lossWithGradient(p, gStraight, w, weights, null, 1.0);
        double[] rounding = new double[3];
        for (int j = 0; j < 3; j++) {
            rounding[j] = w.yQuantized[j] - w.y[j];
            assertEquals(0, Math.IEEEremainder(w.yQuantized[j], 0.5), 1e-12, "forward value is on the grid");
        }
        double[] gNoise = new double[p.length];
        double lossNoise = net.lossWithGradient(p, gNoise, w, weights, rounding, 1.0);
        assertEquals(lossStraight, lossNoise, 1e-12);
        assertArrayEquals(gStraight, gNoise, 1e-12);
    }
}
