package io.nccsim.config;

import io.nccsim.common.BadInputException;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Small helpers shared by the config tests. */
final class TestFiles {
    private TestFiles() {
    }

    /** Writes the lines (joined with newlines) to dir/name, creating parent folders, and returns the path. */
    static Path write(Path dir, String name, String... lines) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, String.join("\n", lines) + "\n");
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The message of the BadInputException that {@code code} must throw. */
    static String failure(Executable code) {
        return assertThrows(BadInputException.class, code).getMessage();
    }
}
