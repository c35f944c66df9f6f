package io.nccsim.codec.baseline;

import io.nccsim.common.BadInputException;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * DEFLATE at its strongest setting (level 9), raw: no zlib header or checksum, so the size is the compressed data
 * alone, comparable with a Huffman payload.
 */
public final class DeflateBaseline {
    public static final int LEVEL = 9;

    private DeflateBaseline() {
    }

    public static byte[] compress(byte[] data) {
        Deflater deflater = new Deflater(LEVEL, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
            byte[] chunk = new byte[64 * 1024];
            while (!deflater.finished()) {
                int n = deflater.deflate(chunk);
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** Inflates raw DEFLATE data that must expand to exactly {@code originalBytes} bytes. */
    public static byte[] decompress(byte[] compressed, int originalBytes) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(compressed);
            byte[] out = new byte[originalBytes];
            int at = 0;
            while (at < originalBytes && !inflater.finished()) {
                int n = inflater.inflate(out, at, originalBytes - at);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                at += n;
            }
            if (at != originalBytes || !finishedAfter(inflater)) {
                throw new BadInputException("deflate baseline: byte " + (compressed.length - inflater.getRemaining())
                        + " of the compressed data: expected it to inflate to exactly " + originalBytes
                        + " bytes, found " + (at < originalBytes ? "only " + at : "more"));
            }
            return out;
        } catch (DataFormatException e) {
            throw new BadInputException("deflate baseline: byte " + (compressed.length - inflater.getRemaining())
                    + " of the compressed data: expected DEFLATE data, found " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    // The stream may end exactly with the output buffer: one more call must reach the end marker without output.
    private static boolean finishedAfter(Inflater inflater) throws DataFormatException {
        if (inflater.finished()) {
            return true;
        }
        return inflater.inflate(new byte[1]) == 0 && inflater.finished();
    }
}
