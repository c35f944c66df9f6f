package io.nccsim.dram;

/**
 * Sees the memory's work (a timeline recorder): the commands of the cycle-level controller, the requests of the
 * ideal memory, and the steps steady-state sampling fast-forwards. Attach one with {@link #attach}; the models hold
 * null when nobody listens.
 */
public interface MemoryListener {
    /** The LPDDR controller issued {@code command} (its cycle counts from 0 in {@code timing}'s tCK). */
    void command(DramCommand command, TimingTable timing);

    /** The ideal memory (or sampling's fast model) served {@code request} from acceptance to completion. */
    void request(MemRequest request, long acceptedPs, long donePs);

    /**
     * Sampling ran the step from {@code startPs} to {@code endPs} on its fast model (an ideal memory calibrated on
     * the last detailed decode step), not on the cycle-level controller: no commands exist for it.
     */
    void fastForwarded(long startPs, long endPs);

    /** Sends {@code memory}'s work from now on to {@code listener}, whichever model it is. */
    static void attach(MemorySystem memory, MemoryListener listener) {
        if (memory instanceof LpddrMemory m) {
            TimingTable t = m.timing();
            m.setCommandListener(c -> listener.command(c, t));
        } else if (memory instanceof IdealMemory m) {
            m.setListener(listener);
        } else if (memory instanceof SampledMemory m) {
            m.setListener(listener);
        } else if (memory instanceof RecordingMemory m) {
            attach(m.delegate(), listener);
        }
    }
}
