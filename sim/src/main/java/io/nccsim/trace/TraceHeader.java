package io.nccsim.trace;

import java.util.Objects;

/**
 * The trace header (stored as JSON in the HEAD section).
 *
 * @param modelName              e.g. "Phi-3-mini-4k-instruct"
 * @param shape                  architecture numbers
 * @param weightQuant            how weights are deployed, e.g. "int4-g128-sym", "int8-channel-asym", "fp16"
 * @param activationType         element type of activations as stored in DRAM, e.g. "fp16"
 * @param kvCacheType            element type of the KV cache, e.g. "int8", "fp16"
 * @param promptTokens           prompt length (prefill)
 * @param generatedTokens        tokens generated after the prompt (decode steps)
 * @param producer               tool and version that wrote the trace, e.g. "nccsim 0.1.0 trace model"
 * @param provenance             captured or modeled, and how
 * @param contentBlockElements   the fine block size, in elements, of weight-content histograms: a coarser block is a
 *                               merge of consecutive fine blocks
 */
public record TraceHeader(String modelName, ModelShape shape, String weightQuant, String activationType,
                          String kvCacheType, int promptTokens, int generatedTokens, String producer,
                          Provenance provenance, int contentBlockElements) {
    public TraceHeader {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(provenance, "provenance");
        if (contentBlockElements <= 0) {
            throw new IllegalArgumentException("contentBlockElements must be positive");
        }
    }
}
