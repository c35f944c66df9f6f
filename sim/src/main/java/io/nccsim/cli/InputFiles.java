package io.nccsim.cli;

import io.nccsim.common.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** What every command does with the files it is given: check they exist, and name its default report folder. */
final class InputFiles {
    private InputFiles() {
    }

    /** Fails with one line (option, file, what was expected, where it looked) when {@code p} is not a file. */
    static void require(Path p, String option, String what) {
        if (!Files.isRegularFile(p)) {
            String name = option.isEmpty() ? p.toString() : option + " " + p;
            throw new BadInputException(name + ": " + what + " (looked in " + p.toAbsolutePath() + ")");
        }
    }

    /**
     * Like {@link #require} for a model, which may also be named inside an archive as {@code ARCHIVE!/ENTRY}: then
     * the archive must exist (the entry is checked by the loader, which opens it).
     */
    static void requireModel(Path model, String option) {
        String s = model.toString();
        int bang = s.indexOf("!/");
        require(bang >= 0 ? Path.of(s.substring(0, bang)) : model, option, "no such model file");
    }

    /** Fails with one line when {@code output} exists and {@code force} is off: a user's file is never replaced. */
    static void checkOutputFile(Path output, boolean force) {
        if (Files.exists(output) && !force) {
            throw new BadInputException("-o " + output + ": file exists; pass --force to replace it");
        }
    }

    /**
     * Writes {@code text} to {@code output} through a hidden temporary file in the same folder, renamed over it at
     * the end: the file appears whole or not at all.
     */
    static void writeAtomically(Path output, String text) throws IOException {
        writeAtomically(output, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code bytes} to {@code output} through a hidden temporary file in the same folder, renamed over it at
     * the end: the file appears whole or not at all, and a file already there is never left truncated. The rename
     * stays in one folder, hence one file system, so it can be atomic.
     */
    static void writeAtomically(Path output, byte[] bytes) throws IOException {
        Path abs = output.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@code reports/<prefix><stem of each input, joined by '-'>-<timestamp>/}. */
    static Path defaultReportDir(String prefix, Path... inputs) {
        StringBuilder name = new StringBuilder(prefix);
        for (Path p : inputs) {
            name.append(stem(p)).append('-');
        }
        name.append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        return Path.of("reports", name.toString());
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
