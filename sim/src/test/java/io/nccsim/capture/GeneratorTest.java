package io.nccsim.capture;

import io.nccsim.model.ModelLoaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Why and when generation stops, on models that always prefer one token. */
class GeneratorTest {
    @TempDir
    Path dir;

    /**
     * A model whose layers add nothing (every projection zero), whose tokens all embed as the same all-ones vector
     * and whose classifier rows are one-hot picks: the normalized residual is all ones (up to epsilon), so every
     * logit is 0 except {@code dim} for the favourite tokens, whatever came before.
     */
    private LlamaEngine favouring(int... favourites) throws IOException {
        LlamaConfig c = new LlamaConfig(4, 4, 1, 2, 1, 8, 6, 1e-5f, 10000f, false, false, false, false);
        Path file = SyntheticLlama2c.write(dir.resolve("fav.bin"), c, (name, row, col) -> {
            if (name.equals("tok_embeddings.weight") || name.contains("norm")) {
                return 1f;
            }
            if (name.equals("output.weight")) {
                for (int f : favourites) {
                    if (row == f) {
                        return 1f;
                    }
                }
            }
            return 0f;
        });
        return new LlamaEngine(LlamaModel.of(ModelLoaders.load(file)));
    }

    @Test
    void stopsAtMaxTokens() throws IOException {
        Generation g = new Generator(favouring(5), Sampler.greedy()).generate(new int[]{1, 3}, 3);
        assertEquals(List.of(1, 3), g.prompt());
        assertEquals(List.of(5, 5, 5), g.generated());
        assertEquals(Generation.Stop.MAX_TOKENS, g.stop());
        assertEquals(Generation.Stop.MAX_TOKENS, new Generator(favouring(5), Sampler.greedy())
                .generate(new int[]{1}, 0).stop());
    }

    @Test
    void stopsWithoutEmittingEosOrBos() throws IOException {
        Generation eos = new Generator(favouring(Llama2cTokenizer.EOS), Sampler.greedy()).generate(new int[]{1}, 4);
        assertEquals(List.of(), eos.generated());
        assertEquals(Generation.Stop.EOS, eos.stop());
        // Tokens 1 (BOS) and 6 tie; greedy takes the lower id, BOS, which ends the story.
        Generation bos = new Generator(favouring(6, Llama2cTokenizer.BOS), Sampler.greedy()).generate(new int[]{4}, 4);
        assertEquals(Generation.Stop.BOS, bos.stop());
    }

    @Test
    void stopsWhenTheContextIsFull() throws IOException {
        // Six positions: prompt at 0 and 1, chosen tokens run at 2..5, and the token chosen at position 5 is
        // output though no position is left to run it.
        Generation g = new Generator(favouring(7), Sampler.greedy()).generate(new int[]{1, 3}, 100);
        assertEquals(Collections.nCopies(5, 7), g.generated());
        assertEquals(Generation.Stop.CONTEXT_FULL, g.stop());
        assertThrows(IllegalArgumentException.class,
                () -> new Generator(favouring(7), Sampler.greedy()).generate(new int[7], 1));
    }
}
