package io.nccsim.codec;

/**
 * A quantized tensor with the name the model file gives it; the name places it in a layer (see {@link LayerNames}).
 *
 * @param name   the tensor's name, unique within a model
 * @param tensor its symbols and quantization
 */
public record NamedTensor(String name, QuantizedTensor tensor) {
}
