package io.nccsim.isa;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the assembly text: one instruction per line, the mnemonic then every field as {@code name=value}, in any
 * order, e.g.
 *
 * <pre>
 * config data_class=weights level=1
 * load_table slot=3 src=0x10000 bytes=256 alphabet_bits=4
 * decompress src=0x1000 src_bytes=4096 dst_bytes=8192 slot=3 streams=8 elem_bits=4 level=1   # a comment
 * </pre>
 *
 * <p>Mnemonics, field names and symbols ({@code weights}, {@code read}, ...) are case-insensitive. Numbers are
 * decimal or hex with {@code 0x}; {@code _} may separate digits. A symbolic field also takes its numeric code.
 * {@code #} starts a comment that runs to the end of the line; blank lines are ignored. Every field must be given,
 * except one with a {@link Field#textDefault() text default} (the {@code level} of DECOMPRESS and COMPRESS, 1 when
 * left out, so that text written before the field existed still assembles). {@link Disassembler} writes this text,
 * every field included.
 */
public final class Assembler {
    private static final Pattern NUMBER = Pattern.compile("0[xX][0-9a-fA-F][0-9a-fA-F_]*|[0-9][0-9_]*");

    private Assembler() {
    }

    /**
     * The instructions of a program text.
     *
     * @throws IsaException for the first bad line, e.g. {@code line 3: unknown opcode 'decomprss'}
     */
    public static List<Instruction> assemble(String source) {
        List<Instruction> program = new ArrayList<>();
        String[] lines = source.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String text = stripComment(lines[i]);
            if (text.isEmpty()) {
                continue;
            }
            try {
                program.add(parse(text));
            } catch (IsaException e) {
                throw new IsaException("line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return program;
    }

    /**
     * One instruction from one line of text (a comment allowed).
     *
     * @throws IsaException if the line holds no instruction or a bad one
     */
    public static Instruction assembleLine(String line) {
        String text = stripComment(line);
        if (text.isEmpty()) {
            throw new IsaException("no instruction in '" + line + "'");
        }
        return parse(text);
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return (hash < 0 ? line : line.substring(0, hash)).strip();
    }

    private static Instruction parse(String text) {
        String[] tokens = text.split("\\s+");
        Opcode op = Opcode.fromMnemonic(tokens[0]);
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 1; i < tokens.length; i++) {
            String token = tokens[i];
            int eq = token.indexOf('=');
            if (eq <= 0 || eq == token.length() - 1) {
                throw new IsaException(op.name() + ": expected name=value, found '" + token + "'");
            }
            String name = token.substring(0, eq).toLowerCase(Locale.ROOT);
            if (op.field(name) == null) {
                throw new IsaException(op.name() + ": unknown field '" + token.substring(0, eq) + "' (fields: "
                        + fieldNames(op) + ")");
            }
            if (given.put(name, token.substring(eq + 1)) != null) {
                throw new IsaException(op.name() + ": field '" + name + "' given twice");
            }
        }
        List<Field> fields = op.fields();
        long[] values = new long[fields.size()];
        for (int i = 0; i < values.length; i++) {
            Field f = fields.get(i);
            String value = given.get(f.name());
            if (value != null) {
                values[i] = parseValue(op, f, value);
            } else if (f.textDefault().isPresent()) {
                values[i] = f.textDefault().getAsLong();
            } else {
                throw new IsaException(op.name() + ": missing field '" + f.name() + "'");
            }
        }
        return op.instantiate(values);
    }

    private static long parseValue(Opcode op, Field f, String value) {
        if (f.kind() == Field.Kind.SYMBOL) {
            for (int code = 0; code < f.symbols().size(); code++) {
                if (f.symbols().get(code).equalsIgnoreCase(value)) {
                    return code;
                }
            }
        }
        if (NUMBER.matcher(value).matches() && !value.endsWith("_")) {
            String digits = value.replace("_", "");
            boolean hex = digits.startsWith("0x") || digits.startsWith("0X");
            try {
                return Long.parseLong(hex ? digits.substring(2) : digits, hex ? 16 : 10);
            } catch (NumberFormatException e) {
                throw new IsaException(op.name() + ": field " + f.name() + "=" + value + " out of range "
                        + f.number(f.min()) + ".." + f.number(f.max()), e);
            }
        }
        String expected = f.kind() == Field.Kind.SYMBOL
                ? String.join(", ", f.symbols())
                : f.kind() == Field.Kind.ADDRESS ? "a number, e.g. 0x1000" : "a number";
        throw new IsaException(op.name() + ": bad value '" + value + "' for field '" + f.name() + "' (expected "
                + expected + ")");
    }

    private static String fieldNames(Opcode op) {
        List<String> names = new ArrayList<>();
        for (Field f : op.fields()) {
            names.add(f.name());
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
