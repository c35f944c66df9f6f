package io.nccsim.trace;

/**
 * Starts a step: the prefill of the prompt (all prompt tokens in one batch) or the decode of one token. The ops
 * that follow, up to the next step, belong to it.
 *
 * @param phase         prefill or decode
 * @param firstPosition sequence position of the first token of the step
 * @param tokens        tokens processed in this step (the prompt length for prefill, 1 for decode)
 */
public record StepEvent(Phase phase, int firstPosition, int tokens) implements TraceEvent {
    public enum Phase { PREFILL, DECODE }

    public StepEvent {
        if (tokens <= 0 || firstPosition < 0) {
            throw new IllegalArgumentException("step needs tokens > 0 and firstPosition >= 0");
        }
    }
}
