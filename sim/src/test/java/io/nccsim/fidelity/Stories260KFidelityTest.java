package io.nccsim.fidelity;

import io.nccsim.capture.Llama2cTokenizer;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.model.TensorData;
import io.nccsim.testutil.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fidelity on the real stories260K model (skipped when it is absent): lossless settings change nothing, int8 changes
 * little, fewer bits change more, and the Huffman stage changes nothing at all.
 */
class Stories260KFidelityTest {
    private static ModelFile model;
    private static Llama2cTokenizer tokenizer;
    private static Fidelity fidelity;
    private static String provenanceQuote;

    @BeforeAll
    static void load() throws IOException {
        Path bin = TestModels.stories260K();
        model = ModelLoaders.load(bin);
        tokenizer = Llama2cTokenizer.load(TestModels.stories260KTokenizer(), 512);
        fidelity = new Fidelity(model, tokenizer.encode(EvalText.BUILT_IN, true, false), 64);
        Matcher m = Pattern.compile("Greedy decoding from BOS alone begins:\\s*\"([^\"]*)\"")
                .matcher(Files.readString(bin.resolveSibling("PROVENANCE.md")));
        assertTrue(m.find(), "PROVENANCE.md no longer quotes the greedy continuation from BOS");
        provenanceQuote = m.group(1).replaceAll("\\s*\\R\\s*", " "); // Markdown wraps the quote over lines
    }

    private static FidelityRow row(String spec) {
        return fidelity.run(CodecSpec.parse(spec, "test")).row();
    }

    @Test
    void theStories260KContinuationIsUnchangedUnderLosslessNccSettings() {
        DecoderRun ref = fidelity.referenceRun();
        // The reference is the model as published: its greedy text is the one PROVENANCE.md quotes (which keeps the
        // space SentencePiece puts before the first word; decoding after BOS drops it).
        String text = tokenizer.decode(Llama2cTokenizer.BOS, ref.continuation());
        assertTrue(provenanceQuote.length() > 100 && text.startsWith(provenanceQuote.strip()), text);
        assertEquals(64, ref.continuation().length);

        Fidelity.CodecRun lossless = fidelity.run(CodecSpec.parse("lossless", "test"));
        for (int p = 0; p < ref.positions(); p++) {
            assertArrayEquals(ref.logitsAt(p), lossless.run().logitsAt(p), "position " + p);
        }
        assertArrayEquals(ref.continuation(), lossless.run().continuation());
        FidelityRow row = lossless.row();
        assertTrue(row.logitsIdentical());
        assertEquals(0.0, row.meanKlNats());
        assertEquals(0.0, row.maxKlNats());
        assertEquals(1.0, row.top1Agreement());
        assertTrue(row.continuationUnchanged());
        assertEquals(ref.perplexity(), row.perplexity());
        assertTrue(ref.positions() > 100, "the built-in text is a paragraph, not a few words");
    }

    @Test
    void int8PerChannelKeepsTopOneAgreementHighAndKlSmall() {
        FidelityRow int8 = row("int8-channel-sym");
        FidelityRow bf16 = row("bf16");
        assertTrue(int8.top1Agreement() >= 0.98, int8.toString());
        assertTrue(int8.meanKlNats() > 0 && int8.meanKlNats() < 0.01, int8.toString());
        assertTrue(int8.maxKlNats() < 0.1, int8.toString());
        assertEquals(fidelity.referenceRun().perplexity(), int8.perplexity(), 0.01 * int8.perplexity());
        // bf16 keeps 8 mantissa bits per weight against int8's 7 over a whole row's range: closer still.
        assertTrue(bf16.meanKlNats() < int8.meanKlNats(), bf16 + " / " + int8);
    }

    @Test
    void fewerBitsGiveLargerKlLowerAgreementAndHigherPerplexity() {
        FidelityRow int8 = row("int8-channel-sym");
        FidelityRow int4 = row("int4-g32-sym");
        FidelityRow int3 = row("int3-g32-sym");
        FidelityRow int2 = row("int2-g32-sym");
        assertTrue(int2.meanKlNats() > int3.meanKlNats(), int2 + " / " + int3);
        assertTrue(int3.meanKlNats() > int4.meanKlNats(), int3 + " / " + int4);
        assertTrue(int4.meanKlNats() > int8.meanKlNats(), int4 + " / " + int8);
        assertTrue(int8.top1Agreement() > int4.top1Agreement());
        assertTrue(int4.top1Agreement() > int3.top1Agreement());
        assertTrue(int3.top1Agreement() > int2.top1Agreement());
        assertTrue(int2.perplexity() > int3.perplexity());
        assertTrue(int3.perplexity() > int4.perplexity());
        assertTrue(int4.perplexity() > fidelity.referenceRun().perplexity());
    }

    @Test
    void huffmanCodingOfRealWeightsAddsNoErrorAndStoresFewerBits() {
        Fidelity.CodecRun plain = fidelity.run(CodecSpec.parse("int4-g32-auto", "test"));
        Fidelity.CodecRun coded = fidelity.run(CodecSpec.parse("int4-g32-auto+huffman", "test"));
        for (int p = 0; p < plain.run().positions(); p++) {
            assertArrayEquals(plain.run().logitsAt(p), coded.run().logitsAt(p), "position " + p);
        }
        assertArrayEquals(plain.run().continuation(), coded.run().continuation());
        long matrixElements = model.tensors().stream().filter(TensorData::isMatrix)
                .mapToLong(TensorData::elements).sum();
        assertEquals(matrixElements, coded.coded().huffmanSymbols());
        assertTrue(coded.row().bitsPerWeight() < plain.row().bitsPerWeight(),
                coded.row().bitsPerWeight() + " vs " + plain.row().bitsPerWeight());
    }
}
