package io.nccsim.codec;

import io.nccsim.codec.ExponentCoding.ExponentCodedSize;
import io.nccsim.codec.ExponentCoding.ExponentHistogram;
import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.model.TensorData;
import io.nccsim.testutil.TestModels;
import io.nccsim.trace.ElementType;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExponentCodingTest {
    /** Four values in [1,2), two in [2,4), two in [0.5,1): three exponents with counts 4, 2, 2. */
    private static final float[] THREE_BINADES = {1.0f, 1.25f, 1.5f, 1.75f, 2.0f, 3.0f, 0.5f, 0.75f};

    @Test
    void bf16AccountingByHand() {
        ExponentCodedSize s = ExponentCoding.size(
                ExponentCoding.histogram("t", THREE_BINADES, ElementType.BF16), 12);
        // Huffman lengths 1, 2, 2 for counts 4, 2, 2: 4*1 + 2*2 + 2*2 = 12 exponent bits.
        assertEquals(12, s.exponentCodeBits());
        assertEquals(8 * 8, s.signMantissaBits(), "1 sign + 7 mantissa bits each");
        assertEquals(256 * 4, s.tableBits(), "256 exponent values, a 4-bit length each (limit 12)");
        assertEquals(12 + 64 + 1024, s.totalBits());
        assertEquals((12 + 64 + 1024) / 8.0, s.bitsPerWeight(), 0.0);
        assertEquals(3, s.distinctExponents());
        assertEquals(1.5, s.exponentEntropyBits(), 1e-12, "-(1/2 log 1/2 + 2 * 1/4 log 1/4)");
    }

    @Test
    void fp16AccountingByHand() {
        ExponentCodedSize s = ExponentCoding.size(
                ExponentCoding.histogram("t", THREE_BINADES, ElementType.FP16), 12);
        assertEquals(12, s.exponentCodeBits());
        assertEquals(8 * 11, s.signMantissaBits(), "1 sign + 10 mantissa bits each");
        assertEquals(32 * 4, s.tableBits());
        assertEquals(12 + 88 + 128, s.totalBits());
    }

    @Test
    void exponentsAreThoseOfTheRoundedValue() {
        // 2 - 2^-11 lies halfway between fp16's largest value below 2 (odd mantissa) and 2: it is stored as 2.0,
        // whose exponent field is 1 + 15 = 16, not 15.
        long[] counts = ExponentCoding.histogram("t", new float[]{2f - 0x1p-11f}, ElementType.FP16).counts();
        assertEquals(1, counts[16]);
        assertEquals(0, counts[15]);
        // In bf16 (7 mantissa bits) 2 - 2^-8 is halfway between 2 - 2^-7 (odd mantissa) and 2: stored as 2.0;
        // 2 - 3 * 2^-9 lies just below that midpoint and keeps exponent 127.
        long[] b = ExponentCoding.histogram("t", new float[]{2f - 0x1p-8f, 2f - 0x3p-9f}, ElementType.BF16)
                .counts();
        assertEquals(1, b[128], "2 - 2^-8 rounds up to 2.0");
        assertEquals(1, b[127], "2 - 3 * 2^-9 rounds down to 2 - 2^-7");
    }

    @Test
    void histogramsAddAndAnEmptyOneCostsNothing() {
        ExponentHistogram a = ExponentCoding.histogram("a", new float[]{1f, 2f}, ElementType.BF16);
        ExponentHistogram b = ExponentCoding.histogram("b", new float[]{1f, 4f}, ElementType.BF16);
        ExponentHistogram sum = ExponentHistogram.empty(ElementType.BF16).plus(a).plus(b);
        assertEquals(4, sum.weights());
        assertEquals(2, sum.counts()[127]);
        assertEquals(0, ExponentCoding.size(ExponentHistogram.empty(ElementType.FP16), 12).totalBits());
        assertThrows(IllegalArgumentException.class,
                () -> a.plus(ExponentHistogram.empty(ElementType.FP16)));
    }

    @Test
    void fp16OverflowIsRejectedNamingTheTensor() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ExponentCoding.histogram("layers.0.w1", new float[]{1f, 70000f}, ElementType.FP16));
        assertTrue(e.getMessage().contains("layers.0.w1") && e.getMessage().contains("element 1"),
                e.getMessage());
        // bf16 has fp32's exponent range: the same value is fine there.
        assertEquals(2, ExponentCoding.histogram("t", new float[]{1f, 70000f}, ElementType.BF16).weights());
    }

    @Test
    void stories260KExponentCodingIsWithinItsFirstPrinciplesBounds() {
        ModelFile m = ModelLoaders.load(TestModels.stories260K());
        for (ElementType format : new ElementType[]{ElementType.BF16, ElementType.FP16}) {
            ExponentHistogram all = ExponentHistogram.empty(format);
            for (TensorData t : m.tensors()) {
                all = all.plus(ExponentCoding.histogram(t.name(), t.values(), format));
            }
            ExponentCodedSize s = ExponentCoding.size(all, 12);
            int rawBits = format == ElementType.BF16 ? 8 : 11;
            assertEquals(m.parameters(), s.weights());
            assertEquals(s.weights() * rawBits, s.signMantissaBits());
            assertEquals(s.signMantissaBits() + s.exponentCodeBits() + s.tableBits(), s.totalBits());
            // Independent recount of the coded exponent bits from the histogram and the code's lengths.
            HuffmanCode code = HuffmanCode.build(all.counts(), 12);
            long bits = 0;
            for (int e = 0; e < all.counts().length; e++) {
                bits += all.counts()[e] * code.length(e);
            }
            assertEquals(bits, s.exponentCodeBits());
            // No prefix code beats the entropy; an optimal one is never worse than fixed-length codes.
            double h = s.exponentEntropyBits();
            int fixed = 32 - Integer.numberOfLeadingZeros(s.distinctExponents() - 1);
            assertTrue(s.exponentBitsPerWeight() >= h - 1e-12, format + ": " + s.exponentBitsPerWeight() + " < " + h);
            assertTrue(s.exponentBitsPerWeight() <= fixed, format + ": worse than " + fixed + "-bit fixed codes");
            assertTrue(s.bitsPerWeight() > rawBits + h, format + ": total must exceed raw bits + entropy");
            assertTrue(s.bitsPerWeight() < 16, format + ": coding must beat the plain 16-bit format");
            System.out.printf(Locale.ROOT, "stories260K %s exponent coding: %d weights, %d exponents, exponent "
                            + "entropy %.3f bits, Huffman %.3f bits, total %.3f bits/weight (%.1f%% of 16)%n",
                    format.id(), s.weights(), s.distinctExponents(), h, s.exponentBitsPerWeight(),
                    s.bitsPerWeight(), 100 * s.bitsPerWeight() / 16);
        }
    }
}
