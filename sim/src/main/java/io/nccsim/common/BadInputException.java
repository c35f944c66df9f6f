package io.nccsim.common;

/**
 * Bad user input: a malformed config or trace, a missing file, an out-of-range parameter.
 *
 * <p>The message is the one line the user sees: it names the file and the place (line and column, byte offset, or
 * option), says what was expected, and where it helps, how to fix it. The command line turns this into exit code 2
 * with no partial output; any other exception is an internal error (exit code 1).
 */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
