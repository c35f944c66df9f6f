package io.nccsim.testutil;

import org.junit.jupiter.api.Assumptions;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests find real model weights.
 *
 * <ul>
 *   <li>stories260K (llama2.c): in {@code $NCCSIM_MODELS/stories260K/}, else {@code ../shared/models/stories260K/}
 *       beside the project. Tests that need it are skipped, with a message saying where it was looked for, when it is
 *       absent.</li>
 *   <li>all-MiniLM-L6-v2 (ONNX fp32, and its int8 "-q" variant): inside the langchain4j jars that Maven puts on the
 *       test class path; these are always there.</li>
 * </ul>
 */
public final class TestModels {
    private TestModels() {
    }

    /** The models folder: {@code $NCCSIM_MODELS}, else {@code ../shared/models} next to the project root. */
    public static Path modelsDir() {
        String env = System.getenv("NCCSIM_MODELS");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        return ProjectFiles.root().resolve("../shared/models").toAbsolutePath().normalize();
    }

    /** A file under the models folder, or the test is skipped with a message naming where it was looked for. */
    public static Path require(String relative) {
        Path p = modelsDir().resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(p),
                "skipped: real model file " + p + " is absent (set NCCSIM_MODELS or put ../shared/models beside the project)");
        return p;
    }

    /** stories260K's llama2.c checkpoint. */
    public static Path stories260K() {
        return require("stories260K/stories260K.bin");
    }

    /** stories260K's llama2.c tokenizer. */
    public static Path stories260KTokenizer() {
        return require("stories260K/tok512.bin");
    }

    /** The jar that holds {@code all-minilm-l6-v2.onnx} (fp32) or {@code all-minilm-l6-v2-q.onnx} (int8). */
    public static Path miniLmJar(boolean int8) {
        return jarHolding(miniLmEntry(int8));
    }

    /** The name of the ONNX file inside {@link #miniLmJar(boolean)}. */
    public static String miniLmEntry(boolean int8) {
        return int8 ? "all-minilm-l6-v2-q.onnx" : "all-minilm-l6-v2.onnx";
    }

    /** The tokenizer.json shipped beside MiniLM, inside the same jar. */
    public static String miniLmTokenizerEntry(boolean int8) {
        return int8 ? "all-minilm-l6-v2-q-tokenizer.json" : "all-minilm-l6-v2-tokenizer.json";
    }

    private static Path jarHolding(String entry) {
        URL url = TestModels.class.getClassLoader().getResource(entry);
        if (url == null || !"jar".equals(url.getProtocol())) {
            throw new IllegalStateException(entry + " is not on the test class path; the langchain4j MiniLM jars are "
                    + "test dependencies of sim/pom.xml");
        }
        String s = url.toString(); // jar:file:/...jar!/entry
        try {
            return Path.of(new java.net.URI(s.substring(4, s.indexOf("!/"))));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
