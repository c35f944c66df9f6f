package io.nccsim.model;

import io.nccsim.common.BadInputException;
import io.nccsim.testutil.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Llama2cLoaderTest {
    @TempDir
    Path dir;

    /** A tiny checkpoint whose every float is its own index, so each tensor's place in the file can be checked. */
    private static byte[] tiny(int vocab, boolean truncate) {
        int dim = 4, hidden = 6, layers = 2, heads = 2, kv = 1, seq = 3;
        Llama2cLoader.Header h = new Llama2cLoader.Header(dim, hidden, layers, heads, kv, Math.abs(vocab), seq,
                vocab > 0);
        int bytes = (int) h.fileBytes();
        ByteBuffer b = ByteBuffer.allocate(truncate ? bytes - 4 : bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(dim).putInt(hidden).putInt(layers).putInt(heads).putInt(kv).putInt(vocab).putInt(seq);
        for (int i = 0; b.remaining() >= 4; i++) {
            b.putFloat(i);
        }
        return b.array();
    }

    @Test
    void readsTensorsInFileOrderWithLlamaNames() throws IOException {
        Path f = dir.resolve("tiny.bin");
        Files.write(f, tiny(-5, false));
        ModelFile m = ModelLoaders.load(f);
        assertEquals("llama2c", m.format());
        TensorData emb = m.tensor("tok_embeddings.weight");
        assertEquals(0f, emb.values()[0]);
        assertTrue(Arrays.equals(new long[]{5, 4}, emb.shape()));
        // After the embedding (20 floats): rms_att of layer 0 then of layer 1, then wq of layer 0.
        assertEquals(20f, m.tensor("layers.0.attention_norm.weight").values()[0]);
        assertEquals(24f, m.tensor("layers.1.attention_norm.weight").values()[0]);
        assertEquals(28f, m.tensor("layers.0.attention.wq.weight").values()[0]);
        assertTrue(Arrays.equals(new long[]{2, 4}, m.tensor("layers.1.attention.wk.weight").shape()));
        assertTrue(Arrays.equals(new long[]{4, 6}, m.tensor("layers.0.feed_forward.w2.weight").shape()));
        // A negative vocab size means a separate classifier, after the two skipped RoPE tables.
        TensorData out = m.tensor("output.weight");
        float expectedFirst = (Files.size(f) - 28) / 4f - 20;
        assertEquals(expectedFirst, out.values()[0]);
        assertEquals(5 * 4 + 2 * (4 + 16 + 8 + 8 + 16 + 4 + 24 + 24 + 24) + 4 + 20, m.parameters());
    }

    @Test
    void rejectsTruncatedFileNamingTheExpectedSize() throws IOException {
        Path f = dir.resolve("cut.bin");
        Files.write(f, tiny(5, true));
        BadInputException e = assertThrows(BadInputException.class, () -> ModelLoaders.load(f));
        assertTrue(e.getMessage().contains("cut.bin") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void loadsStories260K() {
        ModelFile m = ModelLoaders.load(TestModels.stories260K());
        assertEquals("b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696", m.sha256());
        assertEquals(64, m.metadata().get("dim"));
        assertEquals(true, m.metadata().get("shared_classifier"));
        assertEquals(1 + 5 * 9 + 1, m.tensors().size());
        assertTrue(Arrays.equals(new long[]{172, 64}, m.tensor("layers.4.feed_forward.w3.weight").shape()));
    }
}
