package io.nccsim.sweep;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends finished points to results.jsonl and results.csv as they finish. Each record is one write of one whole
 * line followed by an fsync, under one lock, so lines from different workers never interleave and a finished point
 * is on disk before the next one is reported; a kill can at worst leave a last line without its newline, which
 * {@link ResultsFiles#readJsonl} drops on resume. results.jsonl is written first and is the record of truth:
 * results.csv is rebuilt from it on resume.
 */
final class ResultsLog implements Closeable {
    private final FileChannel jsonl;
    private final FileChannel csv;
    private final List<String> axisKeys;
    private boolean closed;

    ResultsLog(Path dir, List<String> axisKeys) {
        this.axisKeys = List.copyOf(axisKeys);
        try {
            jsonl = FileChannel.open(dir.resolve(ResultsFiles.JSONL), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            csv = FileChannel.open(dir.resolve(ResultsFiles.CSV), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the results in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes the point's lines; after {@link #close()} (a sweep that stopped on an error) it writes nothing. */
    synchronized boolean append(PointResult r) {
        if (closed) {
            return false;
        }
        try {
            ResultsFiles.writeFully(jsonl, r.jsonLine() + "\n");
            jsonl.force(false);
            ResultsFiles.writeFully(csv, r.csvRow(axisKeys) + "\n");
            csv.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("could not append point " + r.id() + " to the results: " + e.getMessage(),
                    e);
        }
        return true;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            jsonl.close();
            csv.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
