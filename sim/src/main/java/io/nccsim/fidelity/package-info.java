/**
 * Fidelity of a decoder whose weights (and KV cache) pass through an NCC codec: the model is run once as stored
 * (fp32 weights, fp32 KV cache) and once per codec setting, and the two runs' next-token distributions, perplexity
 * and greedy continuations are compared. {@link io.nccsim.fidelity.CodecSpec} documents the setting grammar.
 */
package io.nccsim.fidelity;
