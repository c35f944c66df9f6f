package io.nccsim.capture;

import io.nccsim.model.ModelLoaders;
import io.nccsim.testutil.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine, tokenizer and generator against the real stories260K model: the greedy continuation its PROVENANCE.md
 * quotes must come out token for token.
 */
class Stories260KTest {
    private static LlamaModel model;
    private static Llama2cTokenizer tokenizer;
    /** The greedy continuation from BOS, as PROVENANCE.md quotes it (read from the file, not copied here). */
    private static String quoted;

    @BeforeAll
    static void load() throws IOException {
        Path bin = TestModels.stories260K();
        model = LlamaModel.of(ModelLoaders.load(bin));
        tokenizer = Llama2cTokenizer.load(TestModels.stories260KTokenizer(), model.config().vocabSize());
        quoted = greedyQuote(Files.readString(bin.resolveSibling("PROVENANCE.md")));
    }

    /**
     * The double-quoted text after "Greedy decoding from BOS alone begins:". The Markdown source wraps it over
     * lines; a line break inside a paragraph is a space, so each break (with any indentation) becomes one space.
     */
    static String greedyQuote(String provenance) {
        Matcher m = Pattern.compile("Greedy decoding from BOS alone begins:\\s*\"([^\"]*)\"").matcher(provenance);
        assertTrue(m.find(), "PROVENANCE.md no longer quotes the greedy continuation from BOS");
        return m.group(1).replaceAll("[ \\t]*\\R[ \\t]*", " ");
    }

    @Test
    void greedyDecodingFromBosReproducesTheProvenanceQuote() {
        assertTrue(quoted.length() > 100, quoted); // the quote is three sentences long
        Generator g = new Generator(new LlamaEngine(model), Sampler.greedy());
        long start = System.nanoTime();
        Generation out = g.generate(new int[]{Llama2cTokenizer.BOS}, 120);
        double seconds = (System.nanoTime() - start) / 1e9;
        int[] tokens = out.generatedTokens();
        System.out.printf("stories260K greedy: %d tokens in %.3f s = %.0f tokens/s (stop: %s)%n", tokens.length,
                seconds, tokens.length / seconds, out.stop());
        // Each piece as it is: the first one keeps the space SentencePiece put before "Once", as the quote does.
        String raw = tokenizer.decode(-1, tokens);
        System.out.println("stories260K greedy text: " + raw.replace("\n", "\\n"));
        assertTrue(raw.startsWith(quoted), "generated: " + raw + "\nquoted:    " + quoted);
        // llama2.c's own decoding drops that space right after BOS.
        String printed = tokenizer.decode(Llama2cTokenizer.BOS, tokens);
        assertEquals(raw.substring(1), printed);
    }

    @Test
    void encodingTheQuoteGivesTheTokensGreedyDecodingChose() {
        // Encoding adds the leading space itself (the dummy prefix), so it is given the quote without it.
        assertEquals(' ', quoted.charAt(0));
        int[] encoded = tokenizer.encode(quoted.substring(1), true, false);
        assertEquals(Llama2cTokenizer.BOS, encoded[0]);
        int[] pieces = Arrays.copyOfRange(encoded, 1, encoded.length);
        Generation out = new Generator(new LlamaEngine(model), Sampler.greedy())
                .generate(new int[]{Llama2cTokenizer.BOS}, pieces.length);
        assertArrayEquals(pieces, out.generatedTokens());
        assertEquals(quoted, tokenizer.decode(-1, pieces));
    }

    @Test
    void sampledTextDependsOnlyOnTheSeed() {
        int[] bos = {Llama2cTokenizer.BOS};
        List<Integer> a = new Generator(new LlamaEngine(model), Sampler.sampling(1.0, 0.9, 42)).generate(bos, 60)
                .generated();
        List<Integer> again = new Generator(new LlamaEngine(model), Sampler.sampling(1.0, 0.9, 42)).generate(bos, 60)
                .generated();
        List<Integer> other = new Generator(new LlamaEngine(model), Sampler.sampling(1.0, 0.9, 7)).generate(bos, 60)
                .generated();
        assertEquals(a, again);
        assertNotEquals(a, other);
    }

    @Test
    void aNucleusSmallerThanAnyTopProbabilityIsGreedy() {
        // The most likely of 512 tokens has probability >= 1/512 > 0.001, so a 0.001 nucleus holds it alone.
        int[] bos = {Llama2cTokenizer.BOS};
        Generation greedy = new Generator(new LlamaEngine(model), Sampler.greedy()).generate(bos, 40);
        Generation nucleus = new Generator(new LlamaEngine(model), Sampler.sampling(1.0, 0.001, 123))
                .generate(bos, 40);
        assertEquals(greedy, nucleus);
    }

    @Test
    void aTokenReadsEveryWeightOnceButTheEmbeddingTableTwice() {
        // One embedding row for the lookup, then the whole (shared) table again as the classifier.
        long[] elements = {0};
        LlamaEngine engine = new LlamaEngine(model, KvPrecision.FP32, new AccessListener() {
            @Override
            public void onWeightRead(String tensorName, int layer, io.nccsim.trace.TensorRole role, long n) {
                elements[0] += n;
            }
        });
        engine.forward(Llama2cTokenizer.BOS, 0);
        LlamaConfig c = model.config();
        assertEquals(model.parameters() + c.dim(), elements[0]);
        assertEquals(ModelLoaders.load(TestModels.stories260K()).parameters(), model.parameters());
    }
}
