package io.nccsim.sweep;

import io.nccsim.common.BadInputException;

/**
 * One slice of a sweep, {@code I/N} with 1-based {@code I}: the points whose index mod N is I-1. Interleaving rather
 * than contiguous blocks spreads slow and fast corners of the design space evenly over the shards.
 */
public record Shard(int index, int count) {
    /** The whole sweep. */
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new BadInputException("--shard " + index + "/" + count + ": expected I/N with 1 <= I <= N");
        }
    }

    /** Parses {@code I/N}, e.g. {@code 3/8}, as given to {@code --shard}. */
    public static Shard parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        if (slash < 0 || !t.substring(0, slash).matches("\\d{1,9}") || !t.substring(slash + 1).matches("\\d{1,9}")) {
            throw new BadInputException("--shard " + text + ": expected I/N with 1 <= I <= N, e.g. --shard 3/8");
        }
        int i = Integer.parseInt(t.substring(0, slash));
        int n = Integer.parseInt(t.substring(slash + 1));
        if (n < 1 || i < 1 || i > n) {
            throw new BadInputException("--shard " + text + ": out of range; expected I/N with 1 <= I <= N, e.g. "
                    + "--shard 1/" + Math.max(1, n));
        }
        return new Shard(i, n);
    }

    public boolean isAll() {
        return count == 1;
    }

    public boolean contains(int pointIndex) {
        return pointIndex % count == index - 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
