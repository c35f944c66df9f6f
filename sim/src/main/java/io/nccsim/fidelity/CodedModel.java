package io.nccsim.fidelity;

import io.nccsim.model.ModelFile;

/**
 * A model file whose weight matrices went through a codec and back: the values the decoder will compute with, and
 * what storing them cost.
 *
 * @param file            the model with every coded tensor replaced by its decoded values; other tensors as they were
 * @param codedTensors    tensors that went through the codec (the weight matrices)
 * @param parameters      weight elements of the whole model, coded or not
 * @param storedBits      bits the whole model's weights take as stored: coded matrices at the codec's size (symbols,
 *                        scales, zero points, Huffman tables and block overhead), the rest at fp32
 * @param huffmanSymbols  symbols that went through the Huffman coder and were decoded identical (0 without Huffman)
 */
public record CodedModel(ModelFile file, int codedTensors, long parameters, long storedBits, long huffmanSymbols) {
    public CodedModel {
        if (parameters <= 0 || storedBits < 0) {
            throw new IllegalArgumentException("parameters " + parameters + ", stored bits " + storedBits);
        }
    }

    /** Average stored bits per weight element over the whole model. */
    public double bitsPerWeight() {
        return (double) storedBits / parameters;
    }
}
