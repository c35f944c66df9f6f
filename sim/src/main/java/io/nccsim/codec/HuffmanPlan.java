package io.nccsim.codec;

import java.util.List;

/**
 * The outcome of Huffman coding a set of tensors: the tables built, and per tensor what its coding cost.
 *
 * @param scope        how tables were shared
 * @param blockSymbols symbols per independently decodable block
 * @param layout       how each block was laid out in streams
 * @param tables       the tables, in order of first use
 * @param tensors      one record per tensor, in input order
 */
public record HuffmanPlan(TableScope scope, int blockSymbols, MultiStreamLayout layout, List<CodedTable> tables,
                          List<TensorCoding> tensors) {
    public HuffmanPlan {
        tables = List.copyOf(tables);
        tensors = List.copyOf(tensors);
    }

    public long symbols() {
        return tensors.stream().mapToLong(TensorCoding::symbols).sum();
    }

    public long rawBits() {
        return tensors.stream().mapToLong(TensorCoding::rawBits).sum();
    }

    public long payloadBits() {
        return tensors.stream().mapToLong(TensorCoding::payloadBits).sum();
    }

    public long overheadBits() {
        return tensors.stream().mapToLong(TensorCoding::overheadBits).sum();
    }

    /** Bits of all tables, each counted once. */
    public long tableBits() {
        return tables.stream().mapToLong(CodedTable::bits).sum();
    }

    public long storedBits() {
        return payloadBits() + overheadBits() + tableBits();
    }

    public boolean roundTripExact() {
        return tensors.stream().allMatch(TensorCoding::roundTripExact);
    }
}
