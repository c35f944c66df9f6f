package io.nccsim.codec.learned;

import io.nccsim.codec.learned.BlockCodecConfig.Variant;
import io.nccsim.common.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The codec profile file, and the level family that makes it. */
class CodecProfileTest {
    @TempDir
    Path dir;

    private static CodecProfile handMade() {
        return new CodecProfile("synthetic Laplace blocks, seed 2", List.of(
                new CodecProfile.Level("near-lossless", Variant.LINEAR, 16, 16, 0, 0.03, 8.25, 7.1, 2305,
                        1.1230215273581586E-7, 38.55467265455605, 16.0, 16.0, 548),
                new CodecProfile.Level("aggressive", Variant.MLP, 16, 4, 8, 0.6, 1.0 / 3, 0.3, 96, 4.1e-4,
                        2.88, 6.0, 10.0, 244)));
    }

    @Test
    void profileJsonRoundTripsExactly() throws IOException {
        CodecProfile p = handMade();
        assertEquals(p, CodecProfile.parse(p.toJson(), "profile.json"));
        Path file = dir.resolve("levels.json");
        p.write(file);
        assertEquals(p, CodecProfile.read(file));
        String json = Files.readString(file);
        assertTrue(json.contains("\"format\" : \"nccsim-codec-profile\""), json);
        assertTrue(json.contains("\"bits_per_value\" : 8.25"), json);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void malformedProfilesAreRefusedInOneLineNamingFileAndField() throws IOException {
        String good = handMade().toJson();
        assertRefused(good.replace("\"bits_per_value\" : 8.25,\n", ""), "levels[0]", "bits_per_value");
        assertRefused(good.replace("\"latent_size\" : 4", "\"latent_size\" : \"four\""), "levels[1].latent_size",
                "four");
        assertRefused(good.replace("\"latent_size\" : 4", "\"latent_size\" : 40"), "levels[1].latent_size",
                "from 1 to 16");
        assertRefused(good.replace("\"variant\" : \"mlp\"", "\"variant\" : \"cnn\""), "levels[1].variant",
                "linear, mlp");
        assertRefused(good.replace("\"sqnr_db\" : 2.88", "\"sqnr_db\" : 2.88, \"sqnr\" : 3"), "levels[1]",
                "unknown key");
        assertRefused(good.replace("nccsim-codec-profile", "something-else"), "format", "not a codec profile");
        assertRefused(good.substring(0, good.length() / 2), "", "not valid JSON");
        assertRefused("{\"format\": \"nccsim-codec-profile\", \"version\": 1, \"provenance\": \"x\", \"levels\": []}",
                "levels", "at least one level");
        assertRefused("[1, 2]", "", "JSON object");
        BadInputException missing = assertThrows(BadInputException.class,
                () -> CodecProfile.read(dir.resolve("absent.json")));
        assertTrue(missing.getMessage().contains("absent.json"), missing.getMessage());
    }

    private void assertRefused(String json, String field, String detail) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, json);
        BadInputException e = assertThrows(BadInputException.class, () -> CodecProfile.read(file));
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString()), m);
        assertTrue(m.contains(field), "names " + field + ": " + m);
        assertTrue(m.contains(detail), "says " + detail + ": " + m);
        assertFalse(m.contains("\n"), "one line: " + m);
    }

    @Test
    void aLevelFamilyRunsFromNearLosslessToAggressive() {
        double[][] train = SyntheticBlocks.laplace(1500, 8, 0.02, 4);
        double[][] eval = SyntheticBlocks.laplace(500, 8, 0.02, 5);
        List<String> lines = new ArrayList<>();
        LevelFamily.Result r = LevelFamily.train(LevelFamily.defaultLevels(8, 1), train, eval, null,
                "synthetic Laplace, 8 values a block", lines::add);
        List<CodecProfile.Level> levels = r.profile().levels();
        assertEquals(List.of("near-lossless", "high", "medium", "aggressive"),
                levels.stream().map(CodecProfile.Level::name).toList());
        for (int i = 1; i < levels.size(); i++) {
            assertTrue(levels.get(i).bitsPerValue() < levels.get(i - 1).bitsPerValue(), "bits fall at " + i);
            assertTrue(levels.get(i).sqnrDb() < levels.get(i - 1).sqnrDb(), "SQNR falls at " + i);
        }
        assertTrue(levels.get(0).sqnrDb() > 30, "near-lossless SQNR " + levels.get(0).sqnrDb());
        for (int i = 0; i < levels.size(); i++) {
            CodecProfile.Level l = levels.get(i);
            LevelFamily.TrainedLevel t = r.levels().get(i);
            assertEquals(t.evaluation().bitsPerValueWithTables(), l.bitsPerValue(), 0.0);
            assertEquals(t.codec().decoderParameterBytes(), l.decoderParameterBytes());
            assertTrue(l.bitsPerValue() > l.bitsPerValueIdeal(), l.name());
        }
        assertTrue(lines.stream().anyMatch(s -> s.startsWith("level aggressive: ")), "a summary line per level");
        assertTrue(lines.stream().anyMatch(s -> s.contains("epoch 1/")), "epoch lines");
        assertEquals(r.profile(), CodecProfile.parse(r.profile().toJson(), "family.json"));
    }

    @Test
    void candidatesOfALevelMustShareTheirLambdas() {
        BadInputException e = assertThrows(BadInputException.class, () -> new LevelFamily.LevelSpec("x",
                List.of(BlockCodecConfig.linear(8, 8, 0.1, 1e-3), BlockCodecConfig.linear(8, 4, 0.1, 1e-2))));
        assertTrue(e.getMessage().contains("same lambdaRate"), e.getMessage());
    }
}
