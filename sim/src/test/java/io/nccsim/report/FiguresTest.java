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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FiguresTest {
    private static Figures.XyChart rd() {
        return Figures.XyChart.lines("Rate-distortion", "rate (bits per value)", "MSE (squared weight units)",
                List.of(new Figures.Series("quant sym + Huffman", new double[]{1.5, 2.4, 3.3}, new double[]{1e-3, 3e-4, 8e-5}),
                        new Figures.Series("autoencoder", new double[]{1.2, 2.0, 3.1}, new double[]{9e-4, 4e-4, 1e-4}),
                        new Figures.Series("quant asym", new double[]{2.5, 3.5}, new double[]{5e-4, 1.2e-4})))
                .withLogY(true);
    }

    @Test
    void writesValidSvgAndPng(@TempDir Path dir) throws Exception {
        Figures.write(rd(), dir.resolve("sub/rd"));
        Path svg = dir.resolve("sub/rd.svg");
        Path png = dir.resolve("sub/rd.png");
        Document doc = parse(Files.readAllBytes(svg));
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        for (String label : List.of("autoencoder", "quant sym + Huffman", "rate (bits per value)",
                "MSE (squared weight units)", "Rate-distortion")) {
            assertTrue(text.contains(label), label);
        }
        assertTrue(text.contains("stroke-dasharray"), "series differ by dash pattern, not only colour");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "ImageIO reads the PNG");
        assertEquals(720, img.getWidth());
        assertEquals(480, img.getHeight());
        assertTrue(Files.size(png) > 5000, "a drawn chart, not an empty image");
    }

    @Test
    void svgIsByteIdenticalAcrossWrites(@TempDir Path dir) throws Exception {
        Figures.writeSvg(rd(), dir.resolve("a.svg"));
        Figures.writeSvg(rd(), dir.resolve("b.svg"));
        byte[] a = Files.readAllBytes(dir.resolve("a.svg"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b.svg")));
        assertTrue(new String(a, StandardCharsets.UTF_8).contains("nccsim-"), "the fixed definitions prefix");
        // A scatter and a linear chart parse too.
        String scatter = Figures.svg(rd().withStyle(Figures.Style.SCATTER).withLogY(false).withSize(400, 300));
        assertEquals("svg", parse(scatter.getBytes(StandardCharsets.UTF_8)).getDocumentElement().getLocalName());
        assertTrue(scatter.contains("width='400.0' height='300.0'"), "the requested size");
    }

    /** Parses as XML, without fetching the SVG DTD that the DOCTYPE names (no network in tests). */
    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    @Test
    void refusesWhatCannotBeDrawn() {
        List<Figures.Series> zero = List.of(new Figures.Series("s", new double[]{1}, new double[]{0}));
        assertThrows(IllegalArgumentException.class, () -> Figures.XyChart.lines("", "x", "y", zero).withLogY(true));
        assertThrows(IllegalArgumentException.class,
                () -> new Figures.Series("s", new double[]{1, 2}, new double[]{1}));
        assertThrows(IllegalArgumentException.class,
                () -> new Figures.Series("s", new double[]{Double.NaN}, new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> Figures.XyChart.lines("", "x", "y", List.of()));
    }
}
