package io.nccsim.trace;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;

/** A small synthetic trace, and tools to take trace files apart and put them back together in tests. */
final class TraceFixtures {
    private TraceFixtures() {
    }

    static final int BLOCK = 256;
    static final String METHOD = "synthetic test content, seed 42";

    static TraceHeader header() {
        return header(new Provenance(Provenance.MODELED, null, METHOD));
    }

    static TraceHeader header(Provenance provenance) {
        ModelShape shape = new ModelShape("llama", 2, 64, 160, 4, 2, 16, 1000, false, 123_456L);
        return new TraceHeader("tiny-test-model", shape, "int4-g32-sym", "fp16", "int8", 8, 3,
                "nccsim test", provenance, BLOCK);
    }

    /**
     * Ten tensors of several roles and types. Tensor 1 (attn_q, int4, 3050 elements: 11 full blocks and a short
     * last one of 234) and tensor 4 (mlp_down, int8, 4000 elements: last block 160) get content.
     */
    static List<TensorInfo> tensors() {
        List<TensorInfo> t = new ArrayList<>();
        t.add(new TensorInfo(0, "token_embd.weight", TensorRole.EMBEDDING, -1, List.of(1000L, 64L),
                ElementType.INT4, 32_000 + 4_000, 32_000, 32));
        t.add(new TensorInfo(1, "blk.0.attn_q.weight", TensorRole.ATTN_Q, 0, List.of(50L, 61L), ElementType.INT4,
                1525 + 200, 1525, 32));
        t.add(new TensorInfo(2, "blk.0.attn_k.weight", TensorRole.ATTN_K, 0, List.of(32L, 64L), ElementType.INT4,
                1024 + 128, 1024, 32));
        t.add(new TensorInfo(3, "blk.0.attn_output.weight", TensorRole.ATTN_O, 0, List.of(64L, 64L),
                ElementType.INT4, 2048 + 256, 2048, 32));
        t.add(new TensorInfo(4, "blk.0.ffn_down.weight", TensorRole.MLP_DOWN, 0, List.of(40L, 100L),
                ElementType.INT8, 4000 + 500, 4000, 32));
        t.add(new TensorInfo(5, "blk.0.attn_norm.weight", TensorRole.NORM, 0, List.of(64L), ElementType.FP16, 128,
                128, 0));
        t.add(new TensorInfo(6, "output.weight", TensorRole.LM_HEAD, -1, List.of(1000L, 64L), ElementType.INT2,
                16_000 + 4_000, 16_000, 32));
        t.add(new TensorInfo(7, "act.hidden", TensorRole.ACTIVATION, -1, List.of(8L, 64L), ElementType.FP16, 1024,
                1024, 0));
        t.add(new TensorInfo(8, "act.quant", TensorRole.ACTIVATION, -1, List.of(8L, 64L), ElementType.INT8, 512 + 16,
                512, 64));
        t.add(new TensorInfo(9, "blk.0.kv_cache", TensorRole.KV_CACHE, 0, List.of(2L, 128L, 32L), ElementType.INT8,
                8192 + 512, 8192, 32));
        return t;
    }

    /** Content whose blocks sum to the block sizes; int8 content is peaked (sparse-coded), int4 spread (dense). */
    static WeightContent content(TensorInfo t, long seed) {
        Random rnd = new Random(seed);
        int alphabet = t.elementType().alphabetSize();
        int blocks = (int) ((t.elements() + BLOCK - 1) / BLOCK);
        int[][] h = new int[blocks][alphabet];
        for (int b = 0; b < blocks; b++) {
            long n = Math.min(BLOCK, t.elements() - (long) b * BLOCK);
            for (long i = 0; i < n; i++) {
                int s = (int) Math.round(alphabet / 2.0 + rnd.nextGaussian() * alphabet / 8.0);
                h[b][Math.max(0, Math.min(alphabet - 1, s))]++;
            }
        }
        return new WeightContent(t.id(), BLOCK, h);
    }

    static List<WeightContent> contents(List<TensorInfo> tensors) {
        return List.of(content(tensors.get(1), 1), content(tensors.get(4), 2));
    }

    static int[] hist(int alphabet, Random rnd, int n) {
        int[] h = new int[alphabet];
        for (int i = 0; i < n; i++) {
            h[rnd.nextInt(alphabet)]++;
        }
        return h;
    }

    /** A prefill of 8 tokens and {@code decodes} decode steps, each a few ops over the tensors above. */
    static List<TraceEvent> events(int decodes) {
        Random rnd = new Random(7);
        List<TraceEvent> ev = new ArrayList<>();
        for (int step = 0; step <= decodes; step++) {
            boolean prefill = step == 0;
            int tokens = prefill ? 8 : 1;
            int pos = prefill ? 0 : 7 + step;
            ev.add(new StepEvent(prefill ? StepEvent.Phase.PREFILL : StepEvent.Phase.DECODE, pos, tokens));
            ev.add(new OpEvent("embed", -1, 0, List.of(Access.read(0, pos * 16L, tokens * 16L),
                    Access.write(7, 0, tokens * 128L, null))));
            ev.add(new OpEvent("attn_norm", 0, 64L * tokens, List.of(Access.read(5, 0, 128),
                    Access.read(7, 0, tokens * 128L), Access.write(8, 0, tokens * 64L, hist(256, rnd, tokens * 64)))));
            ev.add(new OpEvent("attn_q", 0, 3050L * tokens, List.of(Access.read(1, 0, 1725),
                    Access.read(8, 0, tokens * 64L))));
            ev.add(new OpEvent("attn_k", 0, 2048L * tokens, List.of(Access.read(2, 0, 1152),
                    Access.write(9, pos * 32L, tokens * 32L, hist(256, rnd, tokens * 32)))));
            ev.add(new OpEvent("attention", 0, 512L * (pos + tokens), List.of(Access.read(9, 0, (pos + tokens) * 32L),
                    Access.write(7, 0, tokens * 128L, null))));
            ev.add(new OpEvent("mlp_down", 0, 4000L * tokens, List.of(Access.read(4, 0, 4500),
                    Access.write(8, 0, 64, hist(256, rnd, 10)))));
            ev.add(new OpEvent("lm_head", -1, 64_000L, List.of(Access.read(6, 0, 20_000))));
        }
        return ev;
    }

    static long steps(List<TraceEvent> ev) {
        return ev.stream().filter(e -> e instanceof StepEvent).count();
    }

    /** Writes the fixture to a byte array (optionally with small chunks). */
    static byte[] writeToBytes(List<TensorInfo> tensors, List<WeightContent> content, List<TraceEvent> events,
                               int chunkTarget) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TraceWriter w = TraceWriter.toStream(bos, header(), tensors, chunkTarget)) {
            for (WeightContent c : content) {
                w.writeWeightContent(c);
            }
            for (TraceEvent e : events) {
                w.write(e);
            }
        }
        return bos.toByteArray();
    }

    static byte[] standardBytes() throws Exception {
        List<TensorInfo> t = tensors();
        return writeToBytes(t, contents(t), events(3), TraceFormat.DEFAULT_CHUNK_TARGET);
    }

    // ----------------------------------------------------------------------------------------------------------
    // Taking files apart

    /** One section of a file: where it starts, its tag, its payload. */
    record Section(long start, String tag, byte[] payload) {
        long payloadStart() {
            return start + 8;
        }

        long end() {
            return start + 12 + payload.length;
        }
    }

    static List<Section> sections(byte[] file) {
        List<Section> list = new ArrayList<>();
        int p = 12;
        while (p < file.length) {
            String tag = new String(file, p, 4, StandardCharsets.US_ASCII);
            int len = (file[p + 4] & 0xff) | (file[p + 5] & 0xff) << 8 | (file[p + 6] & 0xff) << 16
                    | (file[p + 7] & 0xff) << 24;
            byte[] payload = new byte[len];
            System.arraycopy(file, p + 8, payload, 0, len);
            list.add(new Section(p, tag, payload));
            p += 12 + len;
        }
        return list;
    }

    static Section first(byte[] file, String tag) {
        return sections(file).stream().filter(s -> s.tag().equals(tag)).findFirst().orElseThrow();
    }

    /** A file from a preamble and sections, each given a correct CRC. */
    static byte[] build(int version, List<Section> sections) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("NCCTRACE".getBytes(StandardCharsets.US_ASCII));
        out.write(version);
        out.write(version >>> 8);
        out.write(0);
        out.write(0);
        for (Section s : sections) {
            out.writeBytes(section(s.tag(), s.payload()));
        }
        return out.toByteArray();
    }

    static byte[] section(String tag, byte[] payload) {
        byte[] head = new byte[8];
        System.arraycopy(tag.getBytes(StandardCharsets.US_ASCII), 0, head, 0, 4);
        int n = payload.length;
        head[4] = (byte) n;
        head[5] = (byte) (n >>> 8);
        head[6] = (byte) (n >>> 16);
        head[7] = (byte) (n >>> 24);
        CRC32C crc = new CRC32C();
        crc.update(head);
        crc.update(payload);
        int c = (int) crc.getValue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        out.writeBytes(payload);
        out.write(c);
        out.write(c >>> 8);
        out.write(c >>> 16);
        out.write(c >>> 24);
        return out.toByteArray();
    }

    /** Varints written independently of the production encoder, so the tests check the spec, not the code. */
    static final class Payload {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Payload varint(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            return this;
        }

        Payload signed(long v) {
            return varint((v << 1) ^ (v >> 63));
        }

        Payload u8(int b) {
            out.write(b);
            return this;
        }

        Payload string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length);
            out.writeBytes(b);
            return this;
        }

        Payload bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        byte[] get() {
            return out.toByteArray();
        }
    }
}
