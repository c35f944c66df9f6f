/**
 * Weight quantization as the NCC's entropy coder sees it: uniform int8/int4/int3/int2 quantizers with fp16 scales
 * ({@link io.nccsim.codec.quant.Quantizer}), EntroLLM's per-tensor symmetric/asymmetric choice
 * ({@link io.nccsim.codec.quant.SymmetryChooser}), and compression-aware options, magnitude pruning and clipping
 * chosen for error and entropy ({@link io.nccsim.codec.quant.QuantOptions}).
 */
package io.nccsim.codec.quant;
