package io.nccsim.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.nccsim.common.BadInputException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;

/**
 * Writes a trace in format v1 (see {@code traces/FORMAT.md}) as a stream: events are buffered only until a chunk
 * of about {@link TraceFormat#DEFAULT_CHUNK_TARGET} bytes is full, so a generator can emit a multi-GB trace in
 * bounded memory.
 *
 * <p>Everything written is validated against the header and tensor table first (unknown tensor ids, accesses
 * beyond a tensor's bytes, histograms with the wrong number of bins or inconsistent counts), and rejected with an
 * {@link IllegalArgumentException} that leaves the writer usable: such a problem is a bug in the generator, and it
 * is far cheaper to catch it here than to have every reader of the file reject it later.
 *
 * <p>When writing to a path, the bytes go to a hidden temporary file in the same directory, and {@link #close()}
 * renames it into place atomically: a failed or interrupted run never leaves a partial trace under the real name
 * and never destroys an existing trace halfway. Note that try-with-resources calls {@code close()}, which
 * <em>commits</em>, even when the body threw; a generator that may fail should either call {@link #abort()} itself
 * before the exception leaves the try block, or use {@link #writeTo}, which does it.
 */
public final class TraceWriter implements AutoCloseable {

    /** Body of {@link #writeTo}. */
    @FunctionalInterface
    public interface Body {
        void write(TraceWriter writer) throws IOException;
    }

    private enum State { OPEN, CLOSED, ABORTED, FAILED }

    private static final int MAX_EVENT_BODY = TraceFormat.MAX_PAYLOAD - 32;

    private final TraceHeader header;
    private final List<TensorInfo> tensors;
    private final int chunkTarget;

    private Path target;
    private Path temp;
    private FileChannel channel;
    private OutputStream out;
    private State state = State.OPEN;

    private final CRC32C crc = new CRC32C();
    private final ByteSink sectionHeader = new ByteSink(16);
    private final ByteSink prefix = new ByteSink(64);
    private final ByteSink body;

    // The EVNT chunk being filled, and its op-name dictionary (names are defined inline on first use per chunk).
    private final ByteSink chunk;
    private final Map<String, Integer> nameIndex = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private int chunkEvents;
    private long chunkFirstEvent;

    private final boolean[] hasContent;
    private boolean eventsStarted;
    private long sections;
    private long events;
    private long steps;
    private long ops;
    private long accesses;
    private long bytesWritten;

    /**
     * Starts a trace at {@code path}: validates the header and tensor table, and writes the preamble, HEAD and TENS
     * sections to a temporary file next to {@code path}.
     *
     * @throws IllegalArgumentException the header or tensor table is inconsistent
     * @throws BadInputException        the directory of {@code path} does not exist
     * @throws UncheckedIOException     the temporary file cannot be created or written
     */
    public TraceWriter(Path path, TraceHeader header, List<TensorInfo> tensors) {
        this(path, header, tensors, TraceFormat.DEFAULT_CHUNK_TARGET);
    }

    /** As the public constructor, with a chosen chunk size (tests use small chunks to get many sections). */
    TraceWriter(Path path, TraceHeader header, List<TensorInfo> tensors, int chunkTarget) {
        this(header, tensors, chunkTarget);
        Objects.requireNonNull(path, "path");
        Path abs = path.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new BadInputException(path + ": cannot write the trace: directory " + dir + " does not exist");
        }
        if (Files.isDirectory(abs)) {
            throw new BadInputException(path + ": cannot write the trace: it is a directory");
        }
        this.target = abs;
        try {
            // A hidden sibling: same file system, so the final rename is atomic. CREATE_NEW with a random suffix
            // rather than Files.createTempFile, whose 0600 permissions would carry over to the finished trace.
            for (int attempt = 0; ; attempt++) {
                Path t = dir.resolve("." + abs.getFileName() + "."
                        + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + ".partial");
                try {
                    channel = FileChannel.open(t, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    temp = t;
                    break;
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    if (attempt > 10) {
                        throw e;
                    }
                }
            }
            out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            start();
        } catch (IOException e) {
            abort();
            throw new UncheckedIOException(path + ": cannot write the trace: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
    }

    private TraceWriter(TraceHeader header, List<TensorInfo> tensors, int chunkTarget) {
        this.header = Objects.requireNonNull(header, "header");
        this.tensors = List.copyOf(tensors);
        if (chunkTarget < 64 || chunkTarget > TraceFormat.MAX_PAYLOAD / 2) {
            throw new IllegalArgumentException("chunk target must be within 64.." + TraceFormat.MAX_PAYLOAD / 2);
        }
        this.chunkTarget = chunkTarget;
        String problem = TraceChecks.checkHeader(header);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < this.tensors.size(); i++) {
            TensorInfo t = this.tensors.get(i);
            problem = TraceChecks.checkTensor(t, i);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            if (!seen.add(t.name())) {
                throw new IllegalArgumentException("two tensors are named '" + t.name() + "'");
            }
        }
        this.hasContent = new boolean[this.tensors.size()];
        this.body = new ByteSink(Math.min(chunkTarget + 4096, 1 << 16));
        this.chunk = new ByteSink(Math.min(chunkTarget + 4096, 1 << 20));
    }

    /**
     * A writer to a stream (for tests and pipes). There is no temporary file: {@link #abort()} just stops, and
     * {@link #close()} writes END and closes {@code out}.
     */
    public static TraceWriter toStream(OutputStream out, TraceHeader header, List<TensorInfo> tensors) {
        return toStream(out, header, tensors, TraceFormat.DEFAULT_CHUNK_TARGET);
    }

    static TraceWriter toStream(OutputStream out, TraceHeader header, List<TensorInfo> tensors, int chunkTarget) {
        TraceWriter w = new TraceWriter(header, tensors, chunkTarget);
        w.out = Objects.requireNonNull(out, "out");
        try {
            w.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w;
    }

    /**
     * Writes a whole trace: runs {@code body} and commits the file if it returns, or deletes it and rethrows if
     * it throws, so that a failing generator leaves nothing behind.
     */
    public static void writeTo(Path path, TraceHeader header, List<TensorInfo> tensors, Body body)
            throws IOException {
        TraceWriter w = new TraceWriter(path, header, tensors);
        try {
            body.write(w);
        } catch (Throwable t) {
            w.abort();
            throw t;
        }
        w.close();
    }

    private void start() throws IOException {
        prefix.reset();
        prefix.writeBytes(TraceFormat.MAGIC);
        prefix.writeU16(TraceFormat.VERSION);
        prefix.writeU16(0);
        out.write(prefix.array(), 0, prefix.length());
        bytesWritten += prefix.length();

        byte[] json;
        try {
            json = TraceFormat.JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise the header: " + e.getOriginalMessage(), e);
        }
        if (json.length > TraceFormat.MAX_PAYLOAD) {
            throw new IllegalArgumentException("header JSON is " + json.length + " bytes, more than a section holds");
        }
        body.reset();
        body.writeBytes(json);
        prefix.reset();
        writeSection(TraceFormat.TAG_HEAD, prefix, body);

        // The tensor table, cut into TENS sections of about chunkTarget bytes (one is plenty for real models).
        int first = 0;
        int rows = 0;
        body.reset();
        for (int i = 0; i < tensors.size(); i++) {
            int mark = body.length();
            encodeTensor(tensors.get(i));
            if (body.length() > chunkTarget && rows > 0) {
                body.truncate(mark);
                flushTensors(first, rows);
                first = i;
                rows = 0;
                encodeTensor(tensors.get(i));
            }
            rows++;
        }
        flushTensors(first, rows);
    }

    private void encodeTensor(TensorInfo t) {
        body.writeString(t.name());
        body.writeString(t.role().id());
        body.writeSignedVarint(t.layer());
        body.writeVarint(t.shape().size());
        for (long d : t.shape()) {
            body.writeVarint(d);
        }
        body.writeString(t.elementType().id());
        body.writeVarint(t.bytes());
        body.writeVarint(t.payloadBytes());
        body.writeVarint(t.groupSize());
    }

    private void flushTensors(int first, int rows) throws IOException {
        prefix.reset();
        prefix.writeVarint(first);
        prefix.writeVarint(rows);
        writeSection(TraceFormat.TAG_TENS, prefix, body);
        body.reset();
    }

    /**
     * Writes the content summary of one quantized weight tensor, cut into WCNT sections as needed.
     *
     * @throws IllegalStateException    events have already been written (content comes first, so that a reader
     *                                  has every tensor's content before the first event that touches it)
     * @throws IllegalArgumentException the content does not fit the tensor (see {@link TraceChecks})
     */
    public void writeWeightContent(WeightContent content) {
        ensureOpen();
        if (eventsStarted) {
            throw new IllegalStateException("weight content must be written before the first event");
        }
        int id = content.tensorId();
        if (id < 0 || id >= tensors.size()) {
            throw new IllegalArgumentException("weight content for tensor id " + id
                    + ", which is not in the tensor table (ids 0.." + (tensors.size() - 1) + ")");
        }
        if (hasContent[id]) {
            throw new IllegalArgumentException("weight content for tensor " + id + " was already written");
        }
        TensorInfo t = tensors.get(id);
        int blockElements = content.blockElements();
        String problem = TraceChecks.checkContentTensor(t, blockElements, header.contentBlockElements());
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        long expectedBlocks = TraceFormat.blockCount(t.elements(), blockElements);
        int[][] h = content.histograms();
        if (h.length != expectedBlocks) {
            throw new IllegalArgumentException("weight content of tensor " + id + " '" + t.name() + "' has "
                    + h.length + " blocks; " + t.elements() + " elements in blocks of " + blockElements
                    + " need " + expectedBlocks);
        }
        for (int b = 0; b < h.length; b++) {
            problem = TraceChecks.checkBlock(h[b], b, t, blockElements);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        try {
            int first = 0;
            int inSection = 0;
            body.reset();
            for (int b = 0; b < h.length; b++) {
                int mark = body.length();
                body.writeHistogram(h[b]);
                if (body.length() > chunkTarget && inSection > 0) {
                    body.truncate(mark);
                    flushContent(id, blockElements, h.length, first, inSection);
                    first = b;
                    inSection = 0;
                    body.writeHistogram(h[b]);
                }
                inSection++;
            }
            flushContent(id, blockElements, h.length, first, inSection);
        } catch (IOException e) {
            throw failed(e);
        }
        hasContent[id] = true;
    }

    private void flushContent(int id, int blockElements, int blocks, int first, int count) throws IOException {
        prefix.reset();
        prefix.writeVarint(id);
        prefix.writeVarint(blockElements);
        prefix.writeVarint(blocks);
        prefix.writeVarint(first);
        prefix.writeVarint(count);
        writeSection(TraceFormat.TAG_WCNT, prefix, body);
        body.reset();
    }

    /**
     * Appends one event.
     *
     * @throws IllegalArgumentException an access refers to a tensor not in the table, reaches beyond the tensor,
     *                                  or carries an inconsistent histogram; the event is not written
     */
    public void write(TraceEvent event) {
        ensureOpen();
        Objects.requireNonNull(event, "event");
        if (event instanceof OpEvent op) {
            for (Access a : op.accesses()) {
                String problem = TraceChecks.checkAccess(a, tensors);
                if (problem != null) {
                    throw new IllegalArgumentException("op '" + op.name() + "': " + problem);
                }
            }
        }
        eventsStarted = true;
        int mark = chunk.length();
        int namesMark = names.size();
        encodeEvent(event);
        if (chunk.length() > chunkTarget && chunkEvents > 0) {
            // Does not fit: close the chunk without it and start the next one with it, re-encoded because the
            // next chunk has a fresh name dictionary.
            chunk.truncate(mark);
            forgetNames(namesMark);
            flushChunk();
            encodeEvent(event);
        }
        if (chunk.length() > MAX_EVENT_BODY) {
            int size = chunk.length();
            chunk.reset();
            forgetNames(0);
            throw new IllegalArgumentException("event encodes to " + size + " bytes, more than a section holds ("
                    + TraceFormat.MAX_PAYLOAD + "); split the op");
        }
        chunkEvents++;
        events++;
        if (event instanceof OpEvent op) {
            ops++;
            accesses += op.accesses().size();
        } else {
            steps++;
        }
        if (chunk.length() >= chunkTarget) {
            flushChunk();
        }
    }

    private void forgetNames(int keep) {
        while (names.size() > keep) {
            nameIndex.remove(names.remove(names.size() - 1));
        }
    }

    private void encodeEvent(TraceEvent event) {
        if (event instanceof StepEvent s) {
            chunk.writeByte(TraceFormat.EVENT_STEP);
            chunk.writeByte(s.phase() == StepEvent.Phase.PREFILL ? 0 : 1);
            chunk.writeVarint(s.firstPosition());
            chunk.writeVarint(s.tokens());
        } else {
            OpEvent op = (OpEvent) event;
            chunk.writeByte(TraceFormat.EVENT_OP);
            Integer idx = nameIndex.get(op.name());
            if (idx == null) {
                chunk.writeVarint(0);
                chunk.writeString(op.name());
                nameIndex.put(op.name(), names.size());
                names.add(op.name());
            } else {
                chunk.writeVarint(idx + 1L);
            }
            chunk.writeSignedVarint(op.layer());
            chunk.writeVarint(op.macs());
            List<Access> list = op.accesses();
            chunk.writeVarint(list.size());
            for (Access a : list) {
                long flags = (a.isRead() ? 0 : TraceFormat.ACCESS_WRITE)
                        | (a.histogram() != null ? TraceFormat.ACCESS_HISTOGRAM : 0);
                chunk.writeVarint(((long) a.tensorId() << TraceFormat.ACCESS_FLAG_BITS) | flags);
                chunk.writeVarint(a.offsetBytes());
                chunk.writeVarint(a.lengthBytes());
                if (a.histogram() != null) {
                    chunk.writeHistogram(a.histogram());
                }
            }
        }
    }

    private void flushChunk() {
        if (chunkEvents == 0) {
            return;
        }
        prefix.reset();
        prefix.writeVarint(chunkFirstEvent);
        prefix.writeVarint(chunkEvents);
        try {
            writeSection(TraceFormat.TAG_EVNT, prefix, chunk);
        } catch (IOException e) {
            throw failed(e);
        }
        chunkFirstEvent += chunkEvents;
        chunkEvents = 0;
        chunk.reset();
        forgetNames(0);
    }

    /** Tag, u32 length, payload (= a ++ b), u32 CRC32C of all three. */
    private void writeSection(int tag, ByteSink a, ByteSink b) throws IOException {
        int length = a.length() + b.length();
        if (length > TraceFormat.MAX_PAYLOAD) {
            throw new IllegalStateException("section of " + length + " bytes exceeds the cap");
        }
        sectionHeader.reset();
        sectionHeader.writeU32(tag);
        sectionHeader.writeU32(length);
        crc.reset();
        crc.update(sectionHeader.array(), 0, 8);
        crc.update(a.array(), 0, a.length());
        crc.update(b.array(), 0, b.length());
        sectionHeader.writeU32((int) crc.getValue());
        out.write(sectionHeader.array(), 0, 8);
        out.write(a.array(), 0, a.length());
        out.write(b.array(), 0, b.length());
        out.write(sectionHeader.array(), 8, 4);
        bytesWritten += length + TraceFormat.SECTION_HEADER_BYTES + TraceFormat.SECTION_TRAILER_BYTES;
        if (tag != TraceFormat.TAG_END) {
            sections++;
        }
    }

    /** Bytes written so far (sections still being buffered not included). */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Events accepted so far. */
    public long eventCount() {
        return events;
    }

    /**
     * Writes the last chunk and the END section and, for a file, flushes it to disk and renames it into place
     * (replacing an existing file of that name in one step). Does nothing when already closed or aborted.
     *
     * @throws IOException the trace could not be completed; the temporary file has been deleted
     */
    @Override
    public void close() throws IOException {
        if (state == State.CLOSED || state == State.ABORTED) {
            return;
        }
        if (state == State.FAILED) {
            abort();
            throw new IOException((target != null ? target + ": " : "")
                    + "trace not written: an earlier write to it failed");
        }
        try {
            flushChunk();
            prefix.reset();
            prefix.writeVarint(sections);
            prefix.writeVarint(events);
            prefix.writeVarint(steps);
            prefix.writeVarint(ops);
            prefix.writeVarint(accesses);
            body.reset();
            writeSection(TraceFormat.TAG_END, prefix, body);
            out.flush();
            if (channel != null) {
                channel.force(true);
            }
            out.close();
            if (target != null) {
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            state = State.CLOSED;
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    /**
     * Abandons the trace: closes the temporary file and deletes it, leaving whatever was at the target path
     * untouched. Safe to call at any time, also after a failure; does nothing after a successful close.
     */
    public void abort() {
        if (state == State.CLOSED || state == State.ABORTED) {
            return;
        }
        state = State.ABORTED;
        try {
            if (out != null) {
                out.close();
            } else if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // the file is being thrown away
        }
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // nothing more can be done; the name is hidden and marked .partial
            }
        }
    }

    private void ensureOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("trace writer is " + state.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private UncheckedIOException failed(IOException e) {
        state = State.FAILED;
        return new UncheckedIOException((target != null ? target + ": " : "") + "writing the trace failed: "
                + e.getMessage(), e);
    }
}
