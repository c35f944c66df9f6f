/**
 * General-purpose compressors as baselines for the NCC's entropy coder: DEFLATE and zstd, each given the same bytes,
 * the quantized symbols packed at their bit width ({@link io.nccsim.codec.SymbolPacking}).
 */
package io.nccsim.codec.baseline;
