package io.nccsim.capture;

import io.nccsim.capture.ValueDistribution.Family;
import io.nccsim.common.BadInputException;
import io.nccsim.testutil.ProjectFiles;
import io.nccsim.trace.TensorRole;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Maximum-likelihood fits recover known distributions and choose their family; fit files round-trip. */
class DistributionFitTest {
    private static final int N = 20_000;

    private static double[] sample(ValueDistribution d, long seed) {
        RealDistribution r = d.distribution(new Well19937c(seed));
        double[] x = new double[N];
        for (int i = 0; i < N; i++) {
            x[i] = r.sample();
        }
        return x;
    }

    /** Fits a seeded sample of {@code truth} and checks the family chosen and the parameters recovered. */
    private static DistributionFit.Candidate recovered(ValueDistribution truth, long seed) {
        DistributionFit.Result r = DistributionFit.fit(sample(truth, seed));
        assertEquals(N, r.values());
        assertEquals(truth.family(), r.best().family(), "chosen family, fits: " + r.candidates());
        ValueDistribution got = r.best().distribution();
        // Standard errors at n = 20000 are about scale / 140 for the location and 1% for the scale.
        assertEquals(truth.location(), got.location(), 0.03 * truth.scale(), "location of " + truth);
        assertEquals(truth.scale(), got.scale(), 0.03 * truth.scale(), "scale of " + truth);
        assertTrue(r.best().ks() < 0.015, "the true family fits closely: KS " + r.best().ks());
        return r.best();
    }

    @Test
    void aGaussianSampleIsFittedAsGaussian() {
        recovered(ValueDistribution.gaussian(0.3, 2.0), 1);
    }

    @Test
    void aLaplaceSampleIsFittedAsLaplace() {
        recovered(ValueDistribution.laplace(-1.0, 0.5), 2);
    }

    @Test
    void aStudentTSampleIsFittedAsStudentTWithItsDegreesOfFreedom() {
        DistributionFit.Candidate t = recovered(ValueDistribution.studentT(0.01, 0.05, 4), 3);
        assertEquals(4, t.distribution().dof(), 0.5);
        DistributionFit.Candidate heavy = recovered(ValueDistribution.studentT(0, 1, 1.5), 4);
        assertEquals(1.5, heavy.distribution().dof(), 0.15);
    }

    @Test
    void everyFamilysLikelihoodAndAicAreReported() {
        DistributionFit.Result r = DistributionFit.fit(sample(ValueDistribution.studentT(0, 1, 3), 5));
        assertEquals(List.of(Family.GAUSSIAN, Family.LAPLACE, Family.STUDENT_T),
                r.candidates().stream().map(DistributionFit.Candidate::family).toList());
        for (DistributionFit.Candidate c : r.candidates()) {
            assertEquals(2.0 * c.family().parameters() - 2 * c.logLikelihood(), c.aic(), 1e-9);
            assertEquals(c.distribution().logLikelihood(sample(ValueDistribution.studentT(0, 1, 3), 5)),
                    c.logLikelihood(), 1e-6);
        }
        assertTrue(r.candidates().get(0).ks() > r.best().ks(), "a Gaussian fits heavy tails worse");
        assertThrows(IllegalArgumentException.class, () -> DistributionFit.fit(new double[] {1, 1, 1, 1, 1, 1, 1, 1}));
    }

    @Test
    void theLocationScaleTSamplesItsOwnDistribution() {
        // The fast sampler (Gaussian over the root of a chi-squared) agrees with the CDF it reports.
        ValueDistribution t = ValueDistribution.studentT(2, 0.5, 3);
        double[] x = sample(t, 6);
        long below = java.util.Arrays.stream(x).filter(v -> v < 2.5).count();
        assertEquals(t.distribution(null).cumulativeProbability(2.5), below / (double) N, 0.01);
        assertEquals(2.5, t.distribution(null).inverseCumulativeProbability(
                t.distribution(null).cumulativeProbability(2.5)), 1e-6);
    }

    @Test
    void aFitFileReadsBackWhatWasWritten(@TempDir Path dir) throws IOException {
        DistributionFit.Result w = DistributionFit.fit(sample(ValueDistribution.studentT(0, 0.1, 5), 7));
        DistributionFit.Result k = DistributionFit.fit(sample(ValueDistribution.laplace(0, 2), 8));
        ContentFits.Entry weights = new ContentFits.Entry("test \"weights\"", N, 64, w.best().family(),
                w.candidates());
        ContentFits.Entry keys = new ContentFits.Entry("keys", N, 0, k.best().family(), k.candidates());
        ContentFits fits = new ContentFits(new ContentFits.Source("m.bin", "ab".repeat(32), "a \"quoted\" prompt",
                3, 4, "run", "test"), Map.of(TensorRole.ATTN_Q, weights),
                Map.of(ContentFits.KEYS, keys, ContentFits.VALUES, keys), Map.of());
        Path f = dir.resolve("fits.yaml");
        Files.writeString(f, fits.toYaml());
        ContentFits back = ContentFits.load(f);
        assertEquals(fits.source(), back.source());
        ContentFits.Entry e = back.weight(TensorRole.ATTN_Q, "f");
        assertEquals(weights.data(), e.data());
        assertEquals(64, e.fanIn());
        assertEquals(Family.STUDENT_T, e.chosen());
        ValueDistribution d = e.distribution();
        assertEquals(w.best().distribution().scale(), d.scale(), 1e-5 * d.scale(), "6 significant digits");
        assertEquals(w.best().distribution().dof(), d.dof(), 1e-5 * d.dof());
        assertEquals(Family.LAPLACE, back.kv(ContentFits.KEYS, "f").chosen());
        BadInputException missing = assertThrows(BadInputException.class, () -> back.weight(TensorRole.MLP_UP,
                "fits.yaml"));
        assertTrue(missing.getMessage().contains("no fit for role 'mlp_up'"), missing.getMessage());
    }

    @Test
    void malformedFitFilesAreRefusedInOneLineWithThePlace(@TempDir Path dir) throws IOException {
        String shipped = Files.readString(ProjectFiles.resolve("configs/models/fits/stories260K.yaml"));
        assertRefused(dir, shipped.replaceFirst("family: student_t", "family: cauchy"), "weights.embedding.family",
                "'cauchy'");
        assertRefused(dir, shipped.replaceFirst("  attn_q:", "  attn_z:"), "weights.attn_z", "not a weight role");
        assertRefused(dir, shipped.replaceFirst("scale: 0\\.", "scale: -0."), "scale", "expected a number");
        assertRefused(dir, shipped.replaceFirst("  k_cache:", "  keys:"), "missing required key 'k_cache'");
    }

    private static void assertRefused(Path dir, String text, String... parts) throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, text);
        Refusals.assertRefused(f, () -> ContentFits.load(f), parts);
    }
}
