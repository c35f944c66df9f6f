package io.nccsim.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnitSource;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.List;
import java.util.Locale;

/**
 * Figures for the reports: XY charts with several named series, drawn by JFreeChart and written as SVG (vector,
 * through JFreeSVG) and PNG.
 *
 * <p>Made to be read in print: every series differs from the others by dash pattern and marker shape (filled and
 * hollow alternating), not by colour alone, so a grayscale copy still tells them apart; the colours are the
 * Okabe-Ito palette, which stays distinct for colour-blind readers. Text uses the logical fonts SansSerif (labels)
 * so that every JVM has them.
 *
 * <p>Deterministic: the same figure gives byte-identical SVG. JFreeSVG would otherwise prefix its definition ids
 * (clip paths) with a time stamp; here the prefix is fixed, the chart's id is fixed, and every number on an axis is
 * formatted in the root locale (not the machine's). Font metrics come from the JVM's fonts, so the same figure on
 * another machine may place text slightly differently. Titles, axis labels, legend and linear-axis numbers are SVG
 * text; the numbers of a logarithmic axis (10 with a raised exponent) are drawn as glyph outlines, as JFreeChart
 * draws every attributed string.
 *
 * <p>Runs headless: {@code java.awt.headless} is set to true when this class loads, unless set otherwise before.
 */
public final class Figures {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        // JFreeChart draws rotated text (the y axis label) as glyph outlines by default, a workaround for an old
        // JDK bug; turned off, the label is SVG text (searchable, selectable). Only this class draws charts.
        TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    /** How series are drawn. */
    public enum Style {
        /** Points joined by lines, with markers at the points: curves such as rate-distortion. */
        LINES_AND_MARKERS,
        /** Markers only. */
        SCATTER
    }

    /**
     * One named series of points, drawn in the given order.
     *
     * @param name shown in the legend
     * @param x    x values
     * @param y    y values, as many as x
     */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a series needs a name for the legend");
            }
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values, " + y.length
                        + " y values");
            }
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                    throw new IllegalArgumentException("series '" + name + "': point " + i + " is (" + x[i] + ", "
                            + y[i] + "); expected finite values");
                }
            }
            x = x.clone();
            y = y.clone();
        }

        @Override
        public double[] x() {
            return x.clone();
        }

        @Override
        public double[] y() {
            return y.clone();
        }
    }

    /**
     * An XY chart.
     *
     * @param title    the title above the chart ("" for none)
     * @param xLabel   the x axis label, with its unit, e.g. "rate (bits per value)"
     * @param yLabel   the y axis label, with its unit, e.g. "MSE (squared weight units)"
     * @param series   the series, at most {@link #MAX_SERIES}
     * @param style    lines with markers, or markers only
     * @param logX     logarithmic x axis (every x must then be positive)
     * @param logY     logarithmic y axis (every y must then be positive)
     * @param widthPx  width in pixels (SVG user units), 200..4000
     * @param heightPx height in pixels, 150..4000
     */
    public record XyChart(String title, String xLabel, String yLabel, List<Series> series, Style style, boolean logX,
                          boolean logY, int widthPx, int heightPx) {
        public XyChart {
            series = List.copyOf(series);
            if (series.isEmpty() || series.size() > MAX_SERIES) {
                throw new IllegalArgumentException("a chart takes 1.." + MAX_SERIES + " series, got " + series.size());
            }
            if (widthPx < 200 || widthPx > 4000 || heightPx < 150 || heightPx > 4000) {
                throw new IllegalArgumentException("chart size " + widthPx + " x " + heightPx
                        + " px; expected 200..4000 x 150..4000");
            }
            for (Series s : series) {
                for (int i = 0; i < s.x.length; i++) {
                    if ((logX && s.x[i] <= 0) || (logY && s.y[i] <= 0)) {
                        throw new IllegalArgumentException("series '" + s.name() + "': point " + i + " is ("
                                + s.x[i] + ", " + s.y[i] + "), not positive on a logarithmic axis");
                    }
                }
            }
        }

        /** Lines with markers, linear axes, 720 x 480 px. */
        public static XyChart lines(String title, String xLabel, String yLabel, List<Series> series) {
            return new XyChart(title, xLabel, yLabel, series, Style.LINES_AND_MARKERS, false, false, 720, 480);
        }

        public XyChart withLogY(boolean log) {
            return new XyChart(title, xLabel, yLabel, series, style, logX, log, widthPx, heightPx);
        }

        public XyChart withLogX(boolean log) {
            return new XyChart(title, xLabel, yLabel, series, style, log, logY, widthPx, heightPx);
        }

        public XyChart withStyle(Style s) {
            return new XyChart(title, xLabel, yLabel, series, s, logX, logY, widthPx, heightPx);
        }

        public XyChart withSize(int w, int h) {
            return new XyChart(title, xLabel, yLabel, series, style, logX, logY, w, h);
        }
    }

    /** Series a chart can tell apart: as many as there are dash patterns times marker kinds chosen below. */
    public static final int MAX_SERIES = 12;

    // Okabe & Ito (2008), "Color Universal Design": black, blue, vermillion, bluish green, reddish purple, orange,
    // sky blue, yellow (darkened here so that thin lines show on white).
    private static final Color[] COLORS = {new Color(0, 0, 0), new Color(0, 114, 178), new Color(213, 94, 0),
        new Color(0, 158, 115), new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233),
        new Color(170, 150, 0)};
    // Solid, dashed, dotted, dash-dot, long dash, dash-dot-dot: six patterns that survive grayscale printing.
    private static final float[][] DASHES = {null, {7f, 4f}, {2f, 3f}, {9f, 3f, 2f, 3f}, {14f, 5f},
        {9f, 3f, 2f, 3f, 2f, 3f}};
    private static final String FONT = "SansSerif";
    private static final float MARKER = 4.5f;

    private Figures() {
    }

    /** The JFreeChart chart of {@code c}, styled as described above; callers may adjust it before writing. */
    public static JFreeChart chart(XyChart c) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : c.series()) {
            XYSeries xy = new XYSeries(s.name(), false, true); // keep the given order: curves are drawn as listed
            for (int i = 0; i < s.x.length; i++) {
                xy.add(s.x[i], s.y[i]);
            }
            data.addSeries(xy);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(c.style() == Style.LINES_AND_MARKERS, true);
        renderer.setDrawOutlines(true);
        renderer.setUseFillPaint(true);
        for (int i = 0; i < c.series().size(); i++) {
            Color color = COLORS[i % COLORS.length];
            float[] dash = DASHES[i % DASHES.length];
            renderer.setSeriesPaint(i, color);
            renderer.setSeriesOutlinePaint(i, color);
            renderer.setSeriesStroke(i, new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    dash, 0f));
            renderer.setSeriesOutlineStroke(i, new BasicStroke(1.2f));
            renderer.setSeriesShape(i, marker(i));
            // Hollow markers for odd series: shape, fill and dash together keep twelve series apart in gray.
            boolean hollow = i % 2 == 1;
            renderer.setSeriesFillPaint(i, hollow ? Color.WHITE : color);
        }
        ValueAxis x = axis(c.xLabel(), c.logX());
        ValueAxis y = axis(c.yLabel(), c.logY());
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(200, 200, 200));
        plot.setRangeGridlinePaint(new Color(200, 200, 200));
        plot.setOutlinePaint(Color.DARK_GRAY);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        JFreeChart chart = new JFreeChart(c.title().isEmpty() ? null : c.title(),
                new Font(FONT, Font.BOLD, 15), plot, true);
        chart.setID("nccsim-figure");
        chart.setElementHinting(false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        LegendTitle legend = chart.getLegend();
        legend.setItemFont(new Font(FONT, Font.PLAIN, 12));
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        return chart;
    }

    private static ValueAxis axis(String label, boolean log) {
        ValueAxis a;
        if (log) {
            LogAxis l = new LogAxis(label);
            l.setSmallestValue(1e-300);
            // Ticks read "10" with the exponent raised; both numbers in the root locale.
            DecimalFormat integer = new DecimalFormat("0", DecimalFormatSymbols.getInstance(Locale.ROOT));
            l.setBaseFormatter(integer);
            l.setStandardTickUnits(new NumberTickUnitSource(true, integer));
            // Marks at 2..9 times each power of ten, as on log paper: decades alone are too sparse to read values.
            l.setMinorTickCount(9);
            l.setMinorTickMarksVisible(true);
            a = l;
        } else {
            NumberAxis n = new NumberAxis(label);
            n.setAutoRangeIncludesZero(false);
            n.setNumberFormatOverride(new RootFormat());
            a = n;
        }
        a.setLabelFont(new Font(FONT, Font.PLAIN, 13));
        a.setTickLabelFont(new Font(FONT, Font.PLAIN, 11));
        a.setLabelPaint(Color.BLACK);
        a.setTickLabelPaint(Color.BLACK);
        return a;
    }

    /** Circle, square, up triangle, diamond, down triangle, cross: shape i of a chart. */
    private static Shape marker(int i) {
        float s = MARKER;
        return switch (i % 6) {
            case 0 -> new Ellipse2D.Double(-s, -s, 2 * s, 2 * s);
            case 1 -> new Rectangle2D.Double(-s, -s, 2 * s, 2 * s);
            case 2 -> ShapeUtils.createUpTriangle(s + 0.5f);
            case 3 -> ShapeUtils.createDiamond(s + 0.5f);
            case 4 -> ShapeUtils.createDownTriangle(s + 0.5f);
            default -> ShapeUtils.createDiagonalCross(s, 1.2f);
        };
    }

    /** The figure as an SVG document (UTF-8 text). */
    public static String svg(XyChart c) {
        JFreeChart chart = chart(c);
        SVGGraphics2D g2 = new SVGGraphics2D(c.widthPx(), c.heightPx());
        g2.setDefsKeyPrefix("nccsim-"); // JFreeSVG's default prefix is a time stamp: fixed here for identical output
        chart.draw(g2, new Rectangle2D.Double(0, 0, c.widthPx(), c.heightPx()));
        return g2.getSVGDocument();
    }

    /** Writes the figure as SVG to {@code file}. */
    public static void writeSvg(XyChart c, Path file) {
        try {
            createParent(file);
            Files.writeString(file, svg(c), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the figure as PNG to {@code file}, at its size in pixels. */
    public static void writePng(XyChart c, Path file) {
        try {
            createParent(file);
            ChartUtils.saveChartAsPNG(file.toFile(), chart(c), c.widthPx(), c.heightPx());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The figure as PNG bytes, at its size in pixels (for writing with other report files at once). */
    public static byte[] png(XyChart c) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ChartUtils.writeChartAsPNG(out, chart(c), c.widthPx(), c.heightPx());
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw a PNG: " + e.getMessage(), e);
        }
    }

    /** Writes {@code base.svg} and {@code base.png} beside each other, e.g. base = reports/learned/rd-stories260K. */
    public static void write(XyChart c, Path base) {
        writeSvg(c, base.resolveSibling(base.getFileName() + ".svg"));
        writePng(c, base.resolveSibling(base.getFileName() + ".png"));
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    /**
     * Axis numbers in the root locale, whatever the machine's: plain decimals from 0.001 to 10^6, otherwise
     * scientific ("2.5E-5"), so that a figure reads the same and its SVG is the same everywhere.
     */
    private static final class RootFormat extends NumberFormat {
        private static final long serialVersionUID = 1L;
        private final DecimalFormat plain = new DecimalFormat("0.####", DecimalFormatSymbols.getInstance(Locale.ROOT));
        private final DecimalFormat sci = new DecimalFormat("0.##E0", DecimalFormatSymbols.getInstance(Locale.ROOT));

        @Override
        public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
            double a = Math.abs(number);
            boolean plainRange = a == 0 || (a >= 1e-3 && a < 1e6);
            return (plainRange ? plain : sci).format(number, toAppendTo, pos);
        }

        @Override
        public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
            return format((double) number, toAppendTo, pos);
        }

        @Override
        public Number parse(String source, ParsePosition parsePosition) {
            return plain.parse(source, parsePosition);
        }
    }
}
