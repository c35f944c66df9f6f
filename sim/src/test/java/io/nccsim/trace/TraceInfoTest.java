package io.nccsim.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.nccsim.trace.TraceFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

class TraceInfoTest {
    @TempDir
    Path dir;

    @Test
    void describesTheSyntheticTrace() throws Exception {
        Path f = dir.resolve("small.trace");
        byte[] bytes = standardBytes();
        Files.write(f, bytes);
        String info = TraceInfo.describe(f);
        List<TraceEvent> ev = events(3);
        long reads = 0;
        long writes = 0;
        long hists = 0;
        long macs = 0;
        for (TraceEvent e : ev) {
            if (e instanceof OpEvent op) {
                macs += op.macs();
                for (Access a : op.accesses()) {
                    if (a.isRead()) {
                        reads++;
                    } else {
                        writes++;
                        hists += a.histogram() != null ? 1 : 0;
                    }
                }
            }
        }
        assertTrue(info.contains("content: MODELED — " + METHOD), info);
        assertTrue(info.contains("format: nccsim trace v1, " + bytes.length + " bytes"), info);
        assertTrue(info.contains("model: tiny-test-model"), info);
        assertTrue(info.contains("2 layers, hidden 64, ffn 160, 4 heads (2 kv heads)"), info);
        assertTrue(info.contains("weights: int4-g32-sym; activations: fp16; kv cache: int8"), info);
        assertTrue(info.contains("tokens: 8 prompt, 3 generated"), info);
        assertTrue(info.contains("tensors: 10,"), info);
        assertTrue(info.contains("events: " + ev.size() + " (4 steps, " + (ev.size() - 4) + " ops)"), info);
        assertTrue(info.contains("steps: 1 prefill (8 tokens), 3 decode (3 tokens)"), info);
        assertTrue(info.contains("accesses: " + reads + " reads, " + writes + " writes"), info);
        assertTrue(info.contains("MACs: " + macs), info);
        // Tensors 1 and 4 carry content; 0, 1, 2, 3, 4 and 6 are quantized weights. 12 + 16 blocks.
        assertTrue(info.contains("content: 2 of 6 quantized weight tensors carry content; fine block 256 elements, "
                + "28 blocks"), info);
        assertTrue(info.contains("write histograms: " + hists + " of " + writes + " writes carry one"), info);
        assertTrue(info.lines().anyMatch(l -> l.trim().startsWith("attn_q") && l.contains("over 3050 elements")),
                info);
        assertTrue(info.lines().anyMatch(l -> l.trim().startsWith("kv_cache") && l.contains("read")), info);
    }

    @Test
    void capturedProvenanceShowsTheSourceHash() throws Exception {
        String sha = "ab".repeat(32);
        Path f = dir.resolve("cap.trace");
        TraceHeader h = header(new Provenance(Provenance.CAPTURED, sha, "llama.cpp run of the model file"));
        new TraceWriter(f, h, tensors()).close();
        String info = TraceInfo.describe(f);
        assertTrue(info.contains("content: CAPTURED from model file sha256 " + sha), info);
    }

    @Test
    void entropyOfKnownHistograms() {
        assertEquals(2.0, TraceInfo.entropy(new int[]{5, 5, 5, 5}), 1e-12);
        assertEquals(0.0, TraceInfo.entropy(new int[]{0, 9, 0, 0}), 1e-12);
        assertEquals(1.0, TraceInfo.entropy(new long[]{3, 3}), 1e-12);
    }
}
