package io.nccsim.capture;

import io.nccsim.capture.DistributionFit.Candidate;
import io.nccsim.capture.ValueDistribution.Family;
import io.nccsim.common.BadInputException;
import io.nccsim.config.ConfigLoader;
import io.nccsim.config.ConfigReader;
import io.nccsim.trace.TensorRole;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A fit file (e.g. {@code configs/models/fits/stories260K.yaml}): the value distributions fitted to a real model's
 * weights by tensor role, to the keys and values its KV cache received, and to its activations, with where they came
 * from and how well each family fits. Shape-only traces draw their content from it ({@link ModeledContent}).
 * {@link ContentFitter} makes one; {@link #toYaml} writes it and {@link #load} reads it back, strictly.
 *
 * @param source      the model and run the fits come from
 * @param weights     by weight role: the pooled values of every tensor of that role
 * @param kvCache     {@code k_cache} and {@code v_cache}: the keys (after RoPE) and values the cache received
 * @param activations by the engine's activation name: every value written to it; recorded for reference (trace
 *                    format v1 carries no activation content: activations are fp16 buffers)
 */
public record ContentFits(Source source, Map<TensorRole, Entry> weights, Map<String, Entry> kvCache,
                          Map<String, Entry> activations) {

    /** The names of the KV-cache entries. */
    public static final String KEYS = "k_cache";
    public static final String VALUES = "v_cache";

    /**
     * Where the fitted values come from.
     *
     * @param model           the model file's name
     * @param modelSha256     its sha256
     * @param prompt          the prompt of the run whose KV cache and activations were fitted
     * @param promptTokens    its tokens, BOS included
     * @param generatedTokens tokens the run generated greedily
     * @param run             how the model was run
     * @param producer        tool and version that made the fits
     */
    public record Source(String model, String modelSha256, String prompt, int promptTokens, int generatedTokens,
                         String run, String producer) {
    }

    /**
     * The fits to one pool of values.
     *
     * @param data   what was pooled, in words
     * @param values how many values
     * @param fanIn  for weights, the row length (inputs per output) of the tensors pooled, to which the fitted scale
     *               belongs; 0 otherwise
     * @param chosen the family chosen (lowest AIC)
     * @param fits   every family's fit
     */
    public record Entry(String data, long values, int fanIn, Family chosen, List<Candidate> fits) {
        public Entry {
            fits = List.copyOf(fits);
        }

        /** The chosen family's fitted distribution. */
        public ValueDistribution distribution() {
            return fit(chosen).distribution();
        }

        /** The fit of {@code family}. */
        public Candidate fit(Family family) {
            return fits.stream().filter(c -> c.family() == family).findFirst().orElseThrow();
        }
    }

    public ContentFits {
        Map<TensorRole, Entry> byRole = new EnumMap<>(TensorRole.class);
        byRole.putAll(weights);
        weights = Collections.unmodifiableMap(byRole);
        kvCache = Collections.unmodifiableMap(new LinkedHashMap<>(kvCache));
        activations = Collections.unmodifiableMap(new LinkedHashMap<>(activations));
    }

    /** The fit of weight role {@code role}; {@code file} names the fit file in the error when it has none. */
    public Entry weight(TensorRole role, String file) {
        Entry e = weights.get(role);
        if (e == null) {
            throw new BadInputException(file + ": weights: no fit for role '" + role.id() + "'; expected one of "
                    + weights.keySet().stream().map(TensorRole::id).toList());
        }
        return e;
    }

    /** The fit of {@link #KEYS} or {@link #VALUES}; {@code file} names the fit file in the error. */
    public Entry kv(String name, String file) {
        Entry e = kvCache.get(name);
        if (e == null) {
            throw new BadInputException(file + ": kv_cache: no fit for '" + name + "'");
        }
        return e;
    }

    // ------------------------------------------------------------------------------------------------------ reading

    /** Reads a fit file; every problem is a one-line error naming the file, line and key. */
    public static ContentFits load(Path file) {
        ConfigReader r = ConfigReader.root(ConfigLoader.applySets(ConfigLoader.load(file), List.of()));
        ConfigReader s = r.section("source");
        Source source = new Source(s.string("model"), s.string("model_sha256"), s.string("prompt", ""),
                s.integer("prompt_tokens", 1, Integer.MAX_VALUE), s.integer("generated_tokens", 0, Integer.MAX_VALUE),
                s.string("run"), s.string("producer"));
        Map<TensorRole, Entry> weights = new EnumMap<>(TensorRole.class);
        ConfigReader w = r.section("weights");
        for (String key : w.keys()) {
            TensorRole role = weightRole(key);
            if (role == null) {
                throw new BadInputException(w.node().keyLocation(key) + ": weights." + key + ": not a weight role; "
                        + "expected one of " + weightRoleIds());
            }
            weights.put(role, entry(w.section(key)));
        }
        Map<String, Entry> kv = new LinkedHashMap<>();
        ConfigReader k = r.section("kv_cache");
        kv.put(KEYS, entry(k.section(KEYS)));
        kv.put(VALUES, entry(k.section(VALUES)));
        Map<String, Entry> activations = new LinkedHashMap<>();
        ConfigReader a = r.optionalSection("activations").orElse(null);
        if (a != null) {
            for (String key : a.keys()) {
                activations.put(key, entry(a.section(key)));
            }
        }
        r.finish();
        return new ContentFits(source, weights, kv, activations);
    }

    private static Entry entry(ConfigReader e) {
        String data = e.string("data");
        long values = e.longValue("values", 8, Long.MAX_VALUE);
        int fanIn = e.integer("fan_in", 0, 1 << 24, 0);
        String familyId = e.string("family");
        ConfigReader f = e.section("fits");
        List<Candidate> fits = new ArrayList<>();
        for (Family family : Family.values()) {
            if (f.has(family.id())) {
                fits.add(candidate(f.section(family.id()), family));
            }
        }
        Family chosen = Family.fromId(familyId);
        if (chosen == null || fits.stream().noneMatch(c -> c.family() == chosen)) {
            throw new BadInputException(e.location() + ": " + e.path() + ".family: '" + familyId + "' is not one of "
                    + "the families fitted below it (" + fits.stream().map(c -> c.family().id()).toList() + ")");
        }
        return new Entry(data, values, fanIn, chosen, fits);
    }

    private static Candidate candidate(ConfigReader c, Family family) {
        double any = Double.POSITIVE_INFINITY;
        double location = c.number("location", -any, any);
        double scale = c.number("scale", 0, any);
        double dof = family == Family.STUDENT_T ? c.number("dof", DistributionFit.MIN_DOF, DistributionFit.MAX_DOF)
                : Double.NaN;
        ValueDistribution d;
        try {
            d = new ValueDistribution(family, location, scale, dof);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(c.location() + ": " + c.path() + ": " + e.getMessage());
        }
        return new Candidate(d, c.number("log_likelihood", -any, any), c.number("aic", -any, any),
                c.number("ks", 0, 1));
    }

    private static TensorRole weightRole(String id) {
        for (TensorRole r : TensorRole.values()) {
            if (r.id().equals(id) && r.dataClass() == TensorRole.DataClass.WEIGHTS && r != TensorRole.NORM) {
                return r;
            }
        }
        return null;
    }

    private static List<String> weightRoleIds() {
        List<String> ids = new ArrayList<>();
        for (TensorRole r : TensorRole.values()) {
            if (weightRole(r.id()) != null) {
                ids.add(r.id());
            }
        }
        return ids;
    }

    // ------------------------------------------------------------------------------------------------------ writing

    /** The fit file's text; {@link #load} reads back the same fits, parameters to 6 significant digits. */
    public String toYaml() {
        StringBuilder y = new StringBuilder();
        y.append("""
                # Value distributions fitted by maximum likelihood to a real model, for the content of shape-only traces
                # (nccsim trace model). Made by 'nccsim trace fit' (configs/models/fits/README.md has the command).
                # Families: gaussian (location = mean, scale = standard deviation), laplace (location = median,
                # scale = mean absolute deviation), student_t (x = location + scale * t(dof)). Each entry's family is
                # the fit with the lowest AIC = 2 x parameters - 2 x log_likelihood (nats); ks is the Kolmogorov-Smirnov
                # statistic, the largest gap between the fitted and the empirical CDF. fan_in: the row length of the
                # tensors pooled, to which the fitted scale belongs.
                """);
        y.append("source:\n");
        line(y, 1, "model", quote(source.model()));
        line(y, 1, "model_sha256", source.modelSha256());
        line(y, 1, "prompt", quote(source.prompt()));
        line(y, 1, "prompt_tokens", Integer.toString(source.promptTokens()));
        line(y, 1, "generated_tokens", Integer.toString(source.generatedTokens()));
        line(y, 1, "run", quote(source.run()));
        line(y, 1, "producer", quote(source.producer()));
        y.append("weights:\n");
        weights.forEach((role, e) -> entry(y, role.id(), e));
        y.append("kv_cache:\n");
        kvCache.forEach((name, e) -> entry(y, name, e));
        y.append("# Recorded for reference: trace format v1 carries no activation content (fp16 buffers).\n");
        y.append("activations:\n");
        activations.forEach((name, e) -> entry(y, name, e));
        return y.toString();
    }

    private static void entry(StringBuilder y, String key, Entry e) {
        y.append("  ").append(key).append(":\n");
        line(y, 2, "data", quote(e.data()));
        line(y, 2, "values", Long.toString(e.values()));
        if (e.fanIn() > 0) {
            line(y, 2, "fan_in", Integer.toString(e.fanIn()));
        }
        line(y, 2, "family", e.chosen().id());
        line(y, 2, "fits", "");
        for (Candidate c : e.fits()) {
            ValueDistribution d = c.distribution();
            line(y, 3, c.family().id(), String.format(Locale.ROOT,
                    "{location: %s, scale: %s%s, log_likelihood: %.2f, aic: %.2f, ks: %.5f}", num(d.location()),
                    num(d.scale()), d.family() == Family.STUDENT_T ? ", dof: " + num(d.dof()) : "", c.logLikelihood(),
                    c.aic(), c.ks()));
        }
    }

    private static void line(StringBuilder y, int depth, String key, String value) {
        y.append("  ".repeat(depth)).append(key).append(':');
        if (!value.isEmpty()) {
            y.append(' ').append(value);
        }
        y.append('\n');
    }

    /** Six significant digits, in a form YAML and the config reader take as a number. */
    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** A double-quoted YAML string. */
    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        q.append(String.format(Locale.ROOT, "\\x%02x", (int) ch));
                    } else {
                        q.append(ch);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
