package io.nccsim.capture;

import io.nccsim.testutil.Cli;
import io.nccsim.testutil.ProjectFiles;
import io.nccsim.testutil.TestModels;
import io.nccsim.trace.TensorRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nccsim trace fit} on stories260K: the shipped fit file is what its command makes, and what it holds. */
class ContentFitterTest {
    private static final String FIT = "configs/models/fits/stories260K.yaml";

    @Test
    void theShippedFitFileIsRemadeByItsCommand(@TempDir Path dir) throws IOException {
        // configs/models/fits/README.md gives this command.
        Path model = TestModels.stories260K();
        Path out = dir.resolve("fits.yaml");
        Cli.Result r = Cli.run("trace", "fit", "--model", model.toString(), "--prompt", "Lily had a red ball",
                "--max-new-tokens", "128", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(ProjectFiles.resolve(FIT)), Files.readString(out),
                FIT + " is stale: remake it with the command in configs/models/fits/README.md");

        Cli.Result again = Cli.run("trace", "fit", "--model", model.toString(), "--prompt", "x",
                "--max-new-tokens", "1", "-o", out.toString());
        assertEquals(2, again.code(), "an existing file is not replaced without --force");
        assertTrue(again.err().contains("pass --force"), again.err());
    }

    @Test
    void theShippedFitsComeFromStories260KAndCoverEveryWeightRole() {
        ContentFits fits = ContentFits.load(ProjectFiles.resolve(FIT));
        assertEquals("b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696", fits.source().modelSha256(),
                "stories260K.bin as PROVENANCE.md gives it");
        for (TensorRole role : List.of(TensorRole.EMBEDDING, TensorRole.ATTN_Q, TensorRole.ATTN_K, TensorRole.ATTN_V,
                TensorRole.ATTN_QKV, TensorRole.ATTN_O, TensorRole.MLP_GATE, TensorRole.MLP_UP,
                TensorRole.MLP_GATE_UP, TensorRole.MLP_DOWN, TensorRole.LM_HEAD)) {
            ContentFits.Entry e = fits.weight(role, FIT);
            assertTrue(e.fanIn() == 64 || (role == TensorRole.MLP_DOWN && e.fanIn() == 172), role + " " + e.fanIn());
            assertTrue(e.fit(e.chosen()).aic() <= e.fits().stream().mapToDouble(c -> c.aic()).min().orElseThrow(),
                    role + ": the chosen family has the lowest AIC");
        }
        // stories260K: 5 layers; q and o are 64 x 64, k and v 32 x 64, gate and up 172 x 64.
        assertEquals(5 * (64 * 64 + 2 * 32 * 64), fits.weight(TensorRole.ATTN_QKV, FIT).values(), "q, k, v pooled");
        assertEquals(5 * 2 * 172 * 64, fits.weight(TensorRole.MLP_GATE_UP, FIT).values(), "gate and up pooled");
        assertEquals(fits.source().promptTokens() + fits.source().generatedTokens() - 1,
                fits.kv(ContentFits.KEYS, FIT).values() / (5 * 32), "a key vector per layer and position run");
    }
}
