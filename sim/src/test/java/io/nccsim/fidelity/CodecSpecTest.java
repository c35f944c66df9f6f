package io.nccsim.fidelity;

import io.nccsim.capture.KvPrecision;
import io.nccsim.codec.WeightQuant;
import io.nccsim.common.BadInputException;
import io.nccsim.trace.ElementType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The codec-setting grammar: what each spelling means, its canonical form, and one-line errors for bad ones. */
class CodecSpecTest {

    @Test
    void aQuantizedSettingWithOptionsCarriesEachPart() {
        CodecSpec s = CodecSpec.parse("int4-g32-sym,kv=int8,prune=0.2", "--codec");
        assertEquals(ElementType.INT4, s.weights().type());
        assertEquals(32, s.weights().groupSize());
        assertEquals(WeightQuant.Symmetry.SYMMETRIC, s.weights().symmetry());
        assertEquals(KvPrecision.INT8, s.kv());
        assertEquals(0.2, s.pruneFraction());
        assertFalse(s.huffman());
        assertFalse(s.lossless());
        assertEquals("int4-g32-sym,kv=int8,prune=0.2", s.id());
    }

    @Test
    void huffmanFollowsTheFormatAndOptionsComeInAnyOrder() {
        CodecSpec s = CodecSpec.parse("int4-g32-auto+huffman,prune=0.3,kv=fp16", "--codec");
        assertTrue(s.huffman());
        assertTrue(s.weights().auto());
        assertEquals(KvPrecision.FP16, s.kv());
        assertEquals(0.3, s.pruneFraction());
        assertEquals("int4-g32-auto+huffman,kv=fp16,prune=0.3", s.id(), "canonical order: kv before prune");
    }

    @Test
    void caseDoesNotMatterAndALeftOutSymmetryIsSymmetric() {
        assertEquals("int8-channel-sym", CodecSpec.parse("INT8-Channel", "--codec").id());
        assertEquals("bf16", CodecSpec.parse("BF16", "--codec").id());
        assertEquals(ElementType.FP16, CodecSpec.parse("fp16", "--codec").weights().type());
    }

    @Test
    void losslessIsFp32WeightsAndKvAndNothingElse() {
        CodecSpec s = CodecSpec.parse("lossless", "--codec");
        assertTrue(s.lossless());
        assertEquals(ElementType.FP32, s.weights().type());
        assertEquals(KvPrecision.FP32, s.kv());
        assertFalse(s.huffman());
        assertEquals(0.0, s.pruneFraction());
        assertEquals("lossless", s.id());
        assertEquals(s, CodecSpec.losslessSpec());
        CodecSpec fp32 = CodecSpec.parse("fp32,kv=int8", "--codec");
        assertFalse(fp32.lossless(), "fp32 weights with an int8 cache is not lossless");
        assertEquals("fp32,kv=int8", fp32.id());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "'';empty codec setting",
        "int5-g32;is not a weight format",
        "int4-g7-sym;group size 7",
        "lossless,kv=int8;takes no options",
        "bf16+huffman;'+huffman' codes quantized symbols",
        "fp16,prune=0.1;'prune=' is done by the quantizer",
        "int4-g32-sym+gzip;optionally followed by +huffman",
        "int4-g32-sym,kv=int4;kv='int4': expected fp32, fp16 or int8",
        "int4-g32-sym,prune=1;prune='1': expected a fraction 0 <= f < 1",
        "int4-g32-sym,prune=NaN;prune='nan': expected a fraction",
        "int4-g32-sym,prune=-0.1;prune='-0.1': expected a fraction",
        "int4-g32-sym,prune=;prune='': expected a fraction",
        "int4-g32-sym,kv=int8,kv=fp16;option 'kv' is given twice",
        "int4-g32-sym,foo=1;option 1 'foo=1': expected kv=fp32|fp16|int8 or prune=FRACTION",
        "int4-g32-sym,;option 1 '': expected kv=",
    })
    void badSettingsAreRejectedWithOneLineNamingTheOptionAndTheSetting(String spec, String expected) {
        BadInputException e = assertThrows(BadInputException.class, () -> CodecSpec.parse(spec, "--codec"));
        String m = e.getMessage();
        assertTrue(m.startsWith("--codec '" + spec + "': "), m);
        assertTrue(m.contains(expected), m);
        assertFalse(m.contains("\n"), "one line: " + m);
    }
}
