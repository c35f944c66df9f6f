package io.nccsim.report;

import io.nccsim.common.BadInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a set of report files into a directory all at once or not at all: the files go to a hidden sibling
 * directory first, which is renamed into place only when every file is written. A failed run leaves nothing, and
 * an existing non-empty directory is replaced only when the user asked for it.
 */
public final class OutputDir {
    private OutputDir() {
    }

    /** Fails early, before any simulation, when {@code dir} holds files and {@code force} is off. */
    public static void checkWritable(Path dir, boolean force) {
        if (Files.isRegularFile(dir)) {
            throw new BadInputException("--out " + dir + ": is a file, not a directory; choose a directory path");
        }
        if (!force && isNonEmptyDirectory(dir)) {
            throw new BadInputException("--out " + dir + ": directory is not empty; pass --force to replace it, "
                    + "or choose another --out");
        }
    }

    public static void write(Path dir, boolean force, Map<String, String> files) {
        Map<String, byte[]> bytes = new java.util.LinkedHashMap<>();
        files.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.UTF_8)));
        writeBytes(dir, force, bytes);
    }

    /** Like {@link #write}, for files that are not all text (figures as PNG). */
    public static void writeBytes(Path dir, boolean force, Map<String, byte[]> files) {
        checkWritable(dir, force);
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Path staging = parent.resolve("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(parent);
            deleteTree(staging);
            Files.createDirectories(staging);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(staging.resolve(f.getKey()), f.getValue());
            }
            if (Files.exists(abs)) {
                deleteTree(abs); // only reached when empty or forced
            }
            Files.move(staging, abs, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                deleteTree(staging);
            } catch (IOException ignored) {
                // the original failure is what the user needs to see
            }
            throw new UncheckedIOException("could not write the report to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code dir} exists and holds anything. */
    public static boolean isNonEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return s.iterator().hasNext();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }
}
