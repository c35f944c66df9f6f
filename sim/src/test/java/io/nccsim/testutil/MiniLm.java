package io.nccsim.testutil;

import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/**
 * all-MiniLM-L6-v2 (fp32) for tests, loaded once per test JVM: parsing its 90 MB takes seconds, and several test
 * classes need it. Callers must not change what they get.
 */
public final class MiniLm {
    /** The model's num_attention_heads (its config.json); the weights cannot show it. */
    public static final int HEADS = 12;

    private static ModelFile model;

    private MiniLm() {
    }

    /** The fp32 ONNX model as nccsim loads it. */
    public static synchronized ModelFile model() {
        if (model == null) {
            model = ModelLoaders.load(modelPath());
        }
        return model;
    }

    /** {@code jar!/all-minilm-l6-v2.onnx}. */
    public static Path modelPath() {
        return Path.of(TestModels.miniLmJar(false) + "!/" + TestModels.miniLmEntry(false));
    }

    /** {@code jar!/all-minilm-l6-v2-tokenizer.json}. */
    public static Path tokenizerPath() {
        return Path.of(TestModels.miniLmJar(false) + "!/" + TestModels.miniLmTokenizerEntry(false));
    }

    /** The ONNX file's bytes, for onnxruntime. */
    public static byte[] modelBytes() {
        return entry(TestModels.miniLmEntry(false));
    }

    /** {@code jar!/all-minilm-l6-v2-q.onnx}: the int8 (dynamically quantized) variant, in its own jar. */
    public static Path int8ModelPath() {
        return Path.of(TestModels.miniLmJar(true) + "!/" + TestModels.miniLmEntry(true));
    }

    /** The int8 ONNX file's bytes, for onnxruntime. */
    public static byte[] int8ModelBytes() {
        try (ZipFile zip = new ZipFile(TestModels.miniLmJar(true).toFile());
             InputStream in = zip.getInputStream(zip.getEntry(TestModels.miniLmEntry(true)))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tokenizer.json's bytes, for reading it independently of HfTokenizer. */
    public static byte[] tokenizerBytes() {
        return entry(TestModels.miniLmTokenizerEntry(false));
    }

    private static byte[] entry(String name) {
        try (ZipFile zip = new ZipFile(TestModels.miniLmJar(false).toFile());
             InputStream in = zip.getInputStream(zip.getEntry(name))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
