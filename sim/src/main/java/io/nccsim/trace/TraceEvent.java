package io.nccsim.trace;

/** One record of the event stream, in execution order. */
public sealed interface TraceEvent permits StepEvent, OpEvent {
}
