package io.nccsim.ncc;

import io.nccsim.dram.AddressMap;
import io.nccsim.dram.MemRequest;
import io.nccsim.dram.MemorySystem;
import io.nccsim.engine.Simulator;
import io.nccsim.trace.TensorInfo;

import java.util.List;

/** No NCC: each tile goes to memory as it is, with no added latency. The baseline of every run. */
public final class BypassNcc implements Ncc {
    private final Simulator sim;
    private final MemorySystem memory;
    private final AddressMap addresses;
    private final NccCounters counters;

    public BypassNcc(Simulator sim, MemorySystem memory, List<TensorInfo> tensors) {
        this(sim, memory, AddressMap.raw(tensors), new NccCounters());
    }

    /** A pass-through path inside a real NCC: it shares the NCC's address map and counters. */
    BypassNcc(Simulator sim, MemorySystem memory, AddressMap addresses, NccCounters counters) {
        this.sim = sim;
        this.memory = memory;
        this.addresses = addresses;
        this.counters = counters;
    }

    @Override
    public boolean offer(TileRequest tile) {
        TensorInfo t = tile.tensor();
        MemRequest r = new MemRequest(addresses.base(t.id()) + tile.offsetBytes(), tile.lengthBytes(),
                tile.isWrite(), t.role().dataClass(), () -> tile.finish(sim.nowPs()));
        if (!memory.offer(r)) {
            return false;
        }
        counters.tilesBypassed++;
        counters.addTraffic(t.role(), tile.lengthBytes(), tile.lengthBytes());
        return true;
    }

    @Override
    public void whenSpace(Runnable waiter) {
        memory.whenSpace(waiter);
    }

    @Override
    public NccCounters counters() {
        return counters;
    }
}
