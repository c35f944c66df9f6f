package io.nccsim.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.nccsim.testutil.HandMadeResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTML reports open from disk alone, embed their figures, and say when their content is modeled. */
class HtmlReportTest {
    static final String PROVENANCE_URL = "https://example.org/method";

    /** Every URL in the page is the one in the hand-made provenance text; nothing is loaded from anywhere. */
    static void assertSelfContained(String html) {
        int urls = count(html, "http://") + count(html, "https://");
        assertEquals(count(html, PROVENANCE_URL), urls, "only the provenance text names a URL");
        for (String loads : List.of("<script", "<link", " src=", " href=", "@import", "url(http")) {
            assertFalse(html.contains(loads), loads);
        }
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** Each inline {@code <svg>} element, as text. */
    static List<String> svgs(String html) {
        Matcher m = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
        List<String> all = new java.util.ArrayList<>();
        while (m.find()) {
            all.add(m.group());
        }
        return all;
    }

    @Test
    void runPageIsSelfContainedWithItsFiguresInlineAndSaysModeled(@TempDir Path dir) throws Exception {
        JsonNode r = ResultsFiles.readReport(HandMadeResults.runDir(dir, "jetson_nano", "modeled", true));
        FigureSet figures = RunFigures.of(r);
        String html = HtmlReport.run(r, figures);
        assertSelfContained(html);
        List<String> svgs = svgs(html);
        assertEquals(figures.figures().size(), svgs.size(), "every figure inline");
        for (String svg : svgs) {
            assertEquals("svg", ChartsTest.parse(svg).getDocumentElement().getNodeName());
        }
        assertTrue(html.contains("class=\"banner\">Modeled, not measured"), "the modeled banner");
        for (String part : List.of("<h2>Summary</h2>", "<h2>Energy</h2>", "<h2>NCC activity</h2>",
                "<h2>Resolved config</h2>", "<h2>Provenance</h2>", "Bandwidth saved 25.00%", "table_loads",
                "&quot;lanes&quot; : 32")) {
            assertTrue(html.contains(part), part);
        }
        assertEquals(html, HtmlReport.run(r, RunFigures.of(r)), "same inputs, same bytes");
    }

    @Test
    void capturedRunHasNoModeledBanner(@TempDir Path dir) {
        JsonNode r = ResultsFiles.readReport(HandMadeResults.runDir(dir, "rpi5", "captured", false));
        String html = HtmlReport.run(r, RunFigures.of(r));
        assertSelfContained(html);
        assertFalse(html.contains("class=\"banner\""));
        assertFalse(html.contains("not measured"), "no figure caption calls captured content modeled");
        assertTrue(html.contains("dram-bandwidth: report.json has no"), "the skipped figure is named");
    }

    @Test
    void sweepPageHasPointsFiguresSpecAndMarksTheParetoPoints(@TempDir Path dir) {
        Path sweep = HandMadeResults.sweepDir(dir, "modeled");
        List<SweepPoint> points = ResultsFiles.readResults(sweep);
        JsonNode spec = ResultsFiles.readSweep(sweep);
        FigureSet figures = SweepFigures.of(points, spec);
        String html = HtmlReport.sweep(points, spec, "sweeps/lanes.yaml", "axes:\n  ncc.decoder.lanes: [1, 8, 32]\n",
                figures);
        assertEquals(0, count(html, "http://") + count(html, "https://"));
        assertEquals(figures.figures().size(), svgs(html).size());
        assertTrue(html.contains("class=\"banner\""), "modeled points: the banner");
        assertTrue(html.contains("sweeps/lanes.yaml") && html.contains("ncc.decoder.lanes: [1, 8, 32]"));
        assertEquals(3, count(html, "<td>yes</td>"), "p0, p2 and p5 are Pareto-optimal");
        assertTrue(html.contains("<td>p0002-00000002</td><td>32</td><td>rpi5</td>"), "axes shown by value");
    }
}
