package io.nccsim.isa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The field tables of isa/README.md match the layouts in {@link Opcode}. */
class ReadmeTest {
    private static final Pattern EXAMPLE = Pattern.compile("Example: `([^`]+)` =\\s*`([0-9a-f ]+)`");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*(\\d+(?:\\.\\.\\d+)?)\\s*\\|\\s*(\\d+)\\s*\\|\\s*([a-z_]+)\\s*\\|");

    @Test
    void fieldTablesMatchTheLayouts() throws IOException {
        List<String> lines = readme();
        for (Opcode op : Opcode.values()) {
            String heading = String.format("### %s (0x%02x)", op.name(), op.code());
            int start = lines.indexOf(heading);
            assertTrue(start >= 0, "README has no section '" + heading + "'");
            List<String> documented = new ArrayList<>();
            for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
                Matcher m = ROW.matcher(lines.get(i));
                if (m.find()) {
                    documented.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
                }
            }
            assertEquals(expectedRows(op), documented, op + " table in README.md");
        }
    }

    /** Each opcode's section has an example whose text assembles to the bytes written beside it. */
    @Test
    void examplesAssembleToTheirBytes() throws IOException {
        String readme = String.join("\n", readme());
        Matcher m = EXAMPLE.matcher(readme);
        List<Opcode> seen = new ArrayList<>();
        while (m.find()) {
            Instruction i = Assembler.assembleLine(m.group(1));
            assertArrayEquals(Programs.hex(m.group(2)), Encoding.encode(i), m.group(1));
            assertEquals(m.group(1), Disassembler.format(i), "examples are in the canonical text");
            seen.add(i.opcode());
        }
        assertEquals(List.of(Opcode.values()), seen, "one example per opcode, in code order");
    }

    /** "lsb..msb width name" for the opcode byte, each field and each reserved run (split at the word boundary). */
    private static List<String> expectedRows(Opcode op) {
        List<int[]> used = new ArrayList<>();
        List<String> names = new ArrayList<>();
        used.add(new int[] {0, Opcode.OPCODE_BITS - 1});
        names.add("opcode");
        for (Field f : op.fields()) {
            used.add(new int[] {f.lsb(), f.msb()});
            names.add(f.name());
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < used.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> used.get(i)[0]));
        List<String> rows = new ArrayList<>();
        int next = 0;
        for (int i : order) {
            reserved(rows, next, used.get(i)[0] - 1);
            rows.add(row(used.get(i)[0], used.get(i)[1], names.get(i)));
            next = used.get(i)[1] + 1;
        }
        reserved(rows, next, 127);
        return rows;
    }

    private static void reserved(List<String> rows, int lo, int hi) {
        if (lo <= 63 && hi >= 64) {
            reserved(rows, lo, 63);
            reserved(rows, 64, hi);
        } else if (lo <= hi) {
            rows.add(row(lo, hi, "reserved"));
        }
    }

    private static String row(int lo, int hi, String name) {
        return (lo == hi ? Integer.toString(lo) : lo + ".." + hi) + " " + (hi - lo + 1) + " " + name;
    }

    private static List<String> readme() throws IOException {
        Path path = Path.of("README.md");
        if (!Files.exists(path)) {
            path = Path.of("isa", "README.md");
        }
        return Files.readAllLines(path, StandardCharsets.UTF_8);
    }
}
