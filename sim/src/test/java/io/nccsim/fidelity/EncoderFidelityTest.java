package io.nccsim.fidelity;

import io.nccsim.capture.BertConfig;
import io.nccsim.testutil.Cli;
import io.nccsim.testutil.MiniLm;
import io.nccsim.tokenizer.HfTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fidelity of codec settings on all-MiniLM-L6-v2: the lossless setting leaves every embedding bit for bit as it was
 * (the NCC's lossless path must not change the model's answer), int8 per channel stays very close, and a coarse
 * int4 setting is measurably further away than int8.
 */
class EncoderFidelityTest {
    private static final List<String> SENTENCES = List.of("The cat slept on the warm windowsill all afternoon.",
            "Rain is expected tomorrow.", "How far is the nearest train station from here?",
            "Water boils at a lower temperature on high mountains because the air pressure is lower.");

    private static EncoderFidelity fidelity;

    @BeforeAll
    static void reference() {
        fidelity = new EncoderFidelity(MiniLm.model(), HfTokenizer.read(MiniLm.tokenizerPath()),
                BertConfig.MINILM_HEADS, SENTENCES);
    }

    @Test
    void theLosslessSettingGivesBitIdenticalEmbeddings() {
        EncoderFidelity.CodecRun run = fidelity.run(CodecSpec.parse("lossless", "test"));
        assertArrayEquals(fidelity.referenceEmbeddings(), run.embeddings(), "bit for bit");
        EncoderFidelityRow row = run.row();
        assertTrue(row.identical());
        assertEquals(0, row.maxAbsDiff());
        assertEquals(1.0, row.minCosine(), 1e-12);
        assertEquals(32.0, row.bitsPerWeight(), 1e-12, "fp32 as stored");
    }

    @Test
    void int8PerChannelStaysCloseAndCoarseInt4FallsFurtherBehind() {
        EncoderFidelityRow int8 = fidelity.run(CodecSpec.parse("int8-channel-sym", "test")).row();
        EncoderFidelityRow int4 = fidelity.run(CodecSpec.parse("int4-channel-sym", "test")).row();
        // Measured on the 64 sentences of traces/minilm-sentences.txt: int8 per channel min 0.997, int4 per channel
        // mean 0.88; the bounds leave room for other sentences.
        assertFalse(int8.identical());
        assertTrue(int8.minCosine() > 0.99, "int8 min cosine " + int8.minCosine());
        assertTrue(int4.meanCosine() < int8.meanCosine() - 0.01, "int4 " + int4.meanCosine() + " vs int8 "
                + int8.meanCosine());
        assertTrue(int8.bitsPerWeight() > 8 && int8.bitsPerWeight() < 8.2, "codes plus fp16 scales: "
                + int8.bitsPerWeight());
        assertEquals(SENTENCES.size(), int8.sentences());
    }

    @Test
    void theCommandDetectsTheEncoderWritesItsTableAndRefusesAKvSetting(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("s.txt"), String.join("\n", SENTENCES.subList(0, 2)) + "\n");
        Path out = dir.resolve("report");
        Cli.Result r = Cli.run("fidelity", "--model", MiniLm.modelPath().toString(), "--tokenizer",
                MiniLm.tokenizerPath().toString(), "--text", text.toString(), "--codec", "lossless", "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("cosine mean"), r.out());
        String csv = Files.readString(out.resolve("fidelity.csv"));
        assertTrue(csv.startsWith("codec,bits_per_weight,sentences,cosine_mean"), csv);
        assertTrue(csv.contains("\nlossless,32.0,2,1.0,1.0,0.0,true,0\n"), csv);
        assertTrue(Files.readString(out.resolve("report.json")).contains("\"kind\" : \"encoder\""));
        assertTrue(Files.isRegularFile(out.resolve("fidelity.md")));

        Path none = dir.resolve("none");
        Cli.Result kv = Cli.run("fidelity", "--model", MiniLm.modelPath().toString(), "--tokenizer",
                MiniLm.tokenizerPath().toString(), "--codec", "int8-channel-sym,kv=int8", "--out", none.toString());
        assertEquals(2, kv.code(), kv.err());
        assertEquals(1, kv.err().lines().count(), kv.err());
        assertTrue(kv.err().contains("kv="), kv.err());
        assertFalse(Files.exists(none));
    }
}
