package io.nccsim.model;

import java.nio.ByteBuffer;

/**
 * Reads one model-file format. Implementations are registered in {@link ModelLoaders}, which picks one from a
 * file's first bytes (its magic) or, for formats without one, its name.
 *
 * <p>A malformed file is a {@link io.nccsim.common.BadInputException} whose one-line message names the file, the
 * byte offset (or tensor) where reading failed, what was expected and what was found.
 */
public interface ModelLoader {
    /** The format id, as in {@link ModelFile#format()}. */
    String format();

    /** True if a file with this name starting with {@code head} (at most its first 64 bytes) is in this format. */
    boolean recognizes(String fileName, byte[] head);

    /**
     * Loads the model held in {@code data} (little-endian order set, position 0, the whole file).
     *
     * @param name   the file's name for messages and {@link ModelFile#name()}
     * @param sha256 the hex sha256 of the bytes, for {@link ModelFile#sha256()} ({@link ModelLoaders} passes an
     *               empty string and puts the real digest, computed beside the parse, into the result itself)
     */
    ModelFile load(String name, ByteBuffer data, String sha256);
}
