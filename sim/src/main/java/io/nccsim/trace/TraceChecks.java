package io.nccsim.trace;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Consistency rules shared by the writer and the reader, so that a file the writer accepts is a file the reader
 * accepts. Each check returns a description of the first problem, or null when there is none; the writer turns it
 * into an {@link IllegalArgumentException} (a bug in the generator), the reader into a
 * {@link io.nccsim.common.BadInputException} with the byte offset (a bad file).
 */
final class TraceChecks {
    private TraceChecks() {
    }

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    static String checkHeader(TraceHeader h) {
        if (h.weightQuant() == null || h.activationType() == null || h.kvCacheType() == null
                || h.producer() == null) {
            return "header needs weight_quant, activation_type, kv_cache_type and producer";
        }
        if (h.shape().family() == null) {
            return "header shape needs a family";
        }
        if (h.promptTokens() < 0 || h.generatedTokens() < 0) {
            return "header prompt_tokens and generated_tokens must be >= 0";
        }
        Provenance p = h.provenance();
        if (!p.isModeled() && (p.sourceSha256() == null || !SHA256.matcher(p.sourceSha256()).matches())) {
            return "captured provenance needs source_sha256 as 64 lower-case hex digits, got "
                    + (p.sourceSha256() == null ? "none" : "'" + p.sourceSha256() + "'");
        }
        return null;
    }

    /** Row {@code expectedId} of the tensor table. Uniqueness of names is checked by the caller. */
    static String checkTensor(TensorInfo t, int expectedId) {
        if (t.id() != expectedId) {
            return "tensor '" + t.name() + "' has id " + t.id() + " but is row " + expectedId
                    + " of the table (ids must be 0..n-1 in table order)";
        }
        if (t.name().isEmpty()) {
            return "tensor " + expectedId + " has an empty name";
        }
        if (t.elementType() == null) {
            return "tensor '" + t.name() + "' has no element type";
        }
        if (t.groupSize() < 0) {
            return "tensor '" + t.name() + "' has group size " + t.groupSize() + " (must be >= 0)";
        }
        long n = 1;
        for (long d : t.shape()) {
            if (d <= 0) {
                return "tensor '" + t.name() + "' has shape " + t.shape() + ": every dimension must be >= 1";
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                return "tensor '" + t.name() + "' has shape " + t.shape() + ": element count overflows 64 bits";
            }
        }
        return null;
    }

    /** An access against the tensor table: known tensor, range inside the tensor, histogram consistent. */
    static String checkAccess(Access a, List<TensorInfo> tensors) {
        if (a.tensorId() < 0 || a.tensorId() >= tensors.size()) {
            return "access to tensor id " + a.tensorId() + ", which is not in the tensor table (ids 0.."
                    + (tensors.size() - 1) + ")";
        }
        TensorInfo t = tensors.get(a.tensorId());
        if (a.offsetBytes() > t.bytes() || a.lengthBytes() > t.bytes() - a.offsetBytes()) {
            return a.direction().name().toLowerCase(java.util.Locale.ROOT) + " of bytes [" + a.offsetBytes() + ", "
                    + (a.offsetBytes() + a.lengthBytes()) + ") of tensor " + t.id() + " '" + t.name()
                    + "', which has only " + t.bytes() + " bytes";
        }
        int[] h = a.histogram();
        if (h != null) {
            if (a.isRead()) {
                return "read of tensor " + t.id() + " '" + t.name()
                        + "' carries a histogram; only writes carry histograms";
            }
            return checkAccessHistogram(h, t, a.lengthBytes());
        }
        return null;
    }

    static String checkAccessHistogram(int[] h, TensorInfo t, long lengthBytes) {
        if (!t.elementType().quantized()) {
            return "write of tensor " + t.id() + " '" + t.name() + "' carries a histogram, but its element type "
                    + t.elementType().id() + " has no symbol alphabet";
        }
        int alphabet = t.elementType().alphabetSize();
        if (h.length != alphabet) {
            return "write histogram of tensor " + t.id() + " '" + t.name() + "' has " + h.length
                    + " bins; its element type " + t.elementType().id() + " needs " + alphabet;
        }
        long sum = 0;
        for (int c : h) {
            if (c < 0) {
                return "write histogram of tensor " + t.id() + " '" + t.name() + "' has a negative count";
            }
            sum += c;
        }
        // The symbols written occupy sum*bits bits, which must fit in the bytes written.
        if (sum > lengthBytes * 8 / t.elementType().bits()) {
            return "write histogram of tensor " + t.id() + " '" + t.name() + "' counts " + sum + " symbols of "
                    + t.elementType().bits() + " bits, more than the " + lengthBytes + " bytes written can hold";
        }
        return null;
    }

    /** Whether a tensor may carry weight content at all. */
    static String checkContentTensor(TensorInfo t, int blockElements, int headerBlockElements) {
        if (t.role().dataClass() != TensorRole.DataClass.WEIGHTS) {
            return "weight content for tensor " + t.id() + " '" + t.name() + "', whose role " + t.role().id()
                    + " is not a weight";
        }
        if (!t.elementType().quantized()) {
            return "weight content for tensor " + t.id() + " '" + t.name() + "' of element type "
                    + t.elementType().id() + ", which has no symbol alphabet";
        }
        if (blockElements != headerBlockElements) {
            return "weight content for tensor " + t.id() + " '" + t.name() + "' uses blocks of " + blockElements
                    + " elements; the header's content_block_elements is " + headerBlockElements;
        }
        if (TraceFormat.blockCount(t.elements(), blockElements) > Integer.MAX_VALUE) {
            return "tensor " + t.id() + " '" + t.name() + "' would need more than 2^31-1 content blocks";
        }
        return null;
    }

    /**
     * Block {@code b} of a tensor's content: the right number of bins, and counts summing to the block's element
     * count (full blocks hold {@code blockElements}, the last one the remainder), which also makes the total equal
     * the tensor's element count.
     */
    static String checkBlock(int[] h, long b, TensorInfo t, int blockElements) {
        int alphabet = t.elementType().alphabetSize();
        if (h == null || h.length != alphabet) {
            return "weight content of tensor " + t.id() + " '" + t.name() + "', block " + b + ": "
                    + (h == null ? "no" : String.valueOf(h.length)) + " bins; element type "
                    + t.elementType().id() + " needs " + alphabet;
        }
        long elements = t.elements();
        long expected = Math.min(blockElements, elements - b * blockElements);
        long sum = 0;
        for (int c : h) {
            if (c < 0) {
                return "weight content of tensor " + t.id() + " '" + t.name() + "', block " + b
                        + ": negative count";
            }
            sum += c;
        }
        if (sum != expected) {
            long blocks = TraceFormat.blockCount(elements, blockElements);
            return "weight content of tensor " + t.id() + " '" + t.name() + "', block " + b + " of " + blocks
                    + ": counts sum to " + sum + ", expected " + expected
                    + (b == blocks - 1 ? " (the last block holds the remaining elements of " + elements + ")"
                    : " (a full block)");
        }
        return null;
    }
}
