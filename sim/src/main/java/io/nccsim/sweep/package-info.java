/**
 * Design-space sweeps: a spec ({@link io.nccsim.sweep.SweepSpec}) names a base config, traces and axes over config
 * keys; {@link io.nccsim.sweep.SweepPlan} expands it into numbered points with stable ids and seeds;
 * {@link io.nccsim.sweep.SweepRunner} runs them on worker threads, appending each finished point to
 * {@code results.jsonl} and {@code results.csv} at once, resumable and shardable; {@link io.nccsim.sweep.SweepMerge}
 * joins shards; {@link io.nccsim.sweep.SweepResults} reads a results directory back (the documented format).
 */
package io.nccsim.sweep;
