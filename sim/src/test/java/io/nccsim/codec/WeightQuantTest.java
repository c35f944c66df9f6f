package io.nccsim.codec;

import io.nccsim.common.BadInputException;
import io.nccsim.trace.ElementType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightQuantTest {

    @Test
    void autoIsASymmetryOfItsOwnThatResolvesToEither() {
        WeightQuant q = WeightQuant.parse("int4-g128-auto", "--weights");
        assertEquals(ElementType.INT4, q.type());
        assertEquals(128, q.groupSize());
        assertEquals(WeightQuant.Symmetry.AUTO, q.symmetry());
        assertTrue(q.auto());
        assertFalse(q.symmetric());
        assertEquals("int4-g128-auto", q.id());
        assertEquals("int4-g128-sym", q.resolved(true).id());
        assertEquals("int4-g128-asym", q.resolved(false).id());
        assertEquals(q, WeightQuant.parse(q.id(), "w"));
    }

    @Test
    void autoIsSizedAsAsymmetricUntilResolved() {
        WeightQuant auto = WeightQuant.parse("int8-channel-auto", "w");
        assertEquals(WeightQuant.parse("int8-channel-asym", "w").metadataBytes(300, 64), auto.metadataBytes(300, 64));
        assertEquals(300 * 2 * 2, auto.metadataBytes(300, 64));
    }

    @Test
    void existingSpellingsKeepTheirMeaning() {
        assertEquals(new WeightQuant(ElementType.INT8, WeightQuant.PER_CHANNEL, true),
                WeightQuant.parse("INT8-channel", "w"));
        WeightQuant asym = WeightQuant.parse("int4-tensor-asym", "w");
        assertFalse(asym.symmetric());
        assertFalse(asym.auto());
        assertEquals(WeightQuant.PER_TENSOR, asym.groupSize());
        assertEquals(ElementType.INT3, WeightQuant.parse("int3-g64-sym", "w").type());
        assertEquals(ElementType.INT2, WeightQuant.parse("int2-g32", "w").type());
        assertEquals("fp16", WeightQuant.parse("fp16", "w").id());
    }

    @Test
    void raggedGroupsAreCountedPerRow() {
        WeightQuant q = WeightQuant.parse("int4-g32-sym", "w");
        assertEquals(3 * 2, q.groups(3, 40), "40 columns: one group of 32 and one of 8 per row");
        assertEquals(3 * 2 * 2, q.metadataBytes(3, 40));
        assertEquals(1, WeightQuant.parse("int4-tensor-sym", "w").groups(3, 40));
        assertEquals(3, WeightQuant.parse("int4-channel-sym", "w").groups(3, 40));
    }

    @Test
    void badSpecsNameThePlaceAndTheSpec() {
        for (String bad : new String[]{"int4-g128-maybe", "int5-g128-sym", "int4-g7-sym", "int3-g12-sym", "int4",
                "int4-auto", "fp8"}) {
            BadInputException e = assertThrows(BadInputException.class, () -> WeightQuant.parse(bad, "--weights"),
                    bad);
            assertTrue(e.getMessage().startsWith("--weights: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void aQuantizedTensorNeedsADecidedSymmetry() {
        WeightQuant auto = WeightQuant.parse("int8-channel-auto", "w");
        assertThrows(IllegalArgumentException.class,
                () -> new QuantizedTensor(1, 2, auto, new byte[2], new float[1], new int[1]));
        assertThrows(IllegalArgumentException.class,
                () -> new QuantizedTensor(1, 2, auto, new byte[2], new float[1], null));
    }
}
