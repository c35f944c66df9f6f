package io.nccsim.config;

import io.nccsim.config.Units.Dimension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static io.nccsim.config.Units.Dimension.AREA;
import static io.nccsim.config.Units.Dimension.BANDWIDTH;
import static io.nccsim.config.Units.Dimension.CURRENT;
import static io.nccsim.config.Units.Dimension.DATA_RATE;
import static io.nccsim.config.Units.Dimension.ENERGY;
import static io.nccsim.config.Units.Dimension.ENERGY_PER_BIT;
import static io.nccsim.config.Units.Dimension.FREQUENCY;
import static io.nccsim.config.Units.Dimension.POWER;
import static io.nccsim.config.Units.Dimension.SIZE;
import static io.nccsim.config.Units.Dimension.TIME;
import static io.nccsim.config.Units.Dimension.VOLTAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnitsTest {

    @ParameterizedTest(name = "{0} as {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            1600 MHz    | FREQUENCY      | 1.6e9
            1.6GHz      | FREQUENCY      | 1.6e9
            921 MHz     | FREQUENCY      | 9.21e8
            100 kHz     | FREQUENCY      | 1e5
            50 Hz       | FREQUENCY      | 50
            15 ns       | TIME           | 15000
            0.625 ns    | TIME           | 625
            3.5 us      | TIME           | 3.5e6
            1 ms        | TIME           | 1e9
            100 ps      | TIME           | 100
            2 s         | TIME           | 2e12
            1e3 ps      | TIME           | 1000
            -5 ns       | TIME           | -5000
            4 KiB       | SIZE           | 4096
            64 B        | SIZE           | 64
            1 MiB       | SIZE           | 1048576
            2 GiB       | SIZE           | 2147483648
            1 KB        | SIZE           | 1000
            1 MB        | SIZE           | 1e6
            1 GB        | SIZE           | 1e9
            32 bit      | SIZE           | 4
            0.5 KiB     | SIZE           | 512
            25.6 GB/s   | BANDWIDTH      | 2.56e10
            12.8 GiB/s  | BANDWIDTH      | 13743895347.2
            100 MB/s    | BANDWIDTH      | 1e8
            8 Gbit/s    | BANDWIDTH      | 1e9
            1.1 V       | VOLTAGE        | 1.1
            600 mV      | VOLTAGE        | 0.6
            30 mA       | CURRENT        | 0.03
            1.2 A       | CURRENT        | 1.2
            500 uA      | CURRENT        | 5e-4
            13 pJ       | ENERGY         | 13
            1.5 nJ      | ENERGY         | 1500
            0.2 fJ      | ENERGY         | 2e-4
            2 uJ        | ENERGY         | 2e6
            1 mJ        | ENERGY         | 1e9
            1 J         | ENERGY         | 1e12
            13 pJ/bit   | ENERGY_PER_BIT | 13
            4 pJ/b      | ENERGY_PER_BIT | 4
            104 pJ/B    | ENERGY_PER_BIT | 13
            2 W         | POWER          | 2
            51.8 mW     | POWER          | 0.0518
            300 uW      | POWER          | 3e-4
            3200 MT/s   | DATA_RATE      | 3.2e9
            4.266 GT/s  | DATA_RATE      | 4.266e9
            0.5 mm2     | AREA           | 0.5
            0.5 mm^2    | AREA           | 0.5
            500 um2     | AREA           | 5e-4
            """)
    void parsesToBaseUnits(String text, Dimension d, double expected) {
        assertEquals(expected, Units.parse(text, d), Math.abs(expected) * 1e-12);
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            1600        | FREQUENCY | '1600' has no unit; expected a frequency with a unit, e.g. '1600 MHz'
            1e3         | TIME      | '1e3' has no unit; expected a time with a unit, e.g. '15 ns'
            15 ns       | FREQUENCY | '15 ns' is a time; expected a frequency, e.g. '1600 MHz'
            4 KiB       | BANDWIDTH | '4 KiB' is a size; expected a bandwidth, e.g. '25.6 GB/s'
            2 MW        | POWER     | '2 MW': unknown unit 'MW'; did you mean 'mW'? (units are case-sensitive); expected a power, e.g. '51.8 mW' (units: nW, uW, µW, mW, W)
            8 Mb        | SIZE      | '8 Mb': unknown unit 'Mb'; did you mean 'MB'? (units are case-sensitive); expected a size, e.g. '4 KiB' (units: bit, bits, B, KiB, KB, MiB, MB, GiB, GB, TiB, TB, kB)
            1 mhz       | FREQUENCY | '1 mhz': unknown unit 'mhz'; did you mean 'MHz'? (units are case-sensitive); expected a frequency, e.g. '1600 MHz' (units: Hz, kHz, MHz, GHz, THz)
            5 furlongs  | TIME      | '5 furlongs': unknown unit 'furlongs'; expected a time, e.g. '15 ns' (units: fs, ps, ns, us, µs, ms, s)
            fast        | FREQUENCY | expected a frequency, e.g. '1600 MHz', got 'fast'
            1.2.3 GHz   | FREQUENCY | expected a frequency, e.g. '1600 MHz', got '1.2.3 GHz'
            1 000 MHz   | FREQUENCY | expected a frequency, e.g. '1600 MHz', got '1 000 MHz'
            12 bit      | SIZE      | '12 bit' is not a whole number of bytes (1.5 B)
            """)
    void rejectsWithAShortReason(String text, Dimension d, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parse(text, d));
        assertEquals(reason, e.getMessage());
    }

    @Test
    void rejectsNothing() {
        assertEquals("expected a size, e.g. '4 KiB', got nothing",
                assertThrows(IllegalArgumentException.class, () -> Units.parse(" ", SIZE)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Units.parse(null, SIZE));
    }

    @Test
    void wholePicosecondsAndBytes() {
        assertEquals(625, Units.parseTimePs("0.625 ns"));
        assertEquals(100, Units.parseTimePs("0.1 ns"));
        assertEquals(3_500_000, Units.parseTimePs("3.5us"));
        assertEquals("'0.5 ps' is not a whole number of picoseconds (0.5)",
                assertThrows(IllegalArgumentException.class, () -> Units.parseTimePs("0.5 ps")).getMessage());
        assertEquals(4096, Units.parseBytes("4 KiB"));
        assertEquals(4, Units.parseBytes("32 bit"));
        assertEquals(1500, Units.parseBytes("1.5 KB"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Units.parseBytes("1.0001 B"))
                .getMessage().contains("not a whole number of bytes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Units.parseBytes("1e30 B"))
                .getMessage().contains("too large"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            1.6e9         | FREQUENCY      | 1.6 GHz
            921e6         | FREQUENCY      | 921 MHz
            0             | FREQUENCY      | 0 Hz
            65536         | SIZE           | 64 KiB
            2000000       | SIZE           | 2 MB
            1500          | SIZE           | 1500 B
            2147483648    | SIZE           | 2 GiB
            2.56e10       | BANDWIDTH      | 25.6 GB/s
            15000         | TIME           | 15 ns
            625           | TIME           | 625 ps
            1e9           | TIME           | 1 ms
            0.5           | TIME           | 500 fs
            -5000         | TIME           | -5 ns
            0.0518        | POWER          | 51.8 mW
            1.1           | VOLTAGE        | 1.1 V
            0.03          | CURRENT        | 30 mA
            1500          | ENERGY         | 1.5 nJ
            13            | ENERGY_PER_BIT | 13 pJ/bit
            3.2e9         | DATA_RATE      | 3.2 GT/s
            5e-4          | AREA           | 500 um2
            """)
    void formatsReadably(double value, Dimension d, String expected) {
        assertEquals(expected, Units.format(value, d));
    }

    @Test
    void formatRoundTripsThroughParse() {
        double[] values = {1.6e9, 921e6, 1234.5678, 0.3, 13743895347.2};
        for (Dimension d : new Dimension[] {FREQUENCY, TIME, BANDWIDTH, ENERGY, POWER, AREA, VOLTAGE,
                CURRENT, ENERGY_PER_BIT, DATA_RATE}) {
            for (double v : values) {
                assertEquals(v, Units.parse(Units.format(v, d), d), v * 1e-11, d + " " + v);
            }
        }
    }
}
