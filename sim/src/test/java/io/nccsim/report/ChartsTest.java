package io.nccsim.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bar, stacked-bar, Pareto and category-axis charts: valid SVG and PNG, identical bytes, refusals. */
class ChartsTest {
    static Figures.BarChart stacked() {
        return Figures.BarChart.stacked("Energy by component", "", "energy (J)", List.of("baseline", "NCC"),
                List.of(new Figures.BarSeries("processor", new double[]{0.07, 0.06}),
                        new Figures.BarSeries("dram", new double[]{0.03, 0.02}),
                        new Figures.BarSeries("ncc", new double[]{0.0, 0.01})));
    }

    static Figures.ParetoChart pareto() {
        return Figures.ParetoChart.of("Designs", "throughput (tokens/s, higher is better)",
                "energy (J, lower is better)",
                List.of(new Figures.Series("lanes=8", new double[]{10, 12, 30}, new double[]{0.5, 0.7, 0.6}),
                        new Figures.Series("lanes=32", new double[]{9, 25, 40}, new double[]{0.55, 0.8, 0.9})),
                new Figures.Series("Pareto-optimal (joined)", new double[]{10, 30, 40}, new double[]{0.5, 0.6, 0.9}));
    }

    @Test
    void everyKindOfChartIsValidSvgAndPng(@TempDir Path dir) throws Exception {
        List<Figures.Chart> charts = List.of(stacked(), stacked().withHorizontal(true),
                Figures.BarChart.grouped("g", "board", "saved (%)", List.of("a", "b", "c"),
                        List.of(new Figures.BarSeries("x", new double[]{1, -2, 3}))), pareto(),
                Figures.XyChart.lines("cat", "board", "y (J)", List.of(new Figures.Series("s", new double[]{0, 2},
                        new double[]{1, 2}))).withXCategories(List.of("rpi4", "rpi5", "jetson_nano")));
        int i = 0;
        for (Figures.Chart c : charts) {
            Path base = dir.resolve("c" + i++);
            Figures.write(c, base);
            byte[] svg = Files.readAllBytes(dir.resolve(base.getFileName() + ".svg"));
            assertEquals("svg", parse(svg).getDocumentElement().getLocalName());
            BufferedImage img = ImageIO.read(dir.resolve(base.getFileName() + ".png").toFile());
            assertNotNull(img);
            assertEquals(c.widthPx(), img.getWidth());
            assertEquals(c.heightPx(), img.getHeight());
            assertNotNull(ImageIO.read(new ByteArrayInputStream(Figures.png(c))), "png() bytes are a PNG too");
        }
        String cat = Files.readString(dir.resolve("c4.svg"));
        assertTrue(cat.contains("jetson_nano"), "a category x axis names its values");
        String p = Figures.svg(pareto());
        assertTrue(p.contains("Pareto-optimal (joined)") && p.contains("lanes=32"), "legend names series and front");
    }

    @Test
    void svgBytesAreIdenticalAndInlineSvgHasNoUrlAndItsOwnIds() {
        assertEquals(Figures.svg(stacked()), Figures.svg(stacked()));
        assertEquals(Figures.svg(pareto()), Figures.svg(pareto()));
        String a = Figures.inlineSvg(stacked(), "run-0");
        String b = Figures.inlineSvg(stacked(), "run-1");
        assertEquals(a, Figures.inlineSvg(stacked(), "run-0"));
        assertFalse(a.contains("http://") || a.contains("https://"), a.substring(0, 200));
        assertTrue(a.startsWith("<svg ") && a.contains("viewBox='0 0 720 480'"), a.substring(0, 120));
        assertTrue(a.contains("id='nccsim-run-0-clip-0'") && b.contains("id='nccsim-run-1-clip-0'"),
                "clip-path ids differ between figures of one page");
        assertThrows(IllegalArgumentException.class, () -> Figures.inlineSvg(stacked(), "a b"));
    }

    @Test
    void refusesBarsThatGrayscaleCannotTellApartOrThatDoNotFit() {
        List<Figures.BarSeries> five = List.of(new Figures.BarSeries("1", new double[]{1}),
                new Figures.BarSeries("2", new double[]{1}), new Figures.BarSeries("3", new double[]{1}),
                new Figures.BarSeries("4", new double[]{1}), new Figures.BarSeries("5", new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> Figures.BarChart.grouped("", "", "v", List.of("a"), five));
        assertThrows(IllegalArgumentException.class, () -> Figures.BarChart.grouped("", "", "v", List.of("a", "b"),
                List.of(new Figures.BarSeries("s", new double[]{1}))));
        assertThrows(IllegalArgumentException.class, () -> Figures.BarChart.grouped("", "", "v", List.of("a", "a"),
                List.of(new Figures.BarSeries("s", new double[]{1, 2}))));
        assertThrows(IllegalArgumentException.class, () -> Figures.XyChart.lines("", "x", "y",
                List.of(new Figures.Series("s", new double[]{0.5}, new double[]{1}))).withXCategories(List.of("a")));
    }

    static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    static Document parse(String xml) throws Exception {
        return parse(xml.getBytes(StandardCharsets.UTF_8));
    }
}
