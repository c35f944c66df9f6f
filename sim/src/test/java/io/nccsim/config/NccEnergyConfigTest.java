package io.nccsim.config;

import io.nccsim.testutil.ProjectFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.nccsim.config.TestFiles.failure;
import static org.junit.jupiter.api.Assertions.*;

/** The NCC energy and area section: the shipped node files, and one-line errors that name the key. */
class NccEnergyConfigTest {

    private static EnergyConfig.Ncc shipped(String file) {
        ConfigReader r = ConfigReader.root(ConfigLoader.load(ProjectFiles.resolve("configs/energy/" + file)));
        EnergyConfig.Ncc n = EnergyConfig.Ncc.read(r);
        r.finish();
        return n;
    }

    private static String boardFailure(String set) {
        String msg = failure(() -> SimConfig.load(ProjectFiles.resolve("configs/jetson_nano.yaml"), List.of(set)));
        assertFalse(msg.contains("\n"), "one line: " + msg);
        return msg;
    }

    @Test
    void nodeFilesReuseTheReferenceValuesAndChangeOnlyTheNode() {
        EnergyConfig.Ncc at28 = shipped("ncc_28nm.yaml");
        EnergyConfig.Ncc at16 = shipped("ncc_16nm.yaml");
        EnergyConfig.Ncc at7 = shipped("ncc_7nm.yaml");
        assertEquals(28, at28.nodeNm());
        assertEquals(16, at16.nodeNm());
        assertEquals(7, at7.nodeNm());
        assertEquals(new EnergyConfig.Ncc(16, at28.referenceNodeNm(), at28.commandPj(), at28.dmaPjPerByte(),
                at28.symbolDecodePj(), at28.tableLookupPj(), at28.symbolEncodePj(), at28.sramReadPjPerBit(),
                at28.sramWritePjPerBit(), at28.macPj(), at28.leakageWPerMm2(), at28.area()), at16);
        assertEquals(1.0, at28.energyScale());
        assertEquals(0.383, at16.energyScale(), 5e-4, "as ncc_16nm.yaml says");
        assertEquals(0.516, at16.areaScale(), 5e-4);
        assertEquals(0.132, at7.energyScale(), 5e-4, "as ncc_7nm.yaml says");
        assertEquals(0.160, at7.areaScale(), 5e-4);
    }

    @Test
    void referenceValuesAreReadInTheModelsUnits() {
        EnergyConfig.Ncc n = shipped("ncc_28nm.yaml");
        assertEquals(1.0, n.dmaPjPerByte(), 1e-12, "1 pJ/B");
        assertEquals(0.035, n.sramReadPjPerBit(), 1e-12);
        assertEquals(0.010, n.leakageWPerMm2(), 1e-15, "10 mW per mm2");
        assertEquals(0.25, n.area().sramUm2PerBit(), 1e-12, "um2");
        assertEquals(154, n.area().macUm2(), 1e-9, "um2");
        assertEquals(0.003, n.area().decoderLaneMm2(), 1e-15, "mm2");
    }

    @Test
    void nodeOutsideTheScalingTableNamesTheKey() {
        String msg = boardFailure("energy.ncc.node_nm=5");
        assertEquals("--set energy.ncc.node_nm=5:1:1: energy.ncc.node_nm: 5 nm is outside the technology scaling"
                + " table (7 to 180 nm; tabulated: 180, 130, 90, 65, 45, 32, 20, 16, 14, 10, 7); choose a node in"
                + " that range", msg);
        assertTrue(boardFailure("energy.ncc.reference_node_nm=250").contains("energy.ncc.reference_node_nm: 250 nm"));
        assertTrue(boardFailure("energy.ncc.node_nm=28.5").contains("energy.ncc.node_nm: expected an integer"));
    }

    @Test
    void negativeEnergyOrAreaNamesTheKey() {
        assertEquals("--set energy.ncc.symbol_decode=-1 pJ:1:1: energy.ncc.symbol_decode: expected an energy of at"
                + " least 0 pJ, got '-1 pJ'", boardFailure("energy.ncc.symbol_decode=-1 pJ"));
        assertTrue(boardFailure("energy.ncc.sram_write=-0.1 pJ/bit").contains("energy.ncc.sram_write: expected"));
        assertTrue(boardFailure("energy.ncc.area.sram_bit=-0.2 um2").contains("energy.ncc.area.sram_bit: expected"));
        assertTrue(boardFailure("energy.ncc.leakage_per_mm2=-1 mW").contains("energy.ncc.leakage_per_mm2: expected"));
    }

    @Test
    void missingKeyNamesItWithAnExample(@TempDir Path dir) {
        Path f = TestFiles.write(dir, "ncc.yaml", "node_nm: 28", "reference_node_nm: 28");
        String msg = failure(() -> EnergyConfig.Ncc.read(ConfigReader.root(ConfigLoader.load(f))));
        assertTrue(msg.startsWith(f + ":1:1: missing required key '"), msg);
    }

    @Test
    void recordsBuiltInCodeAreCheckedToo() {
        EnergyConfig.Ncc.Area area = new EnergyConfig.Ncc.Area(0.25, 0.003, 0.003, 154, 0.0055, 0.009);
        assertThrows(IllegalArgumentException.class, () -> new EnergyConfig.Ncc(5, 28, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                area));
        assertThrows(IllegalArgumentException.class, () -> new EnergyConfig.Ncc(28, 28, -1, 1, 1, 1, 1, 1, 1, 1, 1,
                area));
        assertThrows(IllegalArgumentException.class, () -> new EnergyConfig.Ncc.Area(0.25, -1, 0, 0, 0, 0));
    }
}
