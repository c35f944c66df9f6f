package io.nccsim.capture;

/**
 * Where a trace's KV caches are and how a position's entries are laid out in them: what the cache slots of
 * {@link OpSlot} need to turn into accesses. An encoder has no KV cache ({@link #NONE}).
 */
interface KvCacheLayout {
    /** The layout of a trace without KV caches: asking it anything is a tracer bug. */
    KvCacheLayout NONE = new KvCacheLayout() {
        @Override
        public int keyCacheId(int layer) {
            throw none();
        }

        @Override
        public int valueCacheId(int layer) {
            throw none();
        }

        @Override
        public long kvRowPayloadBytes() {
            throw none();
        }

        @Override
        public long kvRowScaleBytes() {
            throw none();
        }

        @Override
        public int contextRows() {
            throw none();
        }

        private IllegalStateException none() {
            return new IllegalStateException("this trace has no KV cache");
        }
    };

    /** Table id of layer {@code layer}'s key cache. */
    int keyCacheId(int layer);

    /** Table id of layer {@code layer}'s value cache. */
    int valueCacheId(int layer);

    /** Bytes of one position's keys (or values), without scales. */
    long kvRowPayloadBytes();

    /** Bytes of one position's scales (0 when the cache has none). */
    long kvRowScaleBytes();

    /** Positions each cache holds; the scales follow that many rows of payload. */
    int contextRows();
}
