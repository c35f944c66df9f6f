package io.nccsim.trace;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.nccsim.common.BadInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;

/**
 * Reads a trace in format v1 (see {@code traces/FORMAT.md}) as a stream.
 *
 * <p>{@link #open} reads and verifies everything before the events (header, tensor table, weight content);
 * {@link #next()} then decodes one event at a time from the current EVNT chunk, reading the next chunk when this
 * one is used up. Memory stays at one section buffer (at most {@link TraceFormat#MAX_PAYLOAD} bytes) plus the
 * weight content, whatever the size of the file.
 *
 * <p>Every section's CRC is verified before any of its bytes are decoded, so corruption is reported as such and
 * not as some odd value further on. Every problem with the file is a {@link BadInputException} whose one-line
 * message names the file, the byte offset and what was expected.
 *
 * <p>Decoding works on the section's byte array with inlined varint loops rather than through a stream, because
 * a trace holds millions of accesses and a virtual call per byte would dominate the replay time.
 */
public final class TraceReader implements AutoCloseable {

    private static final int RANK_HEAD = 0;
    private static final int RANK_TENS = 1;
    private static final int RANK_WCNT = 2;
    private static final int RANK_EVNT = 3;
    private static final int RANK_END = 4;

    private final String name;
    private final InputStream in;
    private final long fileSize;
    private final CRC32C crc = new CRC32C();
    private final byte[] sectionHeader = new byte[TraceFormat.SECTION_HEADER_BYTES];

    /** File offset of the next byte to read from {@link #in}. */
    private long pos;

    // The current section: its payload in buf[0, limit), decoded up to bp.
    private byte[] buf = new byte[1 << 16];
    private int bp;
    private int limit;
    private int curTag;
    private long curStart;
    private long payloadStart;
    private int lastRank = -1;

    private int version;
    private TraceHeader header;
    private final List<TensorInfo> tensors = new ArrayList<>();
    private List<TensorInfo> tensorView;
    private WeightContent[] content;
    private PendingContent pending;

    // Event decoding state.
    private long chunkRemaining;
    private final List<String> names = new ArrayList<>();
    private boolean ended;
    private long sections;
    private long events;
    private long steps;
    private long ops;
    private long accesses;

    private TraceReader(Path path, InputStream in, long fileSize) {
        this.name = path.toString();
        this.in = in;
        this.fileSize = fileSize;
    }

    /**
     * Opens a trace and reads everything up to the first event: preamble, HEAD, TENS and all WCNT sections.
     *
     * @throws BadInputException the file is missing or unreadable, or is not a valid v1 trace
     */
    public static TraceReader open(Path path) {
        InputStream in;
        long size;
        try {
            if (Files.isDirectory(path)) {
                throw new BadInputException(path + ": is a directory, not a trace file");
            }
            size = Files.size(path);
            in = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new BadInputException(path + ": no such trace file", e);
        } catch (AccessDeniedException e) {
            throw new BadInputException(path + ": cannot read the trace: permission denied", e);
        } catch (IOException e) {
            throw new BadInputException(path + ": cannot read the trace: " + e.getMessage(), e);
        }
        TraceReader r = new TraceReader(path, in, size);
        try {
            r.readPreamble();
            while (!r.ended && r.curTag != TraceFormat.TAG_EVNT) {
                r.readSection();
            }
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** The format version of the file (always 1 for now). */
    public int version() {
        return version;
    }

    public TraceHeader header() {
        return header;
    }

    /** The tensor table, indexed by tensor id. */
    public List<TensorInfo> tensors() {
        return tensorView;
    }

    /** The content summary of a weight tensor, or null when the trace carries none for it. */
    public WeightContent weightContent(int tensorId) {
        if (tensorId < 0 || tensorId >= content.length) {
            throw new IllegalArgumentException("tensor id " + tensorId + " not in the table (0.."
                    + (content.length - 1) + ")");
        }
        return content[tensorId];
    }

    /** Ids of the tensors that carry weight content, ascending. */
    public List<Integer> contentTensorIds() {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < content.length; i++) {
            if (content[i] != null) {
                ids.add(i);
            }
        }
        return ids;
    }

    /**
     * The byte offset in the file of the next thing to be decoded: within an EVNT chunk, the next event; between
     * sections, the next section. Useful for progress reports and for locating a problem found downstream.
     */
    public long bytePosition() {
        return (curTag == TraceFormat.TAG_EVNT && !ended) ? payloadStart + bp : pos;
    }

    /** Size of the file in bytes. */
    public long fileSize() {
        return fileSize;
    }

    /** Events returned by {@link #next()} so far. */
    public long eventsRead() {
        return events;
    }

    /**
     * The next event in execution order, or null at the end of the trace, which is reached only after the END
     * section has been read, its totals verified against what was read, and no bytes follow it.
     */
    public TraceEvent next() {
        while (chunkRemaining == 0) {
            if (ended) {
                return null;
            }
            if (curTag == TraceFormat.TAG_EVNT && bp != limit) {
                throw fail(payloadStart + bp, (limit - bp) + " byte(s) left over in the EVNT section that starts at "
                        + "byte " + curStart + " after its announced events");
            }
            readSection();
        }
        int start = bp;
        int type = bp < limit ? buf[bp++] : -1;
        TraceEvent e;
        if (type == TraceFormat.EVENT_OP) {
            e = readOp(start);
        } else if (type == TraceFormat.EVENT_STEP) {
            e = readStep(start);
        } else {
            throw eventFail(start, type < 0 ? "the EVNT section ends before its announced events"
                    : "unknown event type " + type + " (expected 1 = step or 2 = op)");
        }
        chunkRemaining--;
        events++;
        return e;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing useful to do: the reader only read
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sections

    private void readPreamble() {
        byte[] p = new byte[TraceFormat.PREAMBLE_BYTES];
        int n = readFully(p, 0, p.length);
        pos = n;
        int magicBytes = Math.min(n, TraceFormat.MAGIC.length);
        if (!Arrays.equals(p, 0, magicBytes, TraceFormat.MAGIC, 0, magicBytes)) {
            throw fail(0, "not an nccsim trace (the file does not start with \"NCCTRACE\")");
        }
        if (n == 0) {
            throw fail(0, "not an nccsim trace (the file is empty)");
        }
        if (n < p.length) {
            throw fail(n, "truncated at byte " + n + ", inside the 12-byte file preamble");
        }
        version = (p[8] & 0xff) | (p[9] & 0xff) << 8;
        int flags = (p[10] & 0xff) | (p[11] & 0xff) << 8;
        if (version != TraceFormat.VERSION) {
            throw fail(8, "unsupported trace format version " + version + " (this nccsim reads version "
                    + TraceFormat.SUPPORTED_VERSIONS + "); regenerate the trace or use a matching nccsim");
        }
        if (flags != 0) {
            throw fail(10, String.format("unsupported format flags 0x%04x (version 1 defines none; expected 0)",
                    flags));
        }
    }

    /** Reads, checks and handles the next section; at EOF without END, reports truncation. */
    private void readSection() {
        long start = pos;
        int n = readFully(sectionHeader, 0, sectionHeader.length);
        if (n == 0) {
            String after = lastRank < 0 ? "the file preamble"
                    : "the " + TraceFormat.tagName(curTag) + " section that starts at byte " + curStart;
            throw fail(start, "truncated: the file ends after " + after
                    + " and is missing its END section (was the writer interrupted or the file cut?)");
        }
        if (n < sectionHeader.length) {
            throw fail(start + n, "truncated at byte " + (start + n) + ", inside the header of the section that "
                    + "starts at byte " + start);
        }
        int tag = u32(sectionHeader, 0);
        long length = u32(sectionHeader, 4) & 0xffffffffL;
        int rank = rank(tag);
        if (rank < 0) {
            throw fail(start, "bad section tag '" + TraceFormat.tagName(tag)
                    + "' (expected HEAD, TENS, WCNT, EVNT or END); the file is corrupted or not a v1 trace");
        }
        if (length > TraceFormat.MAX_PAYLOAD) {
            throw fail(start + 4, TraceFormat.tagName(tag) + " section length " + length + " exceeds the cap of "
                    + TraceFormat.MAX_PAYLOAD + " bytes; the file is corrupted");
        }
        int len = (int) length;
        if (buf.length < len + TraceFormat.SECTION_TRAILER_BYTES) {
            buf = new byte[Math.max(len + TraceFormat.SECTION_TRAILER_BYTES, buf.length * 2)];
        }
        int got = readFully(buf, 0, len + TraceFormat.SECTION_TRAILER_BYTES);
        long end = start + TraceFormat.SECTION_HEADER_BYTES + got;
        if (got < len + TraceFormat.SECTION_TRAILER_BYTES) {
            throw fail(end, "truncated at byte " + end + ", inside the " + TraceFormat.tagName(tag)
                    + " section that starts at byte " + start + " (it announces " + len + " payload bytes)");
        }
        crc.reset();
        crc.update(sectionHeader, 0, sectionHeader.length);
        crc.update(buf, 0, len);
        int stored = u32(buf, len);
        int computed = (int) crc.getValue();
        if (stored != computed) {
            throw fail(start, String.format("%s section checksum mismatch (stored 0x%08x, computed 0x%08x): "
                    + "the file is corrupted", TraceFormat.tagName(tag), stored, computed));
        }
        pos = end;
        checkOrder(tag, rank, start);
        if (pending != null && tag != TraceFormat.TAG_WCNT) {
            throw pending.incomplete(start);
        }
        curTag = tag;
        curStart = start;
        payloadStart = start + TraceFormat.SECTION_HEADER_BYTES;
        bp = 0;
        limit = len;
        lastRank = rank;
        if (tag != TraceFormat.TAG_END) {
            sections++;
        }
        switch (rank) {
            case RANK_HEAD -> readHead();
            case RANK_TENS -> readTensors();
            case RANK_WCNT -> readContent();
            case RANK_EVNT -> startChunk();
            default -> readEnd();
        }
    }

    private static int rank(int tag) {
        if (tag == TraceFormat.TAG_HEAD) {
            return RANK_HEAD;
        } else if (tag == TraceFormat.TAG_TENS) {
            return RANK_TENS;
        } else if (tag == TraceFormat.TAG_WCNT) {
            return RANK_WCNT;
        } else if (tag == TraceFormat.TAG_EVNT) {
            return RANK_EVNT;
        } else if (tag == TraceFormat.TAG_END) {
            return RANK_END;
        }
        return -1;
    }

    /** HEAD once and first; then one or more TENS; then WCNT*, EVNT*, END in that order. */
    private void checkOrder(int tag, int rank, long start) {
        boolean ok;
        if (lastRank < 0) {
            ok = rank == RANK_HEAD;
        } else if (lastRank == RANK_HEAD) {
            ok = rank == RANK_TENS;
        } else {
            ok = rank >= lastRank && rank != RANK_HEAD;
        }
        if (!ok) {
            String where = lastRank < 0 ? "as the first section"
                    : "after the " + TraceFormat.tagName(curTag) + " section that starts at byte " + curStart;
            throw fail(start, "section " + TraceFormat.tagName(tag) + " out of order " + where
                    + " (expected HEAD, TENS..., WCNT..., EVNT..., END)");
        }
    }

    private void readHead() {
        try {
            header = TraceFormat.JSON.readValue(buf, 0, limit, TraceHeader.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw fail(payloadStart, "HEAD section: invalid header at " + jsonPath(e) + ": " + oneLine(
                    String.valueOf(cause.getMessage())));
        } catch (UnrecognizedPropertyException e) {
            throw fail(headOffset(e.getLocation()), "HEAD section: unknown header field '" + e.getPropertyName()
                    + "' at " + jsonPath(e) + " (expected one of " + e.getKnownPropertyIds() + ")");
        } catch (JsonMappingException e) {
            String m = oneLine(e.getOriginalMessage());
            if (m.startsWith("Missing creator property") || m.startsWith("Missing required creator property")) {
                // Jackson's wording names its own feature flag; say what the user needs to know.
                throw fail(headOffset(e.getLocation()), "HEAD section: missing header field " + jsonPath(e)
                        + " (every field of the header must be present; use null where a value is optional)");
            }
            throw fail(headOffset(e.getLocation()), "HEAD section: invalid header at " + jsonPath(e) + ": " + m);
        } catch (JsonProcessingException e) {
            throw fail(headOffset(e.getLocation()), "HEAD section: malformed header JSON: "
                    + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw fail(payloadStart, "HEAD section: unreadable header JSON: " + oneLine(e.getMessage()));
        }
        if (header == null) {
            throw fail(payloadStart, "HEAD section: header JSON is null; expected an object");
        }
        String problem = TraceChecks.checkHeader(header);
        if (problem != null) {
            throw fail(payloadStart, "HEAD section: " + problem);
        }
    }

    private long headOffset(JsonLocation loc) {
        long b = loc == null ? -1 : loc.getByteOffset();
        return b >= 0 ? payloadStart + b : payloadStart;
    }

    private static String jsonPath(JsonMappingException e) {
        String p = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return p.isEmpty() ? "the top level" : "'" + p + "'";
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl >= 0 ? s.substring(0, nl) : s).trim();
    }

    private final Set<String> tensorNames = new HashSet<>();

    private void readTensors() {
        long first = varint();
        long count = varint();
        if (first != tensors.size()) {
            throw fail(payloadStart, "TENS section starts at tensor " + first + " but " + tensors.size()
                    + " tensors were read before it; a TENS section is missing or out of place");
        }
        if (count < 0 || count > limit) {
            throw fail(payloadStart, "TENS section announces " + count + " tensors, more than its bytes can hold");
        }
        for (long i = 0; i < count; i++) {
            int rowStart = bp;
            int id = tensors.size();
            String tname = string("tensor name");
            String roleId = string("tensor role");
            int layer = signedInt("tensor layer");
            long rank = varint();
            if (rank < 0 || rank > limit - bp) {
                throw fail(payloadStart + rowStart, "tensor " + id + " '" + tname + "': rank " + rank
                        + " is more than the section can hold");
            }
            List<Long> shape = new ArrayList<>((int) rank);
            for (int d = 0; d < rank; d++) {
                shape.add(unsigned("tensor dimension"));
            }
            String typeId = string("element type");
            long bytes = unsigned("tensor bytes");
            long payloadBytes = unsigned("tensor payload bytes");
            int groupSize = (int) boundedVarint(Integer.MAX_VALUE, "group size");
            TensorInfo t;
            try {
                t = new TensorInfo(id, tname, TensorRole.fromId(roleId), layer, shape, ElementType.fromId(typeId),
                        bytes, payloadBytes, groupSize);
            } catch (IllegalArgumentException e) {
                throw fail(payloadStart + rowStart, "tensor " + id + " '" + tname + "': " + e.getMessage());
            }
            String problem = TraceChecks.checkTensor(t, id);
            if (problem != null) {
                throw fail(payloadStart + rowStart, problem);
            }
            if (!tensorNames.add(tname)) {
                throw fail(payloadStart + rowStart, "tensor " + id + ": the name '" + tname
                        + "' is already used by another tensor");
            }
            tensors.add(t);
        }
        expectEndOfPayload("TENS");
        tensorView = Collections.unmodifiableList(tensors);
        content = new WeightContent[tensors.size()];
    }

    /** Weight content of one tensor being assembled from consecutive WCNT sections. */
    private final class PendingContent {
        final TensorInfo tensor;
        final int blockElements;
        final int blocks;
        int[][] histograms;
        int received;

        PendingContent(TensorInfo tensor, int blockElements, int blocks) {
            this.tensor = tensor;
            this.blockElements = blockElements;
            this.blocks = blocks;
            // Grown as sections arrive, so that memory follows the content actually present.
            this.histograms = new int[Math.min(blocks, 1024)][];
        }

        BadInputException incomplete(long at) {
            return fail(at, "weight content of tensor " + tensor.id() + " '" + tensor.name() + "' is incomplete: "
                    + received + " of " + blocks + " blocks were given before this section");
        }
    }

    private void readContent() {
        int id = (int) boundedVarint(tensors.size() - 1L, "tensor id (not in the tensor table)");
        int blockElements = (int) boundedVarint(Integer.MAX_VALUE, "block elements");
        long totalBlocks = unsigned("block count");
        long firstBlock = unsigned("first block");
        long count = unsigned("blocks in section");
        TensorInfo t = tensors.get(id);
        if (pending != null && pending.tensor.id() != id) {
            throw pending.incomplete(curStart);
        }
        if (pending == null) {
            if (content[id] != null) {
                throw fail(curStart, "WCNT section repeats the weight content of tensor " + id + " '" + t.name()
                        + "', which is complete already");
            }
            String problem = TraceChecks.checkContentTensor(t, blockElements, header.contentBlockElements());
            if (problem != null) {
                throw fail(curStart, problem);
            }
            long expected = TraceFormat.blockCount(t.elements(), blockElements);
            if (totalBlocks != expected) {
                throw fail(curStart, "weight content of tensor " + id + " '" + t.name() + "' announces "
                        + totalBlocks + " blocks; " + t.elements() + " elements in blocks of " + blockElements
                        + " need " + expected);
            }
            pending = new PendingContent(t, blockElements, (int) totalBlocks);
        } else if (blockElements != pending.blockElements || totalBlocks != pending.blocks) {
            throw fail(curStart, "WCNT section continues tensor " + id + " with different block parameters");
        }
        if (firstBlock != pending.received) {
            throw fail(curStart, "WCNT section of tensor " + id + " starts at block " + firstBlock + " but "
                    + pending.received + " blocks were read before it; a WCNT section is missing or out of place");
        }
        if (count == 0 || count > pending.blocks - firstBlock || count > limit - bp) {
            throw fail(curStart, "WCNT section of tensor " + id + " announces " + count + " blocks from block "
                    + firstBlock + " of " + pending.blocks);
        }
        int alphabet = t.elementType().alphabetSize();
        int needed = (int) (firstBlock + count);
        if (pending.histograms.length < needed) {
            pending.histograms = Arrays.copyOf(pending.histograms,
                    (int) Math.min(pending.blocks, Math.max(needed, 2L * pending.histograms.length)));
        }
        for (int b = (int) firstBlock; b < needed; b++) {
            int at = bp;
            int[] h = histogram(alphabet);
            String problem = TraceChecks.checkBlock(h, b, t, blockElements);
            if (problem != null) {
                throw fail(payloadStart + at, problem);
            }
            pending.histograms[b] = h;
        }
        pending.received = needed;
        expectEndOfPayload("WCNT");
        if (pending.received == pending.blocks) {
            content[id] = new WeightContent(id, blockElements, pending.histograms);
            pending = null;
        }
    }

    private void startChunk() {
        long first = varint();
        long count = varint();
        if (first != events) {
            throw fail(curStart, "EVNT section starts at event " + first + " but " + events + " events were read "
                    + "before it; an EVNT section is missing or out of place");
        }
        if (count < 0 || count > limit - bp) {
            throw fail(curStart, "EVNT section announces " + count + " events, more than its bytes can hold");
        }
        chunkRemaining = count;
        names.clear();
    }

    private void readEnd() {
        long[] stored = new long[5];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = varint();
        }
        expectEndOfPayload("END");
        long[] actual = {sections, events, steps, ops, accesses};
        String[] what = {"sections", "events", "steps", "ops", "accesses"};
        for (int i = 0; i < stored.length; i++) {
            if (stored[i] != actual[i]) {
                throw fail(curStart, "END totals do not match the file: END says " + stored[i] + " " + what[i]
                        + ", the file holds " + actual[i] + " (a section was lost, repeated or altered)");
            }
        }
        try {
            int extra = in.read();
            if (extra >= 0) {
                throw fail(pos, "trailing bytes after the END section (" + (fileSize - pos)
                        + " bytes); the file was appended to or is corrupted");
            }
        } catch (IOException e) {
            throw fail(pos, "read error: " + e.getMessage());
        }
        ended = true;
        chunkRemaining = 0;
    }

    private void expectEndOfPayload(String tag) {
        if (bp != limit) {
            throw fail(payloadStart + bp, (limit - bp) + " unexpected byte(s) at the end of the " + tag
                    + " section that starts at byte " + curStart);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Events

    private StepEvent readStep(int start) {
        int phase = bp < limit ? buf[bp++] : -1;
        if (phase != 0 && phase != 1) {
            throw eventFail(start, "step phase " + phase + " (expected 0 = prefill or 1 = decode)");
        }
        long first = varint();
        long tokens = varint();
        if (first < 0 || first > Integer.MAX_VALUE || tokens <= 0 || tokens > Integer.MAX_VALUE) {
            throw eventFail(start, "step with first position " + first + " and " + tokens
                    + " tokens (expected position >= 0 and tokens >= 1)");
        }
        steps++;
        return new StepEvent(phase == 0 ? StepEvent.Phase.PREFILL : StepEvent.Phase.DECODE, (int) first,
                (int) tokens);
    }

    private OpEvent readOp(int start) {
        long ref = varint();
        String opName;
        if (ref == 0) {
            opName = string("op name");
            names.add(opName);
        } else if (ref > 0 && ref <= names.size()) {
            opName = names.get((int) (ref - 1));
        } else {
            throw eventFail(start, "op name reference " + ref + ", but only " + names.size()
                    + " names are defined so far in this EVNT section");
        }
        long layer = TraceFormat.unzigzag(varint());
        long macs = varint();
        long n = varint();
        if (layer < Integer.MIN_VALUE || layer > Integer.MAX_VALUE || macs < 0) {
            throw eventFail(start, "op '" + opName + "' with layer " + layer + " and " + macs + " MACs");
        }
        // Each access takes at least 3 bytes; a larger count is corruption that must not allocate gigabytes.
        if (n < 0 || n > (limit - bp) / 3) {
            throw eventFail(start, "op '" + opName + "' announces " + n + " accesses, more than the section holds");
        }
        Access[] list = new Access[(int) n];
        for (int i = 0; i < list.length; i++) {
            int at = bp;
            long aref = varint();
            int flags = (int) (aref & ((1 << TraceFormat.ACCESS_FLAG_BITS) - 1));
            long tid = aref >>> TraceFormat.ACCESS_FLAG_BITS;
            long offset = varint();
            long length = varint();
            if (tid >= tensors.size()) {
                throw accessFail(start, at, opName, "tensor id " + tid + " is not in the tensor table (ids 0.."
                        + (tensors.size() - 1) + ")");
            }
            if (offset < 0 || length <= 0) {
                throw accessFail(start, at, opName, "offset " + offset + " and length " + length
                        + " (expected offset >= 0 and length >= 1)");
            }
            TensorInfo t = tensors.get((int) tid);
            int[] hist = null;
            if ((flags & TraceFormat.ACCESS_HISTOGRAM) != 0) {
                if (!t.elementType().quantized()) {
                    throw accessFail(start, at, opName, "histogram on tensor " + tid + " '" + t.name()
                            + "' of element type " + t.elementType().id() + ", which has no symbol alphabet");
                }
                hist = histogram(t.elementType().alphabetSize());
            }
            Access a = new Access((int) tid, (flags & TraceFormat.ACCESS_WRITE) != 0
                    ? Access.Direction.WRITE : Access.Direction.READ, offset, length, hist);
            String problem = TraceChecks.checkAccess(a, tensors);
            if (problem != null) {
                throw accessFail(start, at, opName, problem);
            }
            list[i] = a;
        }
        ops++;
        accesses += n;
        return new OpEvent(opName, (int) layer, macs, Arrays.asList(list));
    }

    private BadInputException eventFail(int start, String msg) {
        return fail(payloadStart + start, "event " + events + " (in the EVNT section that starts at byte "
                + curStart + "): " + msg);
    }

    private BadInputException accessFail(int start, int at, String op, String msg) {
        return fail(payloadStart + at, "event " + events + " (op '" + op + "' at byte " + (payloadStart + start)
                + ", in the EVNT section that starts at byte " + curStart + "): " + msg);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Primitives, decoding from buf[bp, limit)

    /** Unsigned LEB128, up to 64 bits; returned as a long (negative when the value exceeds 2^63-1). */
    private long varint() {
        int p = bp;
        if (p < limit) {
            byte b = buf[p];
            if (b >= 0) {
                bp = p + 1;
                return b;
            }
        }
        return varintSlow();
    }

    private long varintSlow() {
        int p = bp;
        long result = 0;
        for (int shift = 0; ; shift += 7) {
            if (p >= limit) {
                throw fail(payloadStart + bp, "a varint runs past the end of the " + TraceFormat.tagName(curTag)
                        + " section that starts at byte " + curStart);
            }
            byte b = buf[p++];
            if (shift == 63 && (b & 0xfe) != 0) {
                throw fail(payloadStart + bp, "a varint in the " + TraceFormat.tagName(curTag)
                        + " section that starts at byte " + curStart + " does not fit 64 bits");
            }
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                bp = p;
                return result;
            }
        }
    }

    private long unsigned(String what) {
        int at = bp;
        long v = varint();
        if (v < 0) {
            throw fail(payloadStart + at, what + " does not fit a signed 64-bit value");
        }
        return v;
    }

    private long boundedVarint(long max, String what) {
        int at = bp;
        long v = varint();
        if (v < 0 || v > max) {
            throw fail(payloadStart + at, TraceFormat.tagName(curTag) + " section that starts at byte " + curStart
                    + ": " + what + ": value " + Long.toUnsignedString(v) + " outside 0.." + max);
        }
        return v;
    }

    private int signedInt(String what) {
        int at = bp;
        long v = TraceFormat.unzigzag(varint());
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw fail(payloadStart + at, what + " " + v + " does not fit 32 bits");
        }
        return (int) v;
    }

    private String string(String what) {
        int at = bp;
        long n = varint();
        if (n < 0 || n > limit - bp) {
            throw fail(payloadStart + at, what + ": string of " + Long.toUnsignedString(n)
                    + " bytes runs past the end of the " + TraceFormat.tagName(curTag) + " section that starts at"
                    + " byte " + curStart);
        }
        String s = new String(buf, bp, (int) n, StandardCharsets.UTF_8);
        bp += (int) n;
        return s;
    }

    /** A histogram of {@code alphabet} bins, dense or sparse (see ByteSink#writeHistogram). */
    private int[] histogram(int alphabet) {
        int at = bp;
        long mode = varint();
        int[] h = new int[alphabet];
        if (mode == 0) {
            for (int s = 0; s < alphabet; s++) {
                h[s] = count(at);
            }
        } else {
            long k = mode - 1;
            if (k < 0 || k > alphabet) {
                throw fail(payloadStart + at, "sparse histogram with " + k + " nonzero bins; the alphabet has "
                        + alphabet);
            }
            int prev = -1;
            for (int i = 0; i < k; i++) {
                long gap = varint();
                long s = prev + 1L + gap;
                if (gap < 0 || s >= alphabet) {
                    throw fail(payloadStart + at, "sparse histogram names symbol " + s + "; the alphabet has "
                            + alphabet);
                }
                int c = count(at);
                if (c == 0) {
                    throw fail(payloadStart + at, "sparse histogram lists symbol " + s + " with count 0");
                }
                h[(int) s] = c;
                prev = (int) s;
            }
        }
        return h;
    }

    private int count(int histogramStart) {
        long c = varint();
        if (c < 0 || c > Integer.MAX_VALUE) {
            throw fail(payloadStart + histogramStart, "histogram count " + Long.toUnsignedString(c)
                    + " exceeds 2^31-1");
        }
        return (int) c;
    }

    private static int u32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    /** Reads until {@code len} bytes or EOF; returns the count read. */
    private int readFully(byte[] b, int off, int len) {
        try {
            return in.readNBytes(b, off, len);
        } catch (IOException e) {
            throw fail(pos, "read error: " + e.getMessage());
        }
    }

    private BadInputException fail(long offset, String msg) {
        return new BadInputException(name + ": byte " + offset + ": " + msg);
    }
}
