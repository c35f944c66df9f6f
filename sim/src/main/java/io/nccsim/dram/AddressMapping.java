package io.nccsim.dram;

import io.nccsim.config.MemoryConfig;

/**
 * Splits a byte address into channel, rank, bank group, bank, row and column (burst) fields.
 *
 * <p>{@code RO_BA_RA_CO_CH} names the fields most significant first: consecutive bursts go to consecutive
 * channels, then walk the columns of one row, so a streaming access keeps every channel busy and hits open rows.
 * {@code BANK_XOR} is the same with the bank index XORed with the low bits of the row, which spreads rows that
 * would conflict in one bank over different banks (the permutation-based interleaving of Zhang et al., MICRO 2000).
 */
final class AddressMapping {
    private final MemoryConfig.Mapping scheme;
    private final int burstBytes;
    private final int channels;
    private final int columnBursts;
    private final int ranks;
    private final int banks;
    private final int banksPerGroup;
    private final int rows;
    // When every field count is a power of two (the usual case) the fields are bit slices: shifts and masks
    // instead of four divisions per burst, on the simulator's hottest path.
    private final boolean pow2;
    private final int chBits;
    private final int colBits;
    private final int rankBits;
    private final int bankBits;
    private final int groupShift; // log2(banksPerGroup), when that is a power of two too

    AddressMapping(MemoryConfig.Mapping scheme, int burstBytes, int channels, int columnBursts, int ranks, int banks,
                   int banksPerGroup, int rows) {
        this.scheme = scheme;
        this.burstBytes = burstBytes;
        this.channels = channels;
        this.columnBursts = columnBursts;
        this.ranks = ranks;
        this.banks = banks;
        this.banksPerGroup = banksPerGroup;
        this.rows = rows;
        this.pow2 = isPow2(channels) && isPow2(columnBursts) && isPow2(ranks) && isPow2(banks) && isPow2(rows)
                && isPow2(banksPerGroup);
        this.chBits = Integer.numberOfTrailingZeros(channels);
        this.colBits = Integer.numberOfTrailingZeros(columnBursts);
        this.rankBits = Integer.numberOfTrailingZeros(ranks);
        this.bankBits = Integer.numberOfTrailingZeros(banks);
        this.groupShift = Integer.numberOfTrailingZeros(banksPerGroup);
    }

    private static boolean isPow2(int v) {
        return v > 0 && Integer.bitCount(v) == 1;
    }

    int burstBytes() {
        return burstBytes;
    }

    /** Decodes burst number {@code burst} (the address divided by the burst size) into {@code out}. */
    void decode(long burst, Fields out) {
        if (pow2) {
            long x = burst;
            out.channel = (int) (x & (channels - 1));
            x >>>= chBits;
            out.column = (int) (x & (columnBursts - 1));
            x >>>= colBits;
            out.rank = (int) (x & (ranks - 1));
            x >>>= rankBits;
            int bank = (int) (x & (banks - 1));
            x >>>= bankBits;
            out.row = (int) (x & (rows - 1));
            if (scheme == MemoryConfig.Mapping.BANK_XOR) {
                bank ^= out.row & (banks - 1);
            }
            out.bankGroup = bank >>> groupShift;
            out.bank = bank;
            return;
        }
        long x = burst;
        out.channel = (int) (x % channels);
        x /= channels;
        out.column = (int) (x % columnBursts);
        x /= columnBursts;
        out.rank = (int) (x % ranks);
        x /= ranks;
        int bank = (int) (x % banks);
        x /= banks;
        out.row = (int) (x % rows);
        if (scheme == MemoryConfig.Mapping.BANK_XOR) {
            bank ^= out.row % banks;
        }
        out.bankGroup = bank / banksPerGroup;
        out.bank = bank;
    }

    /** The fields of one burst address; reused to avoid an allocation per burst. */
    static final class Fields {
        int channel;
        int rank;
        int bankGroup;
        int bank; // 0..banks-1 within the rank (bank group included)
        int row;
        int column;
    }
}
