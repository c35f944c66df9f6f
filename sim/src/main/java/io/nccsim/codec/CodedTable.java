package io.nccsim.codec;

import java.util.List;

/**
 * One Huffman table of a {@link HuffmanPlan}, with the tensors that use it.
 *
 * @param index   position in the plan's table list
 * @param group   what the table covers, e.g. "layer 3 int4", "shared int4" or "tensor output.weight"
 * @param code    the table, built from the summed symbol counts of its tensors
 * @param tensors names of the tensors coded with it, in input order
 */
public record CodedTable(int index, String group, HuffmanCode code, List<String> tensors) {
    public CodedTable {
        tensors = List.copyOf(tensors);
    }

    /** Bits the table occupies as stored ({@link HuffmanCode#tableBytes()}, whole bytes). */
    public long bits() {
        return 8 * code.tableBytes();
    }
}
