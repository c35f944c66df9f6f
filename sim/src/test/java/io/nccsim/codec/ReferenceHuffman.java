package io.nccsim.codec;

import java.util.PriorityQueue;

/**
 * An independent reference for the tests: the cost in bits of classic (unrestricted) Huffman coding, by merging the
 * two smallest weights until one remains; the sum of the merged weights is the coded size. A lone symbol costs one
 * bit per occurrence, as the coder gives it a one-bit code.
 */
final class ReferenceHuffman {
    private ReferenceHuffman() {
    }

    static long bits(long[] counts) {
        PriorityQueue<Long> pq = new PriorityQueue<>();
        for (long c : counts) {
            if (c > 0) {
                pq.add(c);
            }
        }
        if (pq.size() == 1) {
            return pq.peek();
        }
        long cost = 0;
        while (pq.size() > 1) {
            long a = pq.poll();
            long b = pq.poll();
            cost += a + b;
            pq.add(a + b);
        }
        return cost;
    }
}
