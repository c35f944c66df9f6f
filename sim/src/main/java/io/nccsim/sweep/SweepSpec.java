package io.nccsim.sweep;

import io.nccsim.common.BadInputException;
import io.nccsim.config.ConfigLoader;
import io.nccsim.config.ConfigNode;
import io.nccsim.config.ConfigReader;
import io.nccsim.config.SourceLocation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A sweep spec as written in {@code configs/sweeps/NAME.yaml}, read as strictly as a board config (unknown keys,
 * wrong types and missing values are one-line errors with file:line:column and the key):
 *
 * <pre>
 * name: lanes_tables            # required
 * base: ../rpi5.yaml            # the board config every point starts from (relative to this file), or an axis
 * traces: [../../traces/minilm.trace]   # one or more traces (relative to this file), or an axis 'trace'
 * seed: 1                       # default 1: derives the point seeds and the random axes
 * axes:                         # nested loops: the first axis is the outermost, the last varies fastest
 *   - key: ncc.decoder.lanes    # any config key, as --set names it
 *     values: [4, 8, 16]
 *   - key: ncc.tables.slots
 *     linear: {from: 1, to: 7, steps: 4, integer: true}
 *   - key: memory.data_rate
 *     log: {from: 1600, to: 6400, steps: 3, unit: MT/s}
 *   - key: ncc.buffers.input
 *     random: {from: 8, to: 64, count: 5, log: true, integer: true, unit: KiB}
 *   - zip:                      # these advance together (equal lengths): one factor of the product
 *       - {key: base, values: [../rpi4.yaml, ../rpi5.yaml]}
 *       - {key: trace, values: [../../traces/minilm.trace, ../../traces/phi3.trace]}
 * </pre>
 *
 * <p>The top-level {@code traces} list, when given, is the outermost factor. {@code base} and {@code trace} axes
 * take only {@code values} (files); their paths, like {@code base} and {@code traces}, are relative to the spec.
 *
 * @param file    the spec path as the user gave it
 * @param sha256  SHA-256 of the spec file's bytes: the sweep's identity for resume and merge
 * @param name    the sweep's name
 * @param seed    the sweep seed
 * @param base    the base config when it is not an axis, else {@code null}
 * @param factors the factors of the cartesian product, outermost first
 */
public record SweepSpec(Path file, String sha256, String name, long seed, Path base, List<Factor> factors) {
    /** The axis key that chooses the trace. */
    public static final String TRACE = "trace";
    /** The axis key that chooses the base board config. */
    public static final String BASE = "base";
    /** More points than this is almost certainly a mistake in the spec (a typo in a step count). */
    static final long MAX_POINTS = 1_000_000;

    public SweepSpec {
        factors = List.copyOf(factors);
    }

    /**
     * One axis.
     *
     * @param key     a config key ({@code ncc.decoder.lanes}), {@link #BASE} or {@link #TRACE}
     * @param written the values as written in the spec (paths relative to the spec): what point ids hash
     * @param values  the values as run: {@code --set} text, or for base and trace the paths resolved against the
     *                spec's directory
     */
    public record Axis(String key, List<String> written, List<String> values) {
        public Axis {
            written = List.copyOf(written);
            values = List.copyOf(values);
        }

        public int size() {
            return values.size();
        }
    }

    /** Axes that advance together (one axis, or a zip group); one factor of the cartesian product. */
    public record Factor(List<Axis> axes) {
        public Factor {
            axes = List.copyOf(axes);
        }

        public int size() {
            return axes.get(0).size();
        }
    }

    /** Reads and checks a spec; base and trace files must exist (their content is checked by the plan). */
    public static SweepSpec load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("--spec " + file + ": no such sweep spec (looked in " + file.toAbsolutePath()
                    + ")");
        }
        String sha;
        try {
            sha = Hashes.hex(Hashes.sha256(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the sweep spec: " + e.getMessage(), e);
        }
        ConfigReader r = ConfigReader.root(ConfigLoader.load(file));
        Path dir = file.getParent();
        String name = r.example("name", "lanes_tables").string("name").strip();
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new BadInputException(r.raw("name").location() + ": name: expected letters, digits, '_', '-' or "
                    + "'.' (it names output folders), got '" + name + "'");
        }
        long seed = r.longValue("seed", 0, Long.MAX_VALUE, 1);
        List<Factor> factors = new ArrayList<>();
        Path base = null;
        if (r.has(BASE)) {
            ConfigNode b = r.raw(BASE);
            String written = r.string(BASE);
            base = resolve(dir, written, b.location(), BASE);
            requireFile(base, b.location(), BASE, "no such config file");
        }
        boolean topTraces = r.has("traces");
        if (topTraces) {
            factors.add(new Factor(List.of(fileAxis(TRACE, r, "traces", dir, "no such trace file"))));
        }
        for (ConfigReader item : r.optionalSectionList("axes")) {
            if (item.has("zip")) {
                List<Axis> zipped = new ArrayList<>();
                List<ConfigReader> members = item.sectionList("zip");
                if (members.isEmpty()) {
                    throw new BadInputException(item.location() + ": " + item.path() + ".zip: a zip group needs at "
                            + "least one axis");
                }
                for (ConfigReader m : members) {
                    zipped.add(axis(m, dir, seed));
                }
                for (Axis a : zipped) {
                    if (a.size() != zipped.get(0).size()) {
                        StringBuilder sizes = new StringBuilder();
                        for (Axis z : zipped) {
                            sizes.append(sizes.length() == 0 ? "" : ", ").append(z.key()).append(": ")
                                    .append(z.size()).append(z.size() == 1 ? " value" : " values");
                        }
                        throw new BadInputException(item.location() + ": " + item.path() + ".zip: zipped axes "
                                + "advance together, so they need the same number of values; got " + sizes);
                    }
                }
                factors.add(new Factor(zipped));
            } else {
                factors.add(new Factor(List.of(axis(item, dir, seed))));
            }
        }
        r.finish();

        Set<String> keys = new HashSet<>();
        for (Factor f : factors) {
            for (Axis a : f.axes()) {
                if (!keys.add(a.key())) {
                    throw new BadInputException(file + ": axis '" + a.key() + "' is given twice"
                            + (a.key().equals(TRACE) && topTraces ? " (the top-level 'traces' list is the trace "
                            + "axis)" : "") + "; keep one of them");
                }
            }
        }
        boolean baseAxis = keys.contains(BASE);
        boolean traceAxis = keys.contains(TRACE);
        if (base != null && baseAxis) {
            throw new BadInputException(r.raw(BASE).location() + ": base: the base config is both a single file and "
                    + "an axis; remove 'base:' or the 'base' axis");
        }
        if (base == null && !baseAxis) {
            throw new BadInputException(r.location() + ": missing required key 'base' (e.g. base: ../rpi5.yaml), "
                    + "or an axis with key: base");
        }
        if (!traceAxis) {
            throw new BadInputException(r.location() + ": missing required key 'traces' (e.g. traces: "
                    + "[../../traces/minilm.trace]), or an axis with key: trace");
        }
        long total = 1;
        for (Factor f : factors) {
            total *= f.size();
            if (total > MAX_POINTS) {
                throw new BadInputException(file + ": the axes make more than " + MAX_POINTS + " points; "
                        + "use fewer values or random sampling");
            }
        }
        return new SweepSpec(file, sha, name, seed, base, factors);
    }

    /** The axes whose values are settings of a point (every axis but the trace), in spec order. */
    public List<Axis> settingAxes() {
        List<Axis> axes = new ArrayList<>();
        for (Factor f : factors) {
            for (Axis a : f.axes()) {
                if (!a.key().equals(TRACE)) {
                    axes.add(a);
                }
            }
        }
        return axes;
    }

    private static Axis axis(ConfigReader a, Path dir, long seed) {
        String key = a.example("key", "ncc.decoder.lanes").string("key").strip();
        if (key.isEmpty()) {
            throw new BadInputException(a.raw("key").location() + ": " + a.path() + ".key: expected a config key "
                    + "such as ncc.decoder.lanes, or base, or trace");
        }
        List<String> kinds = new ArrayList<>();
        for (String k : List.of("values", "linear", "log", "random")) {
            if (a.has(k)) {
                kinds.add(k);
            }
        }
        if (kinds.size() != 1) {
            throw new BadInputException(a.location() + ": " + a.path() + ": axis '" + key + "' needs exactly one of "
                    + "values, linear, log, random" + (kinds.isEmpty() ? "" : "; got " + String.join(" and ", kinds)));
        }
        String kind = kinds.get(0);
        boolean file = key.equals(BASE) || key.equals(TRACE);
        if (file) {
            if (!kind.equals("values")) {
                throw new BadInputException(a.location() + ": " + a.path() + ": the '" + key + "' axis is a list of "
                        + "files; give it as values: [...]");
            }
            return fileAxis(key, a, "values", dir, key.equals(BASE) ? "no such config file" : "no such trace file");
        }
        if (kind.equals("values")) {
            List<String> values = new ArrayList<>();
            for (ConfigNode n : scalars(a, "values")) {
                values.add(n.scalar().strip());
            }
            return new Axis(key, values, values);
        }
        ConfigReader g = a.section(kind);
        String at = g.location() + ": " + g.path();
        double from = g.number("from", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        double to = g.number("to", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        boolean integer = g.bool("integer", false);
        String unit = g.string("unit", "").strip();
        List<String> values;
        if (kind.equals("random")) {
            int count = g.integer("count", 1, 100_000);
            boolean log = g.bool("log", false);
            if (log && !(from > 0 && to > 0)) {
                throw new BadInputException(at + ": log: true needs positive from and to, got from " + from + ", to "
                        + to);
            }
            values = AxisValues.random(seed, key, from, to, count, log, integer, unit);
        } else {
            int steps = g.integer("steps", 1, 100_000);
            if (kind.equals("log")) {
                if (!(from > 0 && to > 0)) {
                    throw new BadInputException(at + ": a log axis needs positive from and to, got from " + from
                            + ", to " + to);
                }
                values = AxisValues.log(from, to, steps, integer, unit);
            } else {
                values = AxisValues.linear(from, to, steps, integer, unit);
            }
        }
        return new Axis(key, values, values);
    }

    /** An axis of files: written as given, run as resolved against the spec's folder; each must exist. */
    private static Axis fileAxis(String key, ConfigReader r, String listKey, Path dir, String missing) {
        List<String> written = new ArrayList<>();
        List<String> resolved = new ArrayList<>();
        List<ConfigNode> items = scalars(r, listKey);
        for (int i = 0; i < items.size(); i++) {
            ConfigNode n = items.get(i);
            String w = n.scalar().strip();
            String place = (r.path().isEmpty() ? "" : r.path() + ".") + listKey + "[" + i + "]";
            Path p = resolve(dir, w, n.location(), place);
            requireFile(p, n.location(), place, missing);
            written.add(w);
            resolved.add(p.toString());
        }
        return new Axis(key, written, resolved);
    }

    /** The scalar items of a non-empty list. */
    private static List<ConfigNode> scalars(ConfigReader r, String key) {
        ConfigNode list = r.raw(key);
        String place = (r.path().isEmpty() ? "" : r.path() + ".") + key;
        if (list.isNull() || list.isList() && list.items().isEmpty()) {
            throw new BadInputException(list.location() + ": " + place + ": an axis needs at least one value");
        }
        if (!list.isList()) {
            throw new BadInputException(list.location() + ": " + place + ": expected a list ([a, b] or - item lines),"
                    + " got " + list.describe());
        }
        for (int i = 0; i < list.items().size(); i++) {
            ConfigNode item = list.items().get(i);
            if (!item.isScalar() || item.isNull() || item.scalar().isBlank()) {
                throw new BadInputException(item.location() + ": " + place + "[" + i + "]: expected a value, got "
                        + item.describe());
            }
        }
        return list.items();
    }

    private static Path resolve(Path dir, String written, SourceLocation at, String place) {
        try {
            return (dir == null ? Path.of(written) : dir.resolve(written)).normalize();
        } catch (InvalidPathException e) {
            throw new BadInputException(at + ": " + place + ": '" + written + "' is not a valid file name", e);
        }
    }

    private static void requireFile(Path p, SourceLocation at, String place, String missing) {
        if (!Files.isRegularFile(p)) {
            throw new BadInputException(at + ": " + place + ": " + missing + " '" + p + "' (paths are relative to "
                    + "the spec's folder; looked in " + p.toAbsolutePath() + ")");
        }
    }
}
