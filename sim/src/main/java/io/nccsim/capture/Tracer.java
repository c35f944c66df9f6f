package io.nccsim.capture;

import io.nccsim.trace.StepEvent;
import io.nccsim.trace.TensorRole;
import io.nccsim.trace.TraceEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns what a {@link LlamaEngine} reports into trace events: a step per forward pass of a generated token, and
 * one op per kernel with its accesses in execution order, against the tensors of a {@link CaptureLayout}.
 *
 * <p>Operation boundaries come from the order {@link AccessListener} documents: every kernel reports its reads
 * (activations, weight, KV cache) before its writes (activations, KV append), so the first read after a write
 * starts the next kernel. Which kernel it was follows from the weight it read or, for kernels without weights,
 * from what it touched ({@link EngineOp#classify}).
 *
 * <p>Prefill is one step over the whole prompt, as the simulator expects (it times prefill as the trace's first
 * step). The engine runs the prompt token by token, as llama2.c does; the tracer batches those passes kernel by kernel into what a batched prefill performs: each weight read once, one
 * activation row per token, the new keys and values of all prompt positions appended together (their symbol
 * counts summed), attention over the context of the last prompt token, and the final norm and classifier for the
 * last token only, whose logits alone choose the first generated token. Every value is the engine's own: batching
 * changes which reads are repeated, not what is computed or stored.
 *
 * <p>KV-cache writes of an INT8 cache carry the histogram of the codes the cache stores, computed with the cache's
 * own rounding ({@link KvCache#quantizeInt8}); the symbol of code c is c + 128, the unsigned form trace
 * histograms use for symmetric codes. A shape-only run, whose keys and values are not computed, gives the tracer
 * modeled {@link KvSymbols} instead.
 */
public final class Tracer implements AccessListener {
    /** Offset that turns an int8 code (-128..127) into its unsigned symbol. */
    static final int INT8_SYMBOL_OFFSET = 128;

    /** The symbol counts an INT8 cache write carries. */
    public interface KvSymbols {
        /**
         * Counts by symbol (code + 128) of the codes stored for one position's keys ({@code key} true) or values:
         * {@code x.length} of them, the engine's vector as computed.
         */
        int[] counts(float[] x, boolean key);
    }

    private final CaptureLayout layout;
    private final LlamaConfig c;
    private final int promptTokens;
    private final Consumer<TraceEvent> sink;
    private final KvSymbols kvSymbols;
    private final byte[] codes;

    /** The prompt's kernels, batched over the prompt tokens run so far. */
    private final List<TracedOp> prefill = new ArrayList<>();
    private int nextPos;
    private boolean inForward;
    private int pos;
    private int token;
    private int opIndex;
    private OpRecorder op;
    private int decodeSteps;

    /**
     * @param layout       the trace's tensor table
     * @param promptTokens tokens of the prompt, run at positions 0 .. promptTokens-1 and traced as one prefill step
     * @param sink         receives the events in order (e.g. a trace writer's {@code write})
     */
    public Tracer(CaptureLayout layout, int promptTokens, Consumer<TraceEvent> sink) {
        this(layout, promptTokens, sink, null);
    }

    /**
     * A tracer whose INT8 cache writes carry the counts {@code kvSymbols} gives rather than those of the values
     * the engine reports (which a shape-only run does not compute); null counts the engine's values.
     */
    public Tracer(CaptureLayout layout, int promptTokens, Consumer<TraceEvent> sink, KvSymbols kvSymbols) {
        if (promptTokens < 1 || promptTokens != layout.batchRows()) {
            throw new IllegalArgumentException("prompt of " + promptTokens + " tokens: expected at least 1, and the "
                    + layout.batchRows() + " rows the layout's activation buffers hold");
        }
        this.layout = layout;
        this.c = layout.config();
        this.promptTokens = promptTokens;
        this.sink = sink;
        this.kvSymbols = kvSymbols != null ? kvSymbols : (x, key) -> int8Histogram(x);
        this.codes = new byte[c.headSize()];
    }

    /** Decode steps traced so far. */
    public int decodeSteps() {
        return decodeSteps;
    }

    /**
     * Checks that the trace is complete: no forward pass is half-reported and the whole prompt ran (so its
     * prefill step was written).
     */
    public void finish() {
        if (inForward) {
            throw new IllegalStateException("the forward pass at position " + pos + " never ended");
        }
        if (nextPos < promptTokens) {
            throw new IllegalStateException("only " + nextPos + " of the prompt's " + promptTokens + " tokens ran");
        }
    }

    @Override
    public void onForwardStart(int token, int pos) {
        if (inForward) {
            throw new IllegalStateException("forward pass at " + pos + " started inside the one at " + this.pos);
        }
        if (pos != nextPos) {
            // A rewind would make the trace replay positions the simulator already counted.
            throw new IllegalStateException("forward pass at position " + pos + ": the tracer expects position "
                    + nextPos + " (positions run once each, in order)");
        }
        if (pos >= layout.contextRows()) {
            throw new IllegalStateException("position " + pos + " is beyond the " + layout.contextRows()
                    + " positions the layout's KV caches hold");
        }
        inForward = true;
        this.pos = pos;
        this.token = token;
        opIndex = 0;
        op = null;
        if (pos >= promptTokens) {
            sink.accept(new StepEvent(StepEvent.Phase.DECODE, pos, 1));
            decodeSteps++;
        }
    }

    @Override
    public void onWeightRead(String tensorName, int layer, TensorRole role, long elements) {
        OpRecorder r = recorder(layer, true);
        StoredWeight w = layout.weight(tensorName);
        int id = layout.weightId(tensorName);
        // The lookup reads one row; everything else (the tied classifier included) reads the whole tensor.
        long expected = role == TensorRole.EMBEDDING ? w.cols() : w.elements();
        if (elements != expected) {
            throw new IllegalStateException("weight '" + tensorName + "' read " + elements + " elements as "
                    + role.id() + ", expected " + expected);
        }
        r.weight(role, elements, w.rows() == 1, role == TensorRole.EMBEDDING
                ? new OpSlot.EmbeddingRows(w, id, List.of(token))
                : new OpSlot.WholeWeight(id, w.bytes()));
    }

    @Override
    public void onActivation(String name, int layer, float[] values, boolean write) {
        OpRecorder r = recorder(layer, !write);
        CaptureLayout.Buffer b = layout.buffer(name);
        if (values.length != b.width()) {
            throw new IllegalStateException("activation '" + name + "' has " + values.length + " elements, its "
                    + "buffer rows " + b.width());
        }
        // Prompt token i uses row i of the batched buffers; a decode step, one token, uses row 0.
        int row = b.perToken() && pos < promptTokens ? pos : 0;
        r.activation(name, write, new OpSlot.ActivationRows(b.tensorId(), write, b.rowBytes(), row, 1));
    }

    @Override
    public void onKvWrite(int layer, int pos, float[] k, float[] v) {
        if (pos != this.pos) {
            throw new IllegalStateException("KV write at " + pos + " during the forward pass at " + this.pos);
        }
        boolean int8 = layout.kvPrecision() == KvPrecision.INT8;
        recorder(layer, false).kvWrite(new OpSlot.KvAppend(layer, pos, 1, int8 ? kvSymbols.counts(k, true) : null,
                int8 ? kvSymbols.counts(v, false) : null));
    }

    @Override
    public void onKvRead(int layer, int fromPos, int toPos) {
        if (fromPos != 0 || toPos != pos) {
            throw new IllegalStateException("attention at " + pos + " read positions " + fromPos + ".." + toPos
                    + "; the tracer expects 0.." + pos);
        }
        recorder(layer, true).kvRead(new OpSlot.KvScan(layer, toPos + 1));
    }

    @Override
    public void onForwardEnd(int pos) {
        requireForward();
        if (op != null) {
            finishOp();
        }
        if (pos < promptTokens && opIndex != prefill.size()) {
            throw new IllegalStateException("prompt token at " + pos + " ran " + opIndex + " operations, the first "
                    + prefill.size());
        }
        if (pos == promptTokens - 1) {
            sink.accept(new StepEvent(StepEvent.Phase.PREFILL, 0, promptTokens));
            for (TracedOp t : prefill) {
                sink.accept(t.toEvent(layout));
            }
            prefill.clear();
        }
        inForward = false;
        nextPos++;
    }

    private void requireForward() {
        if (!inForward) {
            throw new IllegalStateException("the engine reported an access outside a forward pass");
        }
    }

    /** The op an event belongs to: a read after the current op's writes starts the next op. */
    private OpRecorder recorder(int layer, boolean read) {
        requireForward();
        if (op != null && op.endsBefore(read)) {
            finishOp();
        }
        if (op == null) {
            op = new OpRecorder(layer);
        } else {
            op.checkLayer(layer);
        }
        return op;
    }

    private void finishOp() {
        EngineOp kind = EngineOp.classify(op.weightRole, op.reads, op.writes, op.kvWrite, op.kvRead);
        TracedOp t = new TracedOp(kind, op.layer, kind.macs(c, op.weightElements, pos), op.slots);
        op = null;
        if (pos >= promptTokens) {
            sink.accept(t.toEvent(layout));
        } else if (pos == 0) {
            prefill.add(t);
        } else if (opIndex < prefill.size()) {
            prefill.set(opIndex, prefill.get(opIndex).batchWith(t));
        } else {
            throw new IllegalStateException("prompt token at " + pos + " ran more operations than the first");
        }
        opIndex++;
    }

    /** Symbol counts of the codes an INT8 cache stores for {@code x}, head vector by head vector. */
    private int[] int8Histogram(float[] x) {
        int[] h = new int[1 << KvPrecision.INT8.bitsPerElement()];
        int headSize = c.headSize();
        for (int from = 0; from < x.length; from += headSize) {
            KvCache.quantizeInt8(x, from, headSize, codes, 0);
            for (byte code : codes) {
                h[code + INT8_SYMBOL_OFFSET]++;
            }
        }
        return h;
    }

    /** What one kernel has done so far. */
    private static final class OpRecorder extends OpAccesses {
        TensorRole weightRole;
        long weightElements;
        boolean kvWrite;
        boolean kvRead;
        boolean biasRead;

        OpRecorder(int layer) {
            super(layer);
        }

        /** A weight read: the op's one matrix or vector, or the bias that follows its matrix (same role). */
        void weight(TensorRole role, long elements, boolean vector, OpSlot slot) {
            if (weightRole == null) {
                weightRole = role;
                weightElements = elements;
            } else if (role != weightRole || !vector || biasRead || hasWrites) {
                throw new IllegalStateException("one operation read two weights (" + weightRole.id() + ", then "
                        + role.id() + "); only a projection's bias may follow its matrix");
            } else {
                biasRead = true;
            }
            slots.add(slot);
        }

        void kvWrite(OpSlot slot) {
            kvWrite = true;
            hasWrites = true;
            slots.add(slot);
        }

        void kvRead(OpSlot slot) {
            kvRead = true;
            slots.add(slot);
        }
    }
}
