package io.nccsim.codec.baseline;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import io.nccsim.common.BadInputException;

/**
 * zstd through zstd-jni, whose native library ships inside its jar for the common platforms (linux x86_64
 * included). Where it cannot load, {@link #available()} is false, {@link #unavailableReason()} says why, and the
 * figures are reported as not available rather than failing the run.
 */
public final class ZstdBaseline {
    /** The level usually quoted for archiving: slow, close to zstd's best. */
    public static final int STRONG_LEVEL = 19;
    /** zstd's default level, the figure for a fast software path. */
    public static final int DEFAULT_LEVEL = 3;

    private static final String UNAVAILABLE = probe();

    private ZstdBaseline() {
    }

    private static String probe() {
        try {
            Zstd.compressBound(1); // the first call loads the native library
            return null;
        } catch (LinkageError e) {
            return "zstd-jni's native library did not load on " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + ": " + e;
        }
    }

    public static boolean available() {
        return UNAVAILABLE == null;
    }

    /** Why zstd is not available, or null if it is. */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    public static byte[] compress(byte[] data, int level) {
        requireAvailable();
        return Zstd.compress(data, level);
    }

    /** Decompresses a zstd frame that must expand to exactly {@code originalBytes} bytes. */
    public static byte[] decompress(byte[] compressed, int originalBytes) {
        requireAvailable();
        byte[] out;
        try {
            out = Zstd.decompress(compressed, originalBytes);
        } catch (ZstdException e) {
            throw new BadInputException("zstd baseline: expected a zstd frame of " + originalBytes
                    + " bytes, found data zstd rejects: " + e.getMessage(), e);
        }
        if (out.length != originalBytes) {
            throw new BadInputException("zstd baseline: expected a frame of " + originalBytes + " bytes, found "
                    + out.length);
        }
        return out;
    }

    private static void requireAvailable() {
        if (!available()) {
            throw new IllegalStateException(UNAVAILABLE);
        }
    }
}
