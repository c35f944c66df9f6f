package io.nccsim.model;

import io.nccsim.common.BadInputException;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every loader test expects of a malformed file: refused in one line that starts with the file's name. */
final class MalformedFiles {
    private MalformedFiles() {
    }

    /** Loads {@code f}, expects it refused in one line naming it, and returns the error for further checks. */
    static BadInputException rejects(Path f) {
        BadInputException e = assertThrows(BadInputException.class, () -> ModelLoaders.load(f));
        assertTrue(e.getMessage().startsWith(f + ": "), "names the file: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
        return e;
    }

    /** The error's message mentions every one of {@code parts}. */
    static void assertMentions(BadInputException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
        }
    }
}
