package io.nccsim.engine;

/**
 * The discrete-event kernel: a clock in integer picoseconds and a queue of pending actions.
 *
 * <p>Time jumps from one scheduled action to the next, so idle stretches cost nothing. Actions due at the same
 * picosecond run in the order they were scheduled (a sequence number breaks ties), which makes every run with the
 * same inputs execute the same actions in the same order: the root of nccsim's determinism.
 */
public final class Simulator {
    private final TimeQueue<Runnable> pending = new TimeQueue<>();
    private long nowPs;
    private long executed;

    /** The current simulated time in picoseconds. */
    public long nowPs() {
        return nowPs;
    }

    /** Actions executed so far (a measure of simulation work). */
    public long executedActions() {
        return executed;
    }

    /** Runs {@code action} at absolute time {@code atPs}, which must not be in the past. */
    public void scheduleAt(long atPs, Runnable action) {
        if (atPs < nowPs) {
            throw new IllegalArgumentException("cannot schedule in the past: " + atPs + " ps < now " + nowPs + " ps");
        }
        pending.add(atPs, action);
    }

    /** Runs {@code action} {@code delayPs} picoseconds from now. */
    public void scheduleIn(long delayPs, Runnable action) {
        scheduleAt(nowPs + delayPs, action);
    }

    /** Executes actions in time order until none is left. */
    public void run() {
        while (!pending.isEmpty()) {
            step();
        }
    }

    /** Executes actions in time order until none is left or the next one is later than {@code untilPs}. */
    public void runUntil(long untilPs) {
        while (!pending.isEmpty() && pending.peekTimePs() <= untilPs) {
            step();
        }
    }

    /**
     * Time of the next pending action, or {@link Long#MAX_VALUE} when none is pending. A component may work ahead
     * on its own, without scheduling an action for every step, up to (not including) this time: nothing that could
     * change its inputs happens before then.
     */
    public long peekNextTimePs() {
        return pending.peekTimePs();
    }

    public boolean idle() {
        return pending.isEmpty();
    }

    private void step() {
        nowPs = pending.peekTimePs();
        executed++;
        pending.poll().run();
    }
}
