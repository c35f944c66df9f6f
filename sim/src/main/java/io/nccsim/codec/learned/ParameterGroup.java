package io.nccsim.codec.learned;

/**
 * A named slice of the flat parameter vector (e.g. the decoder's weight matrix), so that the optimizer sees one
 * array while gradient checks and reports can still talk about each group.
 *
 * @param name   e.g. {@code decoder.out.W} or {@code prior.logScale}
 * @param offset index of the group's first parameter in the flat vector
 * @param length number of parameters in the group
 */
record ParameterGroup(String name, int offset, int length) {
    int end() {
        return offset + length;
    }
}
