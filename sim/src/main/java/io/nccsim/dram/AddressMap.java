package io.nccsim.dram;

import io.nccsim.trace.TensorInfo;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Where each tensor lives in DRAM: regions laid out one after another in tensor-table order, each starting on a
 * page boundary. The size of a region is what the tensor occupies as stored (raw, or compressed when the NCC
 * stores it compressed and that is larger, so that a poorly compressing tensor still fits).
 */
public final class AddressMap {
    /** Regions start on 4 KiB boundaries, the page size of the processors modeled. */
    public static final long REGION_ALIGN_BYTES = 4096;

    private final long[] base;
    private final long totalBytes;

    private AddressMap(long[] base, long totalBytes) {
        this.base = base;
        this.totalBytes = totalBytes;
    }

    public static AddressMap layout(List<TensorInfo> tensors, ToLongFunction<TensorInfo> regionBytes) {
        long[] base = new long[tensors.size()];
        long next = 0;
        for (TensorInfo t : tensors) {
            base[t.id()] = next;
            long size = Math.max(1, regionBytes.applyAsLong(t));
            next = alignUp(next + size, REGION_ALIGN_BYTES);
        }
        return new AddressMap(base, next);
    }

    public static AddressMap raw(List<TensorInfo> tensors) {
        return layout(tensors, TensorInfo::bytes);
    }

    public long base(int tensorId) {
        return base[tensorId];
    }

    public long totalBytes() {
        return totalBytes;
    }

    public static long alignUp(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
