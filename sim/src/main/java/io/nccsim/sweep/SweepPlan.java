package io.nccsim.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nccsim.common.BadInputException;
import io.nccsim.config.SimConfig;
import io.nccsim.report.Json;
import io.nccsim.trace.TraceReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The points of a sweep spec, in a fixed order: the cartesian product of the spec's factors as nested loops, the
 * first factor outermost and the last varying fastest (a zip group is one factor; the top-level {@code traces} list
 * is the first factor). The order, ids and seeds depend only on the spec's content.
 */
public final class SweepPlan {
    private final SweepSpec spec;
    private final List<SweepPoint> points;

    private SweepPlan(SweepSpec spec, List<SweepPoint> points) {
        this.spec = spec;
        this.points = List.copyOf(points);
    }

    /** A point that passed validation, with its loaded config. */
    public record Prepared(SweepPoint point, SimConfig config, String content) {
    }

    public static SweepPlan of(SweepSpec spec) {
        List<SweepSpec.Factor> factors = spec.factors();
        int total = 1;
        for (SweepSpec.Factor f : factors) {
            total *= f.size();
        }
        List<SweepPoint> points = new ArrayList<>();
        for (int index = 0; index < total; index++) {
            int[] at = new int[factors.size()];
            int rest = index;
            for (int f = factors.size() - 1; f >= 0; f--) {
                at[f] = rest % factors.get(f).size();
                rest /= factors.get(f).size();
            }
            Map<String, String> settings = new LinkedHashMap<>();
            List<String> sets = new ArrayList<>();
            Path base = spec.base();
            Path trace = null;
            StringBuilder canonical = new StringBuilder();
            for (int f = 0; f < factors.size(); f++) {
                for (SweepSpec.Axis a : factors.get(f).axes()) {
                    String value = a.values().get(at[f]);
                    canonical.append(a.key()).append('=').append(a.written().get(at[f])).append('\n');
                    switch (a.key()) {
                        case SweepSpec.TRACE -> trace = Path.of(value);
                        case SweepSpec.BASE -> {
                            base = Path.of(value);
                            settings.put(a.key(), value);
                        }
                        default -> {
                            settings.put(a.key(), value);
                            sets.add(a.key() + "=" + value);
                        }
                    }
                }
            }
            String id = String.format(Locale.ROOT, "p%04d-%s", index,
                    Hashes.hex(Hashes.sha256(canonical.toString())).substring(0, 8));
            long seed = Hashes.firstLong(Hashes.sha256(spec.seed() + "/" + id)) >>> 33;
            points.add(new SweepPoint(index, id, seed, base, trace, settings, sets));
        }
        return new SweepPlan(spec, points);
    }

    public SweepSpec spec() {
        return spec;
    }

    public List<SweepPoint> points() {
        return points;
    }

    /** The keys of the settings, in spec order: the axis columns of results.csv. */
    public List<String> axisKeys() {
        List<String> keys = new ArrayList<>();
        for (SweepSpec.Axis a : spec.settingAxes()) {
            keys.add(a.key());
        }
        return keys;
    }

    /**
     * Loads every point's config (base plus its {@code --set} overrides) and reads every trace's header, before
     * anything runs: a bad value anywhere in the sweep fails at once with the config's own one-line error, naming
     * the {@code --set} and the point.
     */
    public List<Prepared> prepare() {
        Map<Path, String> content = new HashMap<>();
        for (SweepPoint p : points) {
            content.computeIfAbsent(p.trace(), t -> {
                try (TraceReader r = TraceReader.open(t)) {
                    return r.header().provenance().kind();
                }
            });
        }
        List<Prepared> prepared = new ArrayList<>();
        for (SweepPoint p : points) {
            SimConfig config;
            try {
                config = SimConfig.load(p.base(), p.sets());
            } catch (BadInputException e) {
                throw new BadInputException(e.getMessage() + " (sweep " + spec.file() + ", point " + p.id() + ")", e);
            }
            prepared.add(new Prepared(p, config, content.get(p.trace())));
        }
        return prepared;
    }

    /**
     * The manifest written as sweep.json: {@code name}, {@code spec_sha256}, {@code seed}, {@code axes} (key and
     * values as run, spec order, the trace excluded), {@code points} (index, id, trace, seed, settings; all points,
     * even in a shard's folder), {@code tool_version}; then {@code spec_file}, {@code base} (null when an axis),
     * {@code traces} (distinct, in point order) and {@code shard} ("I/N", or null for the whole sweep).
     */
    public ObjectNode manifest(Shard shard, String toolVersion) {
        ObjectNode root = Json.object();
        root.put("name", spec.name());
        root.put("spec_sha256", spec.sha256());
        root.put("seed", spec.seed());
        ArrayNode axes = root.putArray("axes");
        for (SweepSpec.Axis a : spec.settingAxes()) {
            ObjectNode o = axes.addObject();
            o.put("key", a.key());
            ArrayNode values = o.putArray("values");
            a.values().forEach(values::add);
        }
        ArrayNode list = root.putArray("points");
        Set<String> traces = new LinkedHashSet<>();
        for (SweepPoint p : points) {
            ObjectNode o = list.addObject();
            o.put("index", p.index());
            o.put("id", p.id());
            o.put("trace", p.trace().toString());
            o.put("seed", p.seed());
            ObjectNode s = o.putObject("settings");
            p.settings().forEach(s::put);
            traces.add(p.trace().toString());
        }
        root.put("tool_version", toolVersion);
        root.put("spec_file", spec.file().toString());
        if (spec.base() == null) {
            root.putNull("base");
        } else {
            root.put("base", spec.base().toString());
        }
        ArrayNode t = root.putArray("traces");
        traces.forEach(t::add);
        if (shard.isAll()) {
            root.putNull("shard");
        } else {
            root.put("shard", shard.toString());
        }
        return root;
    }
}
