package io.nccsim.driver;

import io.nccsim.trace.OpEvent;
import io.nccsim.trace.TensorInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Processor time and DRAM bytes per transformer layer: each operation's time from its start to its end (its writes
 * stored) and the DRAM bytes accepted in between, summed by the operation's layer ({@link OpEvent#layerIn}; -1 for
 * operations outside the blocks). Operations run one after another from t = 0 with nothing between them, so the
 * times add up to the run's length and the bytes to its DRAM traffic.
 */
final class LayerTimes {
    private final List<TensorInfo> tensors;
    private final Map<Integer, long[]> byLayer = new TreeMap<>(); // layer -> {ps, bytes, ops}
    private long[] open;
    private long startPs;
    private long startBytes;

    LayerTimes(List<TensorInfo> tensors) {
        this.tensors = tensors;
    }

    void started(OpEvent op, long nowPs, long dramBytes) {
        open = byLayer.computeIfAbsent(op.layerIn(tensors), k -> new long[3]);
        startPs = nowPs;
        startBytes = dramBytes;
    }

    /** Closes the operation started last, if one is open. */
    void ended(long nowPs, long dramBytes) {
        if (open == null) {
            return;
        }
        open[0] += nowPs - startPs;
        open[1] += dramBytes - startBytes;
        open[2]++;
        open = null;
    }

    List<LayerTime> result() {
        List<LayerTime> out = new ArrayList<>();
        byLayer.forEach((layer, v) -> out.add(new LayerTime(layer, v[0], v[1], v[2])));
        return List.copyOf(out);
    }

}
