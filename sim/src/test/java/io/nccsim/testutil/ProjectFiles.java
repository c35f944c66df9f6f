package io.nccsim.testutil;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project's own files (configs/, traces/) from tests, which Maven runs inside sim/. */
public final class ProjectFiles {
    private ProjectFiles() {
    }

    public static Path root() {
        String prop = System.getProperty("nccsim.projectRoot");
        Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        p = p.toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("configs")) && Files.isDirectory(p.getParent().resolve("configs"))) {
            p = p.getParent();
        }
        return p;
    }

    public static Path resolve(String relative) {
        return root().resolve(relative);
    }
}
