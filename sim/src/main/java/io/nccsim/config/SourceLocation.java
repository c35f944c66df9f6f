package io.nccsim.config;

import java.util.Objects;

/**
 * Where a config value was written, so that every error can point the user at the text to change.
 *
 * <p>Values that came from an included file keep that file's location, and values given with {@code --set} carry the
 * option text itself as their source: the user then sees which of several places actually supplied a value.
 *
 * @param source the file path as the user (or a {@code use:} line) gave it, relative paths kept relative; or, for a
 *               command-line override, the text {@code --set key=value}
 * @param line   1-based line
 * @param column 1-based column
 */
public record SourceLocation(String source, int line, int column) {
    public SourceLocation {
        Objects.requireNonNull(source, "source");
    }

    /** {@code source:line:column}, the form editors and terminals recognise as a clickable position. */
    @Override
    public String toString() {
        return source + ":" + line + ":" + column;
    }
}
