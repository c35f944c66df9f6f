package io.nccsim.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A length-limited canonical Huffman code: code lengths from symbol counts, and the canonical code words.
 *
 * <p>Hardware decoders look codes up in a table indexed by up to {@code maxLength} bits, so the code must never
 * be longer than that. Plain Huffman can produce long codes on skewed data; the package-merge algorithm
 * (Larmore and Hirschberg, 1990) gives the optimal code under the length limit. Symbols that never occur get
 * length 0 (no code word).
 */
public final class HuffmanCode {
    private final int[] lengths;
    private final int maxLength;

    private HuffmanCode(int[] lengths, int maxLength) {
        this.lengths = lengths;
        this.maxLength = maxLength;
    }

    /** The optimal code with no code longer than {@code maxLength} bits for the given symbol counts. */
    public static HuffmanCode build(long[] counts, int maxLength) {
        if (maxLength < 1 || maxLength > 30) {
            throw new IllegalArgumentException("maxLength must be 1..30, got " + maxLength);
        }
        int[] lengths = new int[counts.length];
        List<Integer> used = new ArrayList<>();
        for (int s = 0; s < counts.length; s++) {
            if (counts[s] < 0) {
                throw new IllegalArgumentException("negative count for symbol " + s);
            }
            if (counts[s] > 0) {
                used.add(s);
            }
        }
        int n = used.size();
        if (n == 0) {
            return new HuffmanCode(lengths, maxLength);
        }
        if (n == 1) {
            // A lone symbol still needs one bit so that the decoder can count symbols.
            lengths[used.get(0)] = 1;
            return new HuffmanCode(lengths, maxLength);
        }
        if (n > (1L << maxLength)) {
            throw new IllegalArgumentException(n + " symbols cannot be coded in at most " + maxLength + " bits");
        }
        used.sort((a, b) -> counts[a] != counts[b] ? Long.compare(counts[a], counts[b]) : Integer.compare(a, b));
        Item[] leaves = new Item[n];
        for (int i = 0; i < n; i++) {
            leaves[i] = new Item(counts[used.get(i)], used.get(i), null, null);
        }
        // Package-merge: at each of maxLength-1 rounds, pair up the current list and merge the pairs with the leaves.
        Item[] current = leaves;
        for (int round = 1; round < maxLength; round++) {
            int pairs = current.length / 2;
            Item[] packages = new Item[pairs];
            for (int p = 0; p < pairs; p++) {
                Item a = current[2 * p];
                Item b = current[2 * p + 1];
                packages[p] = new Item(a.weight + b.weight, -1, a, b);
            }
            current = merge(leaves, packages);
        }
        // The first 2n-2 items of the final list; a symbol's code length is how often its leaf occurs in them.
        for (int i = 0; i < 2 * n - 2; i++) {
            countLeaves(current[i], lengths);
        }
        return new HuffmanCode(lengths, maxLength);
    }

    private static Item[] merge(Item[] leaves, Item[] packages) {
        Item[] out = new Item[leaves.length + packages.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < leaves.length || j < packages.length) {
            // On equal weights take the leaf first: any tie rule gives an optimal code; a fixed one keeps it deterministic.
            if (j == packages.length || (i < leaves.length && leaves[i].weight <= packages[j].weight)) {
                out[k++] = leaves[i++];
            } else {
                out[k++] = packages[j++];
            }
        }
        return out;
    }

    private static void countLeaves(Item item, int[] lengths) {
        // Iterative walk: package trees are at most maxLength deep, but recursion per symbol is needless here.
        ArrayList<Item> stack = new ArrayList<>();
        stack.add(item);
        while (!stack.isEmpty()) {
            Item it = stack.remove(stack.size() - 1);
            if (it.symbol >= 0) {
                lengths[it.symbol]++;
            } else {
                stack.add(it.left);
                stack.add(it.right);
            }
        }
    }

    private record Item(long weight, int symbol, Item left, Item right) {
    }

    /** Code length in bits of each symbol (0 for symbols without a code). */
    public int[] lengths() {
        return lengths.clone();
    }

    public int length(int symbol) {
        return lengths[symbol];
    }

    public int maxLength() {
        return maxLength;
    }

    public int alphabetSize() {
        return lengths.length;
    }

    /** Bits needed to code a block with the given symbol counts; a symbol without a code cannot be coded. */
    public long codedBits(int[] histogram) {
        long bits = 0;
        for (int s = 0; s < histogram.length; s++) {
            if (histogram[s] != 0) {
                if (lengths[s] == 0) {
                    throw new IllegalArgumentException("symbol " + s + " has no code in this table");
                }
                bits += (long) histogram[s] * lengths[s];
            }
        }
        return bits;
    }

    /** True if every symbol that occurs in {@code histogram} has a code word. */
    public boolean covers(int[] histogram) {
        for (int s = 0; s < histogram.length; s++) {
            if (histogram[s] != 0 && lengths[s] == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Canonical code words (right-aligned in an int): shorter codes first, and within one length in symbol order.
     * A decoder rebuilds them from the lengths alone, which is why a table stores only lengths.
     */
    public int[] canonicalCodes() {
        int[] countPerLength = new int[maxLength + 1];
        for (int len : lengths) {
            if (len > 0) {
                countPerLength[len]++;
            }
        }
        int[] next = new int[maxLength + 2];
        int code = 0;
        for (int len = 1; len <= maxLength; len++) {
            code = (code + countPerLength[len - 1]) << 1;
            next[len] = code;
        }
        int[] codes = new int[lengths.length];
        for (int s = 0; s < lengths.length; s++) {
            if (lengths[s] > 0) {
                codes[s] = next[lengths[s]]++;
            }
        }
        return codes;
    }

    /**
     * Bytes a table occupies in DRAM and in table SRAM: one code length per alphabet symbol, each in enough bits to
     * hold {@code maxLength} (4 bits for lengths up to 15, 5 bits up to 31).
     */
    public long tableBytes() {
        int bitsPerLength = 32 - Integer.numberOfLeadingZeros(maxLength);
        return ((long) lengths.length * bitsPerLength + 7) / 8;
    }

    @Override
    public String toString() {
        return "HuffmanCode" + Arrays.toString(lengths);
    }
}
