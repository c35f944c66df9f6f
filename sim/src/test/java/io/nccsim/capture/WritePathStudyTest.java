package io.nccsim.capture;

import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.testutil.TestModels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WritePathStudyTest {
    @Test
    void calibratedTablesOnRealActivationsAndKvCache() {
        ModelFile m = ModelLoaders.load(TestModels.stories260K());
        Llama2cTokenizer tok = Llama2cTokenizer.load(TestModels.stories260KTokenizer(), 512);
        String eval = WritePathStudy.EVALUATION_TEXT;
        int positions = tok.encode(eval, true, false).length;
        Map<String, byte[]> recorded = WritePathStudy.record(m, tok, eval);
        // Every position writes one key and one value vector of kv_dim (32) per layer (5).
        assertEquals((long) positions * 5 * 2 * 32, recorded.get("kv_cache").length);

        List<WritePathStudy.Row> rows = WritePathStudy.run(m, tok, WritePathStudy.CALIBRATION_TEXT, eval, 4, 12,
                4096, 1);
        assertEquals(5, rows.size());
        for (WritePathStudy.Row r : rows) {
            assertTrue(r.idealBitsPerSymbol() <= 8.0 && r.idealBitsPerSymbol() > 1, r.toString());
            if (r.tables() == 1) {
                // One table fitted to the data is the best single table: a calibrated one cannot beat it.
                assertTrue(r.cost().mismatchPercent() >= 0, r.toString());
            }
        }
        WritePathStudy.Row sameClass = rows.stream()
                .filter(r -> r.dataClass().equals("activations") && r.tables() == 1).findFirst().orElseThrow();
        WritePathStudy.Row otherClass = rows.get(rows.size() - 1);
        assertEquals(WritePathStudy.MISMATCHED, otherClass.dataClass());
        assertTrue(otherClass.cost().mismatchPercent() > sameClass.cost().mismatchPercent(),
                "a table made for other data must cost more: " + otherClass + " vs " + sameClass);
    }
}
