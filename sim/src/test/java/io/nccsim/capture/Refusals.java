package io.nccsim.capture;

import io.nccsim.common.BadInputException;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the tests expect of bad input: refused in one line that names the file first and says what is wrong. */
final class Refusals {
    private Refusals() {
    }

    /** {@code reading} fails with one line that starts with {@code file} and mentions every one of {@code parts}. */
    static void assertRefused(Path file, Executable reading, String... parts) {
        BadInputException e = assertThrows(BadInputException.class, reading);
        String m = e.getMessage();
        assertEquals(1, m.lines().count(), "one line: " + m);
        assertTrue(m.startsWith(file.toString()), "names the file first: " + m);
        for (String p : parts) {
            assertTrue(m.contains(p), "'" + p + "' in: " + m);
        }
    }
}
