package io.nccsim.model;

import io.nccsim.common.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelLoadersTest {
    @TempDir
    Path dir;

    private static byte[] gguf() {
        return new io.nccsim.testutil.GgufBuilder().tensor("w", 0, GgufLoaderTest.f32s(1, 2), 2).build();
    }

    private static byte[] safetensors() {
        return io.nccsim.testutil.SafetensorsBuilder.withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
                List.of(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).array()));
    }

    private static byte[] onnx() {
        return OnnxLoaderTest.model(OnnxLoaderTest.tensor("w", 1, 2).bytes(9,
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).array()));
    }

    /** The smallest llama2.c checkpoint: dim 2, hidden 2, 1 layer, 1 head, vocab 1, seq 1, shared classifier. */
    private static byte[] llama2c() {
        Llama2cLoader.Header h = new Llama2cLoader.Header(2, 2, 1, 1, 1, 1, 1, true);
        ByteBuffer b = ByteBuffer.allocate((int) h.fileBytes()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(2).putInt(2).putInt(1).putInt(1).putInt(1).putInt(1).putInt(1);
        return b.array();
    }

    private String formatOf(String fileName, byte[] bytes) throws IOException {
        Path f = dir.resolve(fileName);
        Files.write(f, bytes);
        return ModelLoaders.load(f).format();
    }

    @Test
    void magicFormatsComeFirstAndLlama2cLast() {
        assertEquals(List.of("gguf", "safetensors", "onnx", "llama2c"),
                ModelLoaders.all().stream().map(ModelLoader::format).toList());
    }

    @Test
    void picksTheLoaderByMagicHeaderOrName() throws IOException {
        assertEquals("gguf", formatOf("m.gguf", gguf()));
        assertEquals("gguf", formatOf("named-like-llama2c.bin", gguf()), "the magic wins over the name");
        assertEquals("safetensors", formatOf("m.safetensors", safetensors()));
        assertEquals("safetensors", formatOf("model.bin", safetensors()), "a safetensors header, whatever the name");
        assertEquals("onnx", formatOf("m.onnx", onnx()));
        assertEquals("onnx", formatOf("M.ONNX", onnx()));
        assertEquals("llama2c", formatOf("stories.bin", llama2c()));
    }

    @Test
    void anUnknownFormatIsNamedWithItsFirstBytesAndTheFormatsRead() throws IOException {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "hello world");
        BadInputException e = assertThrows(BadInputException.class, () -> ModelLoaders.load(f));
        assertEquals(f + ": not a model file nccsim reads (first bytes 68656c6c6f20776f); expected one of "
                + "[gguf, safetensors, onnx, llama2c]", e.getMessage());
        // An ONNX file under another name has no magic to be known by.
        Path g = dir.resolve("model.pb");
        Files.write(g, onnx());
        assertTrue(assertThrows(BadInputException.class, () -> ModelLoaders.load(g)).getMessage()
                .contains("not a model file nccsim reads"));
        Path empty = dir.resolve("empty.gguf");
        Files.write(empty, new byte[0]);
        assertEquals(empty + ": the file is empty; expected a model file, one of [gguf, safetensors, onnx, llama2c]", assertThrows(BadInputException.class,
                () -> ModelLoaders.load(empty)).getMessage());
        Path missing = dir.resolve("missing.gguf");
        assertEquals(missing + ": no such model file",
                assertThrows(BadInputException.class, () -> ModelLoaders.load(missing)).getMessage());
    }

    @Test
    void readsEachFormatFromAnArchive() throws IOException {
        Path zip = dir.resolve("models.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            put(z, "a/m.gguf", gguf());
            put(z, "b/m.safetensors", safetensors());
            put(z, "m.onnx", onnx());
            put(z, "README", "not a model".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        assertEquals("gguf", ModelLoaders.load(Path.of(zip + "!/a/m.gguf")).format());
        ModelFile st = ModelLoaders.load(Path.of(zip + "!/b/m.safetensors"));
        assertEquals("safetensors", st.format());
        assertEquals(zip + "!/b/m.safetensors", st.name());
        assertEquals(ModelLoaders.sha256(ByteBuffer.wrap(safetensors())), st.sha256(), "the entry's bytes");
        assertEquals("onnx", ModelLoaders.load(Path.of(zip + "!/m.onnx")).format());
        BadInputException e = assertThrows(BadInputException.class, () -> ModelLoaders.load(zip));
        assertTrue(e.getMessage().contains("holds 3 model files"), e.getMessage());
    }

    private static void put(ZipOutputStream z, String name, byte[] bytes) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        OutputStream o = z;
        o.write(bytes);
        z.closeEntry();
    }
}
