package io.nccsim.capture;

import io.nccsim.codec.WeightQuant;
import io.nccsim.model.ModelFile;
import io.nccsim.model.ModelLoaders;
import io.nccsim.testutil.Cli;
import io.nccsim.testutil.ProjectFiles;
import io.nccsim.testutil.TestModels;
import io.nccsim.trace.Access;
import io.nccsim.trace.OpEvent;
import io.nccsim.trace.Provenance;
import io.nccsim.trace.StepEvent;
import io.nccsim.trace.TraceEvent;
import io.nccsim.trace.TraceHeader;
import io.nccsim.trace.TraceReader;
import io.nccsim.trace.WeightContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shape-only traces: the engine without arithmetic gives a real run's access stream, event for event; the header
 * names the fit the content comes from; the shipped phi3.trace is what its command remakes.
 */
class ShapeOnlyTraceTest {
    private static final String FIT = "configs/models/fits/stories260K.yaml";

    @TempDir
    Path dir;

    private static ModeledContent.FitFile fit() {
        return ModeledContent.FitFile.read(ProjectFiles.resolve(FIT), FIT);
    }

    /**
     * stories260K captured on a prompt, then run shape-only (its configuration alone, weights by shape) over the
     * same tokens: the two traces have the same header but for the provenance, the same tensor table, content for
     * the same tensors and blocks, and the same steps and ops with the same accesses in the same order; only the
     * symbol counts (weights, KV-cache writes) differ, and those still count the same number of symbols.
     */
    @ParameterizedTest
    @CsvSource({"int4-g32-sym, INT8", "int8-channel-asym, FP16", "fp32, FP32"})
    void theShapeOnlyAccessStreamOfStories260KIsItsCapturedStreamEventForEvent(String weights, KvPrecision kv)
            throws IOException {
        Path model = TestModels.stories260K();
        Path captured = dir.resolve("captured.trace");
        WeightQuant quant = WeightQuant.parse(weights, "test");
        TraceCapture.Result r = TraceCapture.capture(new TraceCapture.Options(model, null,
                TestModels.stories260KTokenizer(), "Lily had a red ball", 5, quant, kv, 0, 0, 1, 512, "test"),
                captured);
        assertEquals(4, r.decodeSteps(), "prefill and four decode steps");
        // The tokens the captured run fed the engine: the prompt, then each generated token but the last.
        List<Integer> fed = new ArrayList<>(r.generation().prompt());
        fed.addAll(r.generation().generated().subList(0, r.decodeSteps()));
        int[] tokens = fed.stream().mapToInt(Integer::intValue).toArray();

        ModelFile file = ModelLoaders.load(model);
        LlamaModel shapes = LlamaModel.shapeOnly(LlamaConfig.of(file), "stories260K's configuration");
        assertFalse(shapes.hasValues());
        Path modeled = dir.resolve("modeled.trace");
        ShapeOnlyTrace.write(modeled, "stories260K", DeployedWeights.shapeOnly(shapes, quant), kv, tokens,
                r.generation().prompt().size(), fit(), 1, 512, "test", "shape-only test run");

        try (TraceReader c = TraceReader.open(captured); TraceReader m = TraceReader.open(modeled)) {
            assertEquals(withoutProvenance(c.header()), withoutProvenance(m.header()));
            assertEquals(Provenance.CAPTURED, c.header().provenance().kind());
            assertEquals(Provenance.MODELED, m.header().provenance().kind());
            assertEquals(c.tensors(), m.tensors(), "same tensors, names, shapes, types and bytes");
            assertEquals(c.contentTensorIds(), m.contentTensorIds());
            for (int id : c.contentTensorIds()) {
                assertArrayEquals(blockSums(c.weightContent(id)), blockSums(m.weightContent(id)), "tensor " + id);
            }
            int events = 0;
            int kvWrites = 0;
            for (TraceEvent a = c.next(), b = m.next(); a != null || b != null; a = c.next(), b = m.next()) {
                events++;
                if (a instanceof StepEvent) {
                    assertEquals(a, b, "event " + events);
                    continue;
                }
                OpEvent x = (OpEvent) a;
                OpEvent y = (OpEvent) b;
                assertEquals(List.of(x.name(), x.layer(), x.macs()), List.of(y.name(), y.layer(), y.macs()),
                        "event " + events);
                assertEquals(shape(x.accesses()), shape(y.accesses()), "event " + events + ": " + x.name());
                for (int i = 0; i < x.accesses().size(); i++) {
                    int[] hx = x.accesses().get(i).histogram();
                    int[] hy = y.accesses().get(i).histogram();
                    assertEquals(hx == null, hy == null);
                    if (hx != null) {
                        kvWrites++;
                        assertEquals(Arrays.stream(hx).sum(), Arrays.stream(hy).sum(), "symbols written");
                    }
                }
            }
            assertEquals(5 * (1 + 1 + 5 * 15 + 2), events, "5 steps, each a step event and 78 ops");
            assertEquals(kv == KvPrecision.INT8 ? 5 * 5 * 2 : 0, kvWrites, "a key and a value write per layer, step");
        }
    }

    private static TraceHeader withoutProvenance(TraceHeader h) {
        return new TraceHeader(h.modelName(), h.shape(), h.weightQuant(), h.activationType(), h.kvCacheType(),
                h.promptTokens(), h.generatedTokens(), "", new Provenance(Provenance.MODELED, null, ""),
                h.contentBlockElements());
    }

    /** The accesses without their symbol counts: tensor, direction, offset and length, in order. */
    private static List<Access> shape(List<Access> accesses) {
        return accesses.stream().map(a -> new Access(a.tensorId(), a.direction(), a.offsetBytes(), a.lengthBytes(),
                null)).toList();
    }

    private static long[] blockSums(WeightContent w) {
        return IntStream.range(0, w.blocks()).mapToLong(b -> Arrays.stream(w.histograms()[b]).sum()).toArray();
    }

    @Test
    void aTwoStepPhi3RunNeedsNoWeightsAndItsHeaderNamesTheFit() throws IOException {
        Path arch = ProjectFiles.resolve("configs/models/phi3-mini-4k.yaml");
        Path out = dir.resolve("phi3.trace");
        ShapeOnlyTrace.Result r = ShapeOnlyTrace.generate(new ShapeOnlyTrace.Options(ModelArch.load(arch),
                "configs/models/phi3-mini-4k.yaml", ProjectFiles.resolve(FIT), FIT,
                WeightQuant.parse("int4-g128-sym", "t"), KvPrecision.INT8, 1, 1, 7, 16384, "test"), out);
        assertEquals(2, r.forwardPasses());
        String fitSha = ModelLoaders.sha256(ByteBuffer.wrap(Files.readAllBytes(ProjectFiles.resolve(FIT))));
        ContentFits fits = fit().fits();
        try (TraceReader t = TraceReader.open(out)) {
            Provenance p = t.header().provenance();
            assertEquals(Provenance.MODELED, p.kind());
            assertNull(p.sourceSha256(), "no model file was read");
            String method = p.method();
            for (String part : List.of(FIT, fitSha, fits.source().modelSha256(), "seed 7",
                    "int4-g128-sym", "q, k and v fused into one qkv projection",
                    "mlp_down " + fits.weight(io.nccsim.trace.TensorRole.MLP_DOWN, FIT).distribution().describe(),
                    "keys (" + fits.kv(ContentFits.KEYS, FIT).distribution().describe() + ")")) {
                assertTrue(method.contains(part), "'" + part + "' in the provenance: " + method);
            }
            assertEquals(1, t.header().promptTokens());
            assertEquals(1, t.header().generatedTokens());
            assertEquals(32 * 4 + 2, t.contentTensorIds().size(), "every int4 matrix (qkv, o, gate_up, down per layer; "
                    + "embedding and classifier) carries content");
            int steps = 0;
            for (TraceEvent e = t.next(); e != null; e = t.next()) {
                steps += e instanceof StepEvent ? 1 : 0;
            }
            assertEquals(2, steps);
        }
    }

    @Test
    void theShippedPhi3TraceIsRemadeByteForByteByItsCommand() throws IOException {
        // traces/README.md gives this command (run from the repository root); the shipped file must be what it makes.
        Path out = dir.resolve("phi3.trace");
        ShapeOnlyTrace.generate(new ShapeOnlyTrace.Options(
                ModelArch.load(ProjectFiles.resolve("configs/models/phi3-mini-4k.yaml")),
                "configs/models/phi3-mini-4k.yaml", ProjectFiles.resolve(FIT), FIT,
                WeightQuant.parse("int4-g128-sym", "--weights"), KvPrecision.INT8, 128, 128, 1, 16384,
                "nccsim 0.1.0 trace model"), out);
        Path shipped = ProjectFiles.resolve("traces/phi3.trace");
        assertEquals(Files.size(shipped), Files.size(out));
        assertTrue(Arrays.equals(Files.readAllBytes(shipped), Files.readAllBytes(out)),
                "traces/phi3.trace is stale: remake it with the command in traces/README.md");
        assertTrue(Files.size(out) < 20_000_000, "shipped traces stay under 20 MB");
    }

    @Test
    void theCommandRefusesRunsTheModelCannotHoldAndLeavesNoFile() throws IOException {
        Path out = dir.resolve("x.trace");
        String arch = ProjectFiles.resolve("configs/models/phi3-mini-4k.yaml").toString();
        Cli.Result window = Cli.run("trace", "model", "--arch", arch, "--prompt-tokens", "2000",
                "--generated-tokens", "100", "-o", out.toString());
        assertEquals(2, window.code(), window.err());
        assertTrue(window.err().contains("sliding_window") && window.err().contains("2047"), window.err());
        Cli.Result noFit = Cli.run("trace", "model", "--arch", arch, "--fit", dir.resolve("none.yaml").toString(),
                "-o", out.toString());
        assertEquals(2, noFit.code(), noFit.err());
        assertTrue(noFit.err().contains("--fit") && noFit.err().contains("trace fit"), noFit.err());
        Cli.Result kv = Cli.run("trace", "model", "--arch", arch, "--kv", "int4", "-o", out.toString());
        assertEquals(2, kv.code(), kv.err());
        assertTrue(kv.err().contains("--kv: 'int4'"), kv.err());
        assertFalse(Files.exists(out));
    }
}
