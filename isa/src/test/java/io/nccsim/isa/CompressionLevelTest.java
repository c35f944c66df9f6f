package io.nccsim.isa;

import static io.nccsim.isa.EncodingTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CompressionLevelTest {

    @Test
    void levelsAreNumberedAsTheReadmeSays() {
        assertEquals(0, CompressionLevel.BYPASS);
        assertEquals(1, CompressionLevel.LOSSLESS);
        assertEquals(Instruction.Config.BYPASS, CompressionLevel.BYPASS);
        assertEquals(Instruction.Config.LOSSLESS, CompressionLevel.LOSSLESS);
        for (int level = 0; level <= CompressionLevel.MAX; level++) {
            assertEquals(level >= 2 && level <= 4, CompressionLevel.isLossy(level), "lossy " + level);
            assertEquals(level >= 5, CompressionLevel.isLearned(level), "learned " + level);
        }
        assertFalse(CompressionLevel.isLearned(8));
        // The level fields can hold every level: CONFIG's bypass too, DECOMPRESS's and COMPRESS's from lossless on.
        assertEquals(CompressionLevel.MAX, Opcode.CONFIG.field("level").max());
        assertEquals(CompressionLevel.BYPASS, Opcode.CONFIG.field("level").min());
        for (Opcode op : new Opcode[] {Opcode.DECOMPRESS, Opcode.COMPRESS}) {
            assertEquals(CompressionLevel.LOSSLESS, op.field("level").min(), op.toString());
            assertEquals(CompressionLevel.MAX, op.field("level").max(), op.toString());
            assertEquals(125, op.field("level").lsb(), op.toString());
        }
    }

    @Test
    void lossyLevelsDropOneToThreeLowBits() {
        assertEquals(0, CompressionLevel.droppedBits(1));
        assertEquals(1, CompressionLevel.droppedBits(2));
        assertEquals(2, CompressionLevel.droppedBits(3));
        assertEquals(3, CompressionLevel.droppedBits(4));
        assertEquals(0b1011, CompressionLevel.codedSymbol(0b1011, 1));
        assertEquals(0b101, CompressionLevel.codedSymbol(0b1011, 2));
        assertEquals(0b10, CompressionLevel.codedSymbol(0b1011, 3));
        assertEquals(0b1, CompressionLevel.codedSymbol(0b1011, 4));
    }

    @Test
    void theDecoderRestoresTheMidpointOfTheDroppedRange() {
        assertEquals(11, CompressionLevel.restoredElement(11, 1), "lossless: the element itself");
        // level 2: elements 10 and 11 share symbol 5; their midpoint 10.5 rounds up to 11
        assertEquals(11, CompressionLevel.restoredElement(5, 2));
        // level 3: 8..11 share symbol 2; midpoint 9.5 -> 10
        assertEquals(10, CompressionLevel.restoredElement(2, 3));
        // level 4: 8..15 share symbol 1; midpoint 11.5 -> 12
        assertEquals(12, CompressionLevel.restoredElement(1, 4));
        // int4 at level 4: the top symbol 1 (elements 8..15) restores to 12, within the 4-bit width
        assertEquals(4, CompressionLevel.restoredElement(0, 4));
        // Restoring never moves an element by more than half its range (rounded up).
        for (int level = 1; level <= CompressionLevel.MAX_LOSSY; level++) {
            int d = CompressionLevel.droppedBits(level);
            for (int element = 0; element < 256; element++) {
                int restored = CompressionLevel.restoredElement(CompressionLevel.codedSymbol(element, level), level);
                assertTrue(Math.abs(restored - element) <= (d == 0 ? 0 : 1 << (d - 1)), level + ": " + element);
                assertTrue(restored < 256, "stays within 8 bits");
            }
        }
    }

    @Test
    void onlyHuffmanCodedLevelsDropBits() {
        assertMessage("level 0 is not a Huffman-coded level (1..4)", () -> CompressionLevel.droppedBits(0));
        assertMessage("level 5 is not a Huffman-coded level (1..4)", () -> CompressionLevel.restoredElement(1, 5));
        assertMessage("level 7 is not a Huffman-coded level (1..4)", () -> CompressionLevel.codedSymbol(1, 7));
    }
}
