package io.nccsim.isa;

/**
 * One command the processor's driver puts into the NCC's command queue: a record per {@link Opcode}.
 *
 * <p>Every record validates its fields when it is built and throws {@link IsaException} on a field out of range or a
 * DRAM address that is not a multiple of {@link Limits#DRAM_ALIGNMENT} bytes, so an {@code Instruction} that exists
 * is always encodable. Ranges and bit positions are defined once, in {@link Opcode}'s field layouts.
 *
 * <p>Commands execute in queue order. A command may start before the previous one has completed (its DRAM traffic
 * may still be in flight); {@link Fence} waits for completion.
 */
public sealed interface Instruction {

    /** The opcode of this instruction. */
    Opcode opcode();

    /**
     * The field values as they are encoded, in the order of {@link Opcode#fields()}: numbers as they are, symbols
     * (enums) as their codes. {@code opcode().instantiate(fieldValues())} rebuilds an equal instruction.
     */
    long[] fieldValues();

    /**
     * CONFIG: set the compression level the NCC's write path uses for one class of data. DECOMPRESS and COMPRESS name
     * their own level, in the same numbering, so a stream is always decoded at the level it was coded at.
     *
     * @param dataClass which data the level applies to
     * @param level     0..7, see {@link CompressionLevel}: {@link #BYPASS} (0) stores the data uncompressed,
     *                  {@link #LOSSLESS} (1) codes it with the loaded canonical Huffman tables, 2..4 are lossy
     *                  (1..3 low bits dropped before Huffman coding), 5..7 learned-codec levels. An NCC that lacks a
     *                  level (the learned ones until a codec profile defines them) rejects it when it executes the
     *                  command; the encoding accepts every level
     */
    record Config(DataClass dataClass, int level) implements Instruction {
        /** Level 0: no compression ({@link CompressionLevel#BYPASS}). */
        public static final int BYPASS = CompressionLevel.BYPASS;
        /** Level 1: lossless canonical Huffman coding ({@link CompressionLevel#LOSSLESS}). */
        public static final int LOSSLESS = CompressionLevel.LOSSLESS;

        public Config {
            if (dataClass == null) {
                throw new IsaException("CONFIG: field data_class is missing");
            }
            Opcode.CONFIG.check(dataClass.code(), level);
        }

        @Override
        public Opcode opcode() {
            return Opcode.CONFIG;
        }

        @Override
        public long[] fieldValues() {
            return new long[] {dataClass.code(), level};
        }
    }

    /**
     * LOAD_TABLE: read a canonical Huffman table (the code length of each symbol) from DRAM into a slot of the NCC's
     * table SRAM, replacing what the slot held.
     *
     * @param slot         table slot, 0..255
     * @param src          DRAM byte address of the table, 48 bits, a multiple of 32
     * @param bytes        length of the table in DRAM, in bytes, 1..2^20
     * @param alphabetBits width of the table's symbols in bits, 1..8: the table codes an alphabet of
     *                     {@code 2^alphabetBits} symbols
     */
    record LoadTable(int slot, long src, int bytes, int alphabetBits) implements Instruction {
        public LoadTable {
            Opcode.LOAD_TABLE.check(slot, src, bytes, alphabetBits);
        }

        @Override
        public Opcode opcode() {
            return Opcode.LOAD_TABLE;
        }

        @Override
        public long[] fieldValues() {
            return new long[] {slot, src, bytes, alphabetBits};
        }
    }

    /**
     * DECOMPRESS: read compressed bytes from DRAM, decode them with a loaded table and deliver the raw bytes to the
     * processor.
     *
     * @param src      DRAM byte address of the compressed data, 48 bits, a multiple of 32
     * @param srcBytes compressed bytes to read from DRAM, 1..2^24
     * @param dstBytes raw (decoded) bytes to deliver to the processor, 1..2^24
     * @param slot     table slot to decode with, 0..255
     * @param streams  independent compressed streams the data is split into, decoded in parallel, 1..64
     * @param elemBits width of one element in bits, 1..8, whatever the level drops
     * @param level    the compression level the data was coded at, 1..7 (see {@link CompressionLevel}; never bypass,
     *                 which is a {@link Copy}): 1 lossless, 2..4 lossy (the decoder restores the dropped low bits as
     *                 the midpoint of their range), 5..7 learned
     */
    record Decompress(long src, int srcBytes, int dstBytes, int slot, int streams, int elemBits, int level)
            implements Instruction {
        public Decompress {
            Opcode.DECOMPRESS.check(src, srcBytes, dstBytes, slot, streams, elemBits, level);
        }

        @Override
        public Opcode opcode() {
            return Opcode.DECOMPRESS;
        }

        @Override
        public long[] fieldValues() {
            return new long[] {src, srcBytes, dstBytes, slot, streams, elemBits, level};
        }
    }

    /**
     * COMPRESS: take raw bytes from the processor, encode them with a loaded table and write the result to DRAM.
     * The compressed length is not known in advance: when the command completes, performance counter
     * {@link #LENGTH_COUNTER} holds the bytes it wrote to DRAM (read it with a {@link Fence} then a
     * {@link ReadCounter}). The driver reserves room for the worst case at {@code dst}.
     *
     * @param dst      DRAM byte address to write the compressed data to, 48 bits, a multiple of 32
     * @param srcBytes raw bytes to take from the processor, 1..2^24
     * @param slot     table slot to encode with, 0..255
     * @param streams  independent compressed streams to split the data into, encoded in parallel, 1..64
     * @param elemBits width of one element in bits, 1..8, whatever the level drops
     * @param level    the compression level to code the data at, 1..7 (see {@link CompressionLevel}; never bypass,
     *                 which is a {@link Copy}): 1 lossless, 2..4 lossy (1..3 low bits of each element dropped before
     *                 Huffman coding), 5..7 learned
     */
    record Compress(long dst, int srcBytes, int slot, int streams, int elemBits, int level) implements Instruction {
        /** The performance counter that holds the compressed length, in bytes, of the last completed COMPRESS. */
        public static final int LENGTH_COUNTER = 0;

        public Compress {
            Opcode.COMPRESS.check(dst, srcBytes, slot, streams, elemBits, level);
        }

        @Override
        public Opcode opcode() {
            return Opcode.COMPRESS;
        }

        @Override
        public long[] fieldValues() {
            return new long[] {dst, srcBytes, slot, streams, elemBits, level};
        }
    }

    /**
     * COPY: move bytes between DRAM and the processor without compression (bypass).
     *
     * @param direction {@link Direction#READ} from DRAM to the processor, {@link Direction#WRITE} from the processor
     *                  to DRAM
     * @param addr      DRAM byte address, 48 bits, a multiple of 32
     * @param bytes     bytes to move, 1..2^24
     */
    record Copy(Direction direction, long addr, int bytes) implements Instruction {
        public Copy {
            if (direction == null) {
                throw new IsaException("COPY: field direction is missing");
            }
            Opcode.COPY.check(direction.code(), addr, bytes);
        }

        @Override
        public Opcode opcode() {
            return Opcode.COPY;
        }

        @Override
        public long[] fieldValues() {
            return new long[] {direction.code(), addr, bytes};
        }
    }

    /** FENCE: start no later command until every earlier command has completed, its DRAM writes included. */
    record Fence() implements Instruction {
        @Override
        public Opcode opcode() {
            return Opcode.FENCE;
        }

        @Override
        public long[] fieldValues() {
            return new long[0];
        }
    }

    /**
     * READ_COUNTER: put the current value of a performance counter into the response queue.
     *
     * @param id counter number, 0..255; {@link Compress#LENGTH_COUNTER} (0) is the length of the last COMPRESS,
     *           the others are defined by the NCC implementation
     */
    record ReadCounter(int id) implements Instruction {
        public ReadCounter {
            Opcode.READ_COUNTER.check(id);
        }

        @Override
        public Opcode opcode() {
            return Opcode.READ_COUNTER;
        }

        @Override
        public long[] fieldValues() {
            return new long[] {id};
        }
    }
}
