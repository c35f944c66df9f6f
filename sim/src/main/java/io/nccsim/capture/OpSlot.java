package io.nccsim.capture;

import io.nccsim.codec.WeightQuant;
import io.nccsim.trace.Access;

import java.util.ArrayList;
import java.util.List;

/**
 * One thing an operation does to memory, in the order it does it, before it becomes trace accesses. A slot of one
 * token merges with the same slot of the next prompt token when prefill is batched ({@link #merge}): weights are
 * read once for the batch, activations cover one row per token, cache appends cover consecutive positions.
 */
sealed interface OpSlot {
    /** This slot batched with the same slot of the following token. */
    OpSlot merge(OpSlot next);

    /** The trace accesses of this slot, appended to {@code out} in the order they happen. */
    void addAccesses(KvCacheLayout layout, List<Access> out);

    /** Rows {@code [firstRow, firstRow + rows)} of an activation buffer, read or written. */
    record ActivationRows(int tensorId, boolean write, long rowBytes, int firstRow, int rows) implements OpSlot {
        @Override
        public OpSlot merge(OpSlot next) {
            ActivationRows n = (ActivationRows) same(this, next);
            if (n.tensorId != tensorId || n.write != write || n.firstRow != firstRow + rows) {
                throw mismatch(this, next);
            }
            return new ActivationRows(tensorId, write, rowBytes, firstRow, rows + n.rows);
        }

        @Override
        public void addAccesses(KvCacheLayout layout, List<Access> out) {
            long offset = firstRow * rowBytes;
            long length = rows * rowBytes;
            out.add(write ? Access.write(tensorId, offset, length, null) : Access.read(tensorId, offset, length));
        }
    }

    /** A whole weight tensor read: a matrix-vector product or a norm uses every element. */
    record WholeWeight(int tensorId, long bytes) implements OpSlot {
        @Override
        public OpSlot merge(OpSlot next) {
            if (((WholeWeight) same(this, next)).tensorId != tensorId) {
                throw mismatch(this, next);
            }
            return this; // a batch reads the weights once for all its tokens
        }

        @Override
        public void addAccesses(KvCacheLayout layout, List<Access> out) {
            out.add(Access.read(tensorId, 0, bytes));
        }
    }

    /** The embedding rows of {@code tokens}, one per token, each with the scales that dequantize it. */
    record EmbeddingRows(StoredWeight table, int tensorId, List<Integer> tokens) implements OpSlot {
        public EmbeddingRows {
            tokens = List.copyOf(tokens);
        }

        @Override
        public OpSlot merge(OpSlot next) {
            EmbeddingRows n = (EmbeddingRows) same(this, next);
            if (n.tensorId != tensorId) {
                throw mismatch(this, next);
            }
            List<Integer> all = new ArrayList<>(tokens);
            all.addAll(n.tokens);
            return new EmbeddingRows(table, tensorId, all);
        }

        @Override
        public void addAccesses(KvCacheLayout layout, List<Access> out) {
            // A per-tensor format has one scale for the whole table: read once, after the rows.
            boolean oneScale = table.metadataBytes() > 0 && table.quant().groupSize() == WeightQuant.PER_TENSOR;
            for (int token : tokens) {
                StoredWeight.ByteRange row = table.rowPayload(token);
                out.add(Access.read(tensorId, row.offset(), row.length()));
                StoredWeight.ByteRange meta = table.rowMetadata(token);
                if (meta != null && !oneScale) {
                    out.add(Access.read(tensorId, meta.offset(), meta.length()));
                }
            }
            if (oneScale) {
                out.add(Access.read(tensorId, table.payloadBytes(), table.metadataBytes()));
            }
        }
    }

    /**
     * Keys and values of positions {@code [firstPos, firstPos + positions)} appended to one layer's caches, with
     * the symbol counts of the codes stored (INT8 caches; null otherwise).
     */
    record KvAppend(int layer, int firstPos, int positions, int[] keyHistogram, int[] valueHistogram)
            implements OpSlot {
        @Override
        public OpSlot merge(OpSlot next) {
            KvAppend n = (KvAppend) same(this, next);
            if (n.layer != layer || n.firstPos != firstPos + positions) {
                throw mismatch(this, next);
            }
            return new KvAppend(layer, firstPos, positions + n.positions, sum(keyHistogram, n.keyHistogram),
                    sum(valueHistogram, n.valueHistogram));
        }

        private static int[] sum(int[] a, int[] b) {
            if (a == null) {
                return null;
            }
            int[] s = a.clone();
            for (int i = 0; i < s.length; i++) {
                s[i] += b[i];
            }
            return s;
        }

        @Override
        public void addAccesses(KvCacheLayout layout, List<Access> out) {
            append(layout, layout.keyCacheId(layer), keyHistogram, out);
            append(layout, layout.valueCacheId(layer), valueHistogram, out);
        }

        private void append(KvCacheLayout layout, int cache, int[] histogram, List<Access> out) {
            long row = layout.kvRowPayloadBytes();
            out.add(Access.write(cache, firstPos * row, positions * row, histogram));
            long scales = layout.kvRowScaleBytes();
            if (scales > 0) {
                long payload = layout.contextRows() * row;
                out.add(Access.write(cache, payload + firstPos * scales, positions * scales, null));
            }
        }
    }

    /** Attention reads the keys and values of positions {@code [0, positions)} of one layer. */
    record KvScan(int layer, int positions) implements OpSlot {
        @Override
        public OpSlot merge(OpSlot next) {
            KvScan n = (KvScan) same(this, next);
            if (n.layer != layer || n.positions <= positions) {
                throw mismatch(this, next);
            }
            return n; // the batch's last token sees the longest context, which covers the others'
        }

        @Override
        public void addAccesses(KvCacheLayout layout, List<Access> out) {
            scan(layout, layout.keyCacheId(layer), out);
            scan(layout, layout.valueCacheId(layer), out);
        }

        private void scan(KvCacheLayout layout, int cache, List<Access> out) {
            long row = layout.kvRowPayloadBytes();
            out.add(Access.read(cache, 0, positions * row));
            long scales = layout.kvRowScaleBytes();
            if (scales > 0) {
                out.add(Access.read(cache, layout.contextRows() * row, positions * scales));
            }
        }
    }

    private static OpSlot same(OpSlot a, OpSlot b) {
        if (a.getClass() != b.getClass()) {
            throw mismatch(a, b);
        }
        return b;
    }

    private static IllegalStateException mismatch(OpSlot a, OpSlot b) {
        return new IllegalStateException("prompt tokens did not access memory alike, so prefill cannot be batched: "
                + a + " then " + b);
    }
}
