package io.nccsim.dram;

import java.util.Locale;

/**
 * One command the memory controller puts on a channel's command bus, at a DRAM clock cycle (tCK). This is all the
 * independent timing checker sees.
 *
 * @param cycle     the tCK cycle the command is issued in, counted from 0 per simulation
 * @param type      what the command does
 * @param channel   channel index
 * @param rank      rank within the channel
 * @param bankGroup bank group within the rank (0 where the standard or mode has none)
 * @param bank      bank within the bank group
 * @param row       row (for ACT; the open row for RD/WR, -1 where it does not apply)
 * @param column    column of the burst (for RD/WR; -1 otherwise)
 */
public record DramCommand(long cycle, Type type, int channel, int rank, int bankGroup, int bank, int row,
                          int column) {

    public enum Type {
        /** Activate: open {@code row} in one bank. */
        ACT,
        /** Precharge one bank (close its row). */
        PRE,
        /** Precharge all banks of a rank. */
        PREA,
        /** Read one burst from the open row. */
        RD,
        /** Read one burst, then precharge the bank automatically (closed-page policy). */
        RDA,
        /** Write one burst to the open row. */
        WR,
        /** Write one burst, then precharge automatically. */
        WRA,
        /** All-bank refresh of a rank: every bank must be precharged. */
        REFAB,
        /** Per-bank refresh of one bank (LPDDR4/5). */
        REFPB;

        public boolean isRead() {
            return this == RD || this == RDA;
        }

        public boolean isWrite() {
            return this == WR || this == WRA;
        }

        public boolean isColumn() {
            return isRead() || isWrite();
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "@%d %s ch%d r%d bg%d b%d row%d col%d", cycle, type, channel, rank,
                bankGroup, bank, row, column);
    }
}
