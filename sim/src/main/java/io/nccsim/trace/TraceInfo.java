package io.nccsim.trace;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text behind {@code nccsim trace info FILE}: what a trace is, where its content came from, and what it holds.
 *
 * <p>It reads the whole trace once, so it also serves as a full verification of the file (every checksum, every
 * reference, the END totals). Provenance comes right after the format line because a result computed on modeled
 * content must never be mistaken for one computed on a real model's weights.
 */
public final class TraceInfo {
    private TraceInfo() {
    }

    /**
     * Reads {@code path} (streaming) and describes it.
     *
     * @throws io.nccsim.common.BadInputException the file is missing or not a valid trace
     */
    public static String describe(Path path) {
        try (TraceReader r = TraceReader.open(path)) {
            Stats s = new Stats(r);
            for (TraceEvent e = r.next(); e != null; e = r.next()) {
                s.add(e);
            }
            return s.render(path, r);
        }
    }

    private static final class Stats {
        final TraceReader reader;
        long prefillSteps;
        long decodeSteps;
        long prefillTokens;
        long decodeTokens;
        long ops;
        long reads;
        long writes;
        long writeHistograms;
        long macs;
        final Map<TensorRole.DataClass, long[]> bytesByClass = new EnumMap<>(TensorRole.DataClass.class);

        Stats(TraceReader reader) {
            this.reader = reader;
            for (TensorRole.DataClass c : TensorRole.DataClass.values()) {
                bytesByClass.put(c, new long[2]);
            }
        }

        void add(TraceEvent e) {
            if (e instanceof StepEvent st) {
                if (st.phase() == StepEvent.Phase.PREFILL) {
                    prefillSteps++;
                    prefillTokens += st.tokens();
                } else {
                    decodeSteps++;
                    decodeTokens += st.tokens();
                }
                return;
            }
            OpEvent op = (OpEvent) e;
            ops++;
            macs += op.macs();
            for (Access a : op.accesses()) {
                long[] b = bytesByClass.get(reader.tensors().get(a.tensorId()).role().dataClass());
                if (a.isRead()) {
                    reads++;
                    b[0] += a.lengthBytes();
                } else {
                    writes++;
                    b[1] += a.lengthBytes();
                    if (a.histogram() != null) {
                        writeHistograms++;
                    }
                }
            }
        }

        String render(Path path, TraceReader r) {
            StringBuilder sb = new StringBuilder();
            TraceHeader h = r.header();
            ModelShape m = h.shape();
            Provenance p = h.provenance();
            line(sb, "trace: %s", path);
            line(sb, "format: nccsim trace v%d, %d bytes (%s)", r.version(), r.fileSize(), size(r.fileSize()));
            if (p.isModeled()) {
                line(sb, "content: MODELED — %s", p.method());
            } else {
                line(sb, "content: CAPTURED from model file sha256 %s — %s", p.sourceSha256(), p.method());
            }
            line(sb, "model: %s", h.modelName());
            line(sb, "  architecture: %s, %d layers, hidden %d, ffn %d, %d heads (%d kv heads), head dim %d, "
                            + "vocab %d, tied embeddings %s, %d parameters", m.family(), m.layers(), m.hidden(),
                    m.ffn(), m.heads(), m.kvHeads(), m.headDim(), m.vocab(), m.tiedEmbeddings() ? "yes" : "no",
                    m.parameters());
            line(sb, "  weights: %s; activations: %s; kv cache: %s", h.weightQuant(), h.activationType(),
                    h.kvCacheType());
            line(sb, "  tokens: %d prompt, %d generated", h.promptTokens(), h.generatedTokens());
            line(sb, "  producer: %s", h.producer());

            // Tensor table, by role (in the enum's order, which follows a transformer block).
            Map<TensorRole, long[]> byRole = new EnumMap<>(TensorRole.class);
            Map<TensorRole, Map<String, Integer>> typesByRole = new EnumMap<>(TensorRole.class);
            Map<TensorRole.DataClass, Long> bytesByDataClass = new EnumMap<>(TensorRole.DataClass.class);
            long totalBytes = 0;
            for (TensorInfo t : r.tensors()) {
                long[] c = byRole.computeIfAbsent(t.role(), k -> new long[2]);
                c[0]++;
                c[1] += t.bytes();
                typesByRole.computeIfAbsent(t.role(), k -> new TreeMap<>()).merge(t.elementType().id(), 1,
                        Integer::sum);
                bytesByDataClass.merge(t.role().dataClass(), t.bytes(), Long::sum);
                totalBytes += t.bytes();
            }
            line(sb, "tensors: %d, %d bytes (%s)", r.tensors().size(), totalBytes, size(totalBytes));
            for (Map.Entry<TensorRole, long[]> e : byRole.entrySet()) {
                line(sb, "  %-12s %6d tensors %16d bytes (%s)  %s", e.getKey().id(), e.getValue()[0],
                        e.getValue()[1], size(e.getValue()[1]), types(typesByRole.get(e.getKey())));
            }
            for (Map.Entry<TensorRole.DataClass, Long> e : bytesByDataClass.entrySet()) {
                line(sb, "  class %-12s %16d bytes (%s)", id(e.getKey()), e.getValue(), size(e.getValue()));
            }

            line(sb, "events: %d (%d steps, %d ops)", r.eventsRead(), prefillSteps + decodeSteps, ops);
            line(sb, "  steps: %d prefill (%d tokens), %d decode (%d tokens)", prefillSteps, prefillTokens,
                    decodeSteps, decodeTokens);
            line(sb, "  accesses: %d reads, %d writes", reads, writes);
            for (Map.Entry<TensorRole.DataClass, long[]> e : bytesByClass.entrySet()) {
                line(sb, "  %-12s read %16d bytes (%s), written %16d bytes (%s)", id(e.getKey()),
                        e.getValue()[0], size(e.getValue()[0]), e.getValue()[1], size(e.getValue()[1]));
            }
            line(sb, "  MACs: %d", macs);

            renderContent(sb, r);
            line(sb, "  write histograms: %d of %d writes carry one", writeHistograms, writes);
            return sb.toString();
        }

        private void renderContent(StringBuilder sb, TraceReader r) {
            int quantizedWeights = 0;
            int withContent = 0;
            long blocks = 0;
            // Per role: elements, elements*H(tensor), elements*H(block) summed over blocks.
            Map<TensorRole, double[]> ent = new EnumMap<>(TensorRole.class);
            double[] all = new double[4];
            for (TensorInfo t : r.tensors()) {
                if (t.role().dataClass() == TensorRole.DataClass.WEIGHTS && t.elementType().quantized()) {
                    quantizedWeights++;
                }
                WeightContent c = r.weightContent(t.id());
                if (c == null) {
                    continue;
                }
                withContent++;
                blocks += c.blocks();
                double n = t.elements();
                double hTensor = entropy(c.total());
                double blockBits = 0;
                for (int[] b : c.histograms()) {
                    long bn = 0;
                    for (int x : b) {
                        bn += x;
                    }
                    blockBits += bn * entropy(b);
                }
                double[] e = ent.computeIfAbsent(t.role(), k -> new double[4]);
                e[0] += n;
                e[1] += n * hTensor;
                e[2] += blockBits;
                e[3] += n * t.elementType().bits();
                all[0] += n;
                all[1] += n * hTensor;
                all[2] += blockBits;
                all[3] += n * t.elementType().bits();
            }
            line(sb, "content: %d of %d quantized weight tensors carry content; fine block %d elements, %d blocks",
                    withContent, quantizedWeights, r.header().contentBlockElements(), blocks);
            if (withContent > 0) {
                // Per tensor: what one code per tensor could reach; per fine block: what a code adapted to every
                // fine block could reach (before the cost of describing the codes). Stored bits for comparison.
                line(sb, "  entropy, bits/element (per-tensor distribution / per fine block / stored):");
                line(sb, "  %-12s %7.4f / %7.4f / %5.2f over %d elements", "overall", all[1] / all[0],
                        all[2] / all[0], all[3] / all[0], (long) all[0]);
                for (Map.Entry<TensorRole, double[]> e : ent.entrySet()) {
                    double[] v = e.getValue();
                    line(sb, "  %-12s %7.4f / %7.4f / %5.2f over %d elements", e.getKey().id(), v[1] / v[0],
                            v[2] / v[0], v[3] / v[0], (long) v[0]);
                }
            }
        }
    }

    /** Shannon entropy in bits/symbol of a histogram (0 for an empty one). */
    static double entropy(long[] h) {
        long n = 0;
        for (long c : h) {
            n += c;
        }
        double bits = 0;
        for (long c : h) {
            if (c > 0) {
                double q = (double) c / n;
                bits -= q * Math.log(q);
            }
        }
        return n == 0 ? 0 : bits / Math.log(2);
    }

    static double entropy(int[] h) {
        long[] l = new long[h.length];
        for (int i = 0; i < h.length; i++) {
            l[i] = h[i];
        }
        return entropy(l);
    }

    private static String types(Map<String, Integer> m) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Integer> e : m.entrySet()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(e.getKey());
            if (m.size() > 1) {
                sb.append(" x").append(e.getValue());
            }
        }
        return sb.toString();
    }

    private static String id(TensorRole.DataClass c) {
        return c.name().toLowerCase(Locale.ROOT);
    }

    private static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }

    private static void line(StringBuilder sb, String fmt, Object... args) {
        sb.append(String.format(Locale.ROOT, fmt, args)).append('\n');
    }
}
