package io.nccsim.isa;

/** The numeric limits of the instruction set, shared by the field definitions, the documentation and the tests. */
public final class Limits {
    /** DRAM byte addresses are this many bits wide: 256 TiB, far beyond any LPDDR5 capacity. */
    public static final int ADDRESS_BITS = 48;
    /** Every DRAM address is a multiple of this many bytes: one LPDDR4 burst (BL16 x 16 bit). */
    public static final int DRAM_ALIGNMENT = 32;
    /** The highest DRAM address a command may name: the last aligned address below {@code 2^48}. */
    public static final long MAX_ADDRESS = (1L << ADDRESS_BITS) - DRAM_ALIGNMENT;
    /** Largest byte count of one DECOMPRESS, COMPRESS or COPY transfer: 16 MiB. */
    public static final int MAX_TRANSFER_BYTES = 1 << 24;
    /** Largest byte length of a Huffman table loaded by LOAD_TABLE: 1 MiB. */
    public static final int MAX_TABLE_BYTES = 1 << 20;
    /** Number of Huffman table slots in the table SRAM, numbered from 0. */
    public static final int TABLE_SLOTS = 256;
    /** Most parallel streams a DECOMPRESS or COMPRESS may split its data into. */
    public static final int MAX_STREAMS = 64;
    /** Widest symbol (element) the Huffman path codes, in bits: alphabets of up to 256 symbols. */
    public static final int MAX_SYMBOL_BITS = 8;
    /** Number of performance counters, numbered from 0. */
    public static final int COUNTERS = 256;
    /** Highest compression level a {@code level} field can name (3 bits); see {@link CompressionLevel}. */
    public static final int MAX_LEVEL = 7;

    private Limits() {
    }
}
