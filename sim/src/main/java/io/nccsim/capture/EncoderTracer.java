package io.nccsim.capture;

import io.nccsim.trace.Access;
import io.nccsim.trace.OpEvent;
import io.nccsim.trace.StepEvent;
import io.nccsim.trace.TensorRole;
import io.nccsim.trace.TraceEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns what a {@link BertEncoder} reports into trace events against the tensors of an {@link EncoderLayout}: one
 * op per kernel, with its accesses in execution order.
 *
 * <p>How an encoder run maps onto trace format v1, which was made for decoders: the whole run is one
 * {@link StepEvent.Phase#PREFILL prefill} step, its tokens every row the encoder computes (each batch's sequences
 * times its padded length, padding included, since the kernels compute those rows too); there are no decode steps
 * and no KV cache. Inside the step the encoder's batches follow one another, each a complete pass: every weight is
 * read once per batch (matrices, biases and LayerNorm vectors whole; the embedding tables row by row, one row of
 * the word and token-type tables per token and one position row per position, each with the scales that
 * dequantize it), and the activations cover the batch's rows from row 0 of their buffers. One step keeps the
 * simulator's prefill/decode accounting as it is: its prefill time is the time of the whole encoder run.
 *
 * <p>Operation boundaries come from the order {@link BertEncoder} documents: every kernel reports its reads
 * (activations, weights) before its writes, so the first read after a write starts the next kernel; which kernel
 * it was follows from its weights' role or from what it touched ({@link EncoderOp#classify}).
 */
public final class EncoderTracer implements AccessListener {
    private final EncoderLayout layout;
    private final BertConfig c;
    private final int plannedRows;
    private final Consumer<TraceEvent> sink;

    private boolean stepWritten;
    private boolean inPass;
    private int[][] ids;
    private int[][] typeIds;
    private int rows;
    private int tokens;
    private int rowsRun;
    private int passes;
    private OpRecorder op;

    /**
     * @param layout      the trace's tensor table
     * @param plannedRows rows of every batch the encoder will run, together: the step's tokens
     * @param sink        receives the events in order (e.g. a trace writer's {@code write})
     */
    public EncoderTracer(EncoderLayout layout, int plannedRows, Consumer<TraceEvent> sink) {
        if (plannedRows < 1) {
            throw new IllegalArgumentException("an encoder run of " + plannedRows + " rows: expected at least 1");
        }
        this.layout = layout;
        this.c = layout.config();
        this.plannedRows = plannedRows;
        this.sink = sink;
    }

    /** Encoder passes (batches) traced so far. */
    public int passes() {
        return passes;
    }

    /** Checks that the trace is complete: no pass is half-reported and every planned row ran. */
    public void finish() {
        if (inPass) {
            throw new IllegalStateException("encoder pass " + passes + " never ended");
        }
        if (rowsRun != plannedRows) {
            throw new IllegalStateException("the encoder ran " + rowsRun + " rows; the step announced "
                    + plannedRows);
        }
    }

    @Override
    public void onEncoderStart(int[][] ids, int[][] typeIds, int[][] mask) {
        if (inPass) {
            throw new IllegalStateException("an encoder pass started inside pass " + passes);
        }
        int n = ids.length * ids[0].length;
        if (n > layout.batchRows() || ids.length > layout.batchSequences()) {
            throw new IllegalStateException("a batch of " + ids.length + " sequences, " + n + " rows: the layout's "
                    + "buffers hold " + layout.batchSequences() + " sequences, " + layout.batchRows() + " rows");
        }
        if (rowsRun + n > plannedRows) {
            throw new IllegalStateException("the encoder ran more than the " + plannedRows + " rows planned");
        }
        if (!stepWritten) {
            sink.accept(new StepEvent(StepEvent.Phase.PREFILL, 0, plannedRows));
            stepWritten = true;
        }
        this.ids = ids;
        this.typeIds = typeIds;
        this.rows = n;
        this.tokens = 0;
        for (int[] m : mask) {
            for (int v : m) {
                tokens += v;
            }
        }
        inPass = true;
        op = null;
    }

    @Override
    public void onWeightRead(String tensorName, int layer, TensorRole role, long elements) {
        OpRecorder r = recorder(layer, true);
        StoredWeight w = layout.weight(tensorName);
        int id = layout.weightId(tensorName);
        EncoderLayout.EmbeddingTable table = layout.embeddingTable(tensorName);
        List<Integer> gathered = table == null ? null : gatheredRows(table);
        long expected = gathered == null ? w.elements() : (long) gathered.size() * w.cols();
        if (elements != expected) {
            throw new IllegalStateException("weight '" + tensorName + "' read " + elements + " elements as "
                    + role.id() + ", expected " + expected);
        }
        r.weight(role, w.elements(), gathered == null ? new OpSlot.WholeWeight(id, w.bytes())
                : new OpSlot.EmbeddingRows(w, id, gathered));
    }

    /** The table rows an embedding lookup of this batch gathers, in order: one per token, or per position. */
    private List<Integer> gatheredRows(EncoderLayout.EmbeddingTable table) {
        List<Integer> out = new ArrayList<>();
        int length = ids[0].length;
        if (table == EncoderLayout.EmbeddingTable.POSITION) {
            for (int t = 0; t < length; t++) {
                out.add(t);
            }
            return out;
        }
        int[][] index = table == EncoderLayout.EmbeddingTable.WORD ? ids : typeIds;
        for (int[] sequence : index) {
            for (int v : sequence) {
                out.add(v);
            }
        }
        return out;
    }

    @Override
    public void onActivation(String name, int layer, float[] values, boolean write) {
        OpRecorder r = recorder(layer, !write);
        CaptureLayout.Buffer b = layout.buffer(name);
        int bufferRows = b.perToken() ? rows : ids.length;
        if (values.length != (long) bufferRows * b.width()) {
            throw new IllegalStateException("activation '" + name + "' has " + values.length + " elements; the batch "
                    + "fills " + bufferRows + " rows of " + b.width());
        }
        r.activation(name, write, new OpSlot.ActivationRows(b.tensorId(), write, b.rowBytes(), 0, bufferRows));
    }

    @Override
    public void onKvWrite(int layer, int pos, float[] k, float[] v) {
        throw new IllegalStateException("an encoder trace has no KV cache, yet a KV write was reported");
    }

    @Override
    public void onKvRead(int layer, int fromPos, int toPos) {
        throw new IllegalStateException("an encoder trace has no KV cache, yet a KV read was reported");
    }

    @Override
    public void onForwardStart(int token, int pos) {
        throw new IllegalStateException("a decoder forward pass was reported to the encoder tracer");
    }

    @Override
    public void onEncoderEnd() {
        requirePass();
        if (op != null) {
            finishOp();
        }
        inPass = false;
        rowsRun += rows;
        passes++;
    }

    private void requirePass() {
        if (!inPass) {
            throw new IllegalStateException("the encoder reported an access outside a pass");
        }
    }

    /** The op an event belongs to: a read after the current op's writes starts the next op. */
    private OpRecorder recorder(int layer, boolean read) {
        requirePass();
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
        EncoderOp kind = EncoderOp.classify(op.weightRole, op.reads, op.writes);
        List<Access> accesses = new ArrayList<>();
        for (OpSlot s : op.slots) {
            s.addAccesses(KvCacheLayout.NONE, accesses);
        }
        sink.accept(new OpEvent(kind.traceName(), op.layer, macs(kind, op.firstWeightElements), accesses));
        op = null;
    }

    /**
     * Multiply-accumulates of a kernel over the batch: a projection one per weight element per row; attention one
     * per query element and unmasked key for the scores and again for the weighted sum of values (padding keys are
     * skipped, padding queries are computed); the pooling one per element of each real token's row; the embedding
     * sum, the LayerNorms and GELU one per element (the decoder's convention for element-wise kernels).
     */
    private long macs(EncoderOp kind, long matrixElements) {
        long h = c.hidden();
        return switch (kind) {
            case EMBEDDING, EMBEDDING_NORM, ATTN_ADD_NORM, FFN_ADD_NORM -> rows * h;
            case ATTN_Q, ATTN_K, ATTN_V, ATTN_OUTPUT, FFN_UP, FFN_DOWN -> rows * matrixElements;
            case ATTENTION -> 2L * ids[0].length * tokens * h;
            case GELU -> (long) rows * c.intermediate();
            case POOLING -> tokens * h;
        };
    }

    /** What one kernel has done so far. */
    private static final class OpRecorder extends OpAccesses {
        TensorRole weightRole;
        long firstWeightElements;

        OpRecorder(int layer) {
            super(layer);
        }

        void weight(TensorRole role, long elements, OpSlot slot) {
            if (weightRole == null) {
                weightRole = role;
                firstWeightElements = elements;
            } else if (weightRole != role) {
                throw new IllegalStateException("one operation read weights of roles " + weightRole.id() + " and "
                        + role.id());
            }
            slots.add(slot);
        }
    }
}
