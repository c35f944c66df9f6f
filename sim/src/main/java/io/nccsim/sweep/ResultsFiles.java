package io.nccsim.sweep;

import io.nccsim.common.BadInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The files of a sweep's output folder, and how they are read back and rewritten whole. */
final class ResultsFiles {
    static final String MANIFEST = "sweep.json";
    static final String JSONL = "results.jsonl";
    static final String CSV = "results.csv";

    private ResultsFiles() {
    }

    /** A whole line of results.jsonl and its record. */
    record Line(String text, PointResult result, int lineNumber) {
    }

    /**
     * The whole records of a results.jsonl (none when the file is missing). A last line without its newline is the
     * trace of a sweep killed mid-write: it is dropped ({@code tornTail}), and its point counts as not run. Any
     * other line that is not a record means the file was edited or damaged, and is an error.
     */
    record Read(List<Line> lines, boolean tornTail) {
    }

    static Read readJsonl(Path file) {
        if (!Files.exists(file)) {
            return new Read(List.of(), false);
        }
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<Line> lines = new ArrayList<>();
        int start = 0;
        int number = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                return new Read(lines, true);
            }
            number++;
            String line = text.substring(start, nl);
            start = nl + 1;
            if (line.isBlank()) {
                continue;
            }
            PointResult r = PointResult.parse(line);
            if (r == null) {
                throw new BadInputException(file + ":" + number + ": not a sweep result record; the file was edited "
                        + "or damaged (remove the line to rerun that point with --resume)");
            }
            lines.add(new Line(line, r, number));
        }
        return new Read(lines, false);
    }

    /** The text of results.csv for these results: the header, then one row each. */
    static String csv(List<String> axisKeys, Collection<PointResult> results) {
        StringBuilder sb = new StringBuilder(PointResult.csvHeader(axisKeys)).append('\n');
        for (PointResult r : results) {
            sb.append(r.csvRow(axisKeys)).append('\n');
        }
        return sb.toString();
    }

    /** The text of results.jsonl for these lines. */
    static String jsonl(Collection<String> lines) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    /**
     * Replaces {@code file} with {@code text} through a hidden temporary file in the same folder, synced before it is
     * renamed over the old one: a kill leaves the old file or the new one, never a mix.
     */
    static void writeAtomically(Path file, String text) {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, text);
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write's own failure, if any, is what matters
            }
        }
    }

    static void writeFully(FileChannel ch, String text) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
