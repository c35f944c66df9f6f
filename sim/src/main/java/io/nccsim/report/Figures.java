package io.nccsim.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnitSource;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.category.DefaultCategoryDataset;
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
 * Figures for the reports: XY charts with several named series, bar charts (grouped or stacked) and Pareto scatters,
 * drawn by JFreeChart and written as SVG (vector, through JFreeSVG) and PNG.
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
 * <p>Bars tell their series apart by lightness (dark, middle, light, white, each outlined in black), so a chart
 * takes at most {@link #MAX_BAR_SERIES} bar series; more series belong on an XY chart, whose x axis may name
 * categories ({@link XyChart#xCategories()}).
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
        SCATTER,
        /** Lines alone (dash patterns tell series apart): dense series such as a time series. */
        LINES
    }

    /** A chart this class can draw: an {@link XyChart}, a {@link BarChart} or a {@link ParetoChart}. */
    public sealed interface Chart permits XyChart, BarChart, ParetoChart {
        String title();

        int widthPx();

        int heightPx();
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
     * @param title       the title above the chart ("" for none)
     * @param xLabel      the x axis label, with its unit, e.g. "rate (bits per value)"
     * @param yLabel      the y axis label, with its unit, e.g. "MSE (squared weight units)"
     * @param series      the series, at most {@link #MAX_SERIES}
     * @param style       lines with markers, markers only, or lines only
     * @param logX        logarithmic x axis (every x must then be positive)
     * @param logY        logarithmic y axis (every y must then be positive)
     * @param widthPx     width in pixels (SVG user units), 200..4000
     * @param heightPx    height in pixels, 150..4000
     * @param xCategories empty for a numeric x axis; otherwise the names of x = 0, 1, 2, ... (a sweep axis whose
     *                    values are words or files), and every x must be one of those indices
     */
    public record XyChart(String title, String xLabel, String yLabel, List<Series> series, Style style, boolean logX,
                          boolean logY, int widthPx, int heightPx, List<String> xCategories) implements Chart {
        public XyChart {
            series = List.copyOf(series);
            xCategories = List.copyOf(xCategories);
            if (series.isEmpty() || series.size() > MAX_SERIES) {
                throw new IllegalArgumentException("a chart takes 1.." + MAX_SERIES + " series, got " + series.size());
            }
            checkSize(widthPx, heightPx);
            if (!xCategories.isEmpty() && logX) {
                throw new IllegalArgumentException("a category x axis cannot be logarithmic");
            }
            for (Series s : series) {
                for (int i = 0; i < s.x.length; i++) {
                    if ((logX && s.x[i] <= 0) || (logY && s.y[i] <= 0)) {
                        throw new IllegalArgumentException("series '" + s.name() + "': point " + i + " is ("
                                + s.x[i] + ", " + s.y[i] + "), not positive on a logarithmic axis");
                    }
                    if (!xCategories.isEmpty() && (s.x[i] != Math.rint(s.x[i]) || s.x[i] < 0
                            || s.x[i] >= xCategories.size())) {
                        throw new IllegalArgumentException("series '" + s.name() + "': x = " + s.x[i]
                                + " is not the index of one of the " + xCategories.size() + " categories");
                    }
                }
            }
        }

        /** A chart with a numeric x axis. */
        public XyChart(String title, String xLabel, String yLabel, List<Series> series, Style style, boolean logX,
                       boolean logY, int widthPx, int heightPx) {
            this(title, xLabel, yLabel, series, style, logX, logY, widthPx, heightPx, List.of());
        }

        /** Lines with markers, linear axes, 720 x 480 px. */
        public static XyChart lines(String title, String xLabel, String yLabel, List<Series> series) {
            return new XyChart(title, xLabel, yLabel, series, Style.LINES_AND_MARKERS, false, false, 720, 480);
        }

        public XyChart withLogY(boolean log) {
            return new XyChart(title, xLabel, yLabel, series, style, logX, log, widthPx, heightPx, xCategories);
        }

        public XyChart withLogX(boolean log) {
            return new XyChart(title, xLabel, yLabel, series, style, log, logY, widthPx, heightPx, xCategories);
        }

        public XyChart withStyle(Style s) {
            return new XyChart(title, xLabel, yLabel, series, s, logX, logY, widthPx, heightPx, xCategories);
        }

        public XyChart withSize(int w, int h) {
            return new XyChart(title, xLabel, yLabel, series, style, logX, logY, w, h, xCategories);
        }

        /** The x axis names its values: x = i is drawn as {@code categories.get(i)}. */
        public XyChart withXCategories(List<String> categories) {
            return new XyChart(title, xLabel, yLabel, series, style, logX, logY, widthPx, heightPx, categories);
        }
    }

    /**
     * One named series of bars: one value per category of its chart.
     *
     * @param name   shown in the legend
     * @param values one finite value per category
     */
    public record BarSeries(String name, double[] values) {
        public BarSeries {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a bar series needs a name for the legend");
            }
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    throw new IllegalArgumentException("bar series '" + name + "': value " + i + " is " + values[i]
                            + "; expected a finite value");
                }
            }
            values = values.clone();
        }

        @Override
        public double[] values() {
            return values.clone();
        }
    }

    /**
     * A bar chart: one group of bars per category, one bar per series (or one stacked bar per category, the series
     * stacked in order from the axis outwards).
     *
     * @param title         the title above the chart ("" for none)
     * @param categoryLabel the category axis label ("" for none)
     * @param valueLabel    the value axis label, with its unit, e.g. "energy (J)"
     * @param categories    the category names, in drawing order
     * @param series        1..{@link #MAX_BAR_SERIES} series, each with one value per category
     * @param stacked       stack the series instead of placing their bars side by side
     * @param horizontal    bars run left to right (long category names read better)
     * @param widthPx       width in pixels, 200..4000
     * @param heightPx      height in pixels, 150..4000
     */
    public record BarChart(String title, String categoryLabel, String valueLabel, List<String> categories,
                           List<BarSeries> series, boolean stacked, boolean horizontal, int widthPx, int heightPx)
            implements Chart {
        public BarChart {
            categories = List.copyOf(categories);
            series = List.copyOf(series);
            if (categories.isEmpty()) {
                throw new IllegalArgumentException("a bar chart needs at least one category");
            }
            if (categories.stream().distinct().count() != categories.size()) {
                throw new IllegalArgumentException("bar chart categories repeat: " + categories);
            }
            if (series.isEmpty() || series.size() > MAX_BAR_SERIES) {
                throw new IllegalArgumentException("a bar chart takes 1.." + MAX_BAR_SERIES + " series, got "
                        + series.size());
            }
            for (BarSeries s : series) {
                if (s.values.length != categories.size()) {
                    throw new IllegalArgumentException("bar series '" + s.name() + "': " + s.values.length
                            + " values for " + categories.size() + " categories");
                }
            }
            checkSize(widthPx, heightPx);
        }

        /** Side-by-side vertical bars, 720 x 480 px. */
        public static BarChart grouped(String title, String categoryLabel, String valueLabel, List<String> categories,
                                       List<BarSeries> series) {
            return new BarChart(title, categoryLabel, valueLabel, categories, series, false, false, 720, 480);
        }

        /** Stacked vertical bars, 720 x 480 px. */
        public static BarChart stacked(String title, String categoryLabel, String valueLabel, List<String> categories,
                                       List<BarSeries> series) {
            return new BarChart(title, categoryLabel, valueLabel, categories, series, true, false, 720, 480);
        }

        public BarChart withHorizontal(boolean h) {
            return new BarChart(title, categoryLabel, valueLabel, categories, series, stacked, h, widthPx, heightPx);
        }

        public BarChart withSize(int w, int h) {
            return new BarChart(title, categoryLabel, valueLabel, categories, series, stacked, horizontal, w, h);
        }
    }

    /**
     * A Pareto scatter: every design as a marker (one series per group of designs), and the Pareto-optimal ones
     * marked again with a larger black marker and joined by a solid black line, in the order given (sorted by x by
     * {@link ParetoFront}).
     *
     * @param title    the title above the chart ("" for none)
     * @param xLabel   x axis label with its unit and which way is better, e.g. "decode throughput (tokens/s, higher
     *                 is better)"
     * @param yLabel   y axis label likewise
     * @param points   the designs, 1..{@link #MAX_SERIES} - 1 series
     * @param front    the Pareto-optimal designs, named for the legend (e.g. "Pareto front")
     * @param widthPx  width in pixels, 200..4000
     * @param heightPx height in pixels, 150..4000
     */
    public record ParetoChart(String title, String xLabel, String yLabel, List<Series> points, Series front,
                              int widthPx, int heightPx) implements Chart {
        public ParetoChart {
            points = List.copyOf(points);
            if (points.isEmpty() || points.size() > MAX_SERIES - 1) {
                throw new IllegalArgumentException("a Pareto chart takes 1.." + (MAX_SERIES - 1)
                        + " point series, got " + points.size());
            }
            if (front.x.length == 0) {
                throw new IllegalArgumentException("a Pareto front has at least one point");
            }
            checkSize(widthPx, heightPx);
        }

        /** 720 x 480 px. */
        public static ParetoChart of(String title, String xLabel, String yLabel, List<Series> points, Series front) {
            return new ParetoChart(title, xLabel, yLabel, points, front, 720, 480);
        }
    }

    private static void checkSize(int widthPx, int heightPx) {
        if (widthPx < 200 || widthPx > 4000 || heightPx < 150 || heightPx > 4000) {
            throw new IllegalArgumentException("chart size " + widthPx + " x " + heightPx
                    + " px; expected 200..4000 x 150..4000");
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
    /** Bar series a chart can tell apart in grayscale: the lightness steps of {@link #BAR_FILLS}. */
    public static final int MAX_BAR_SERIES = 4;
    // Bar fills ordered by lightness so that grayscale keeps them apart (relative luminance roughly 0.06, 0.25,
    // 0.45, 1.0): dark blue, vermillion, orange-yellow (Okabe-Ito hues, darkened or lightened), white; every bar is
    // outlined in black, so even the white one shows.
    private static final Color[] BAR_FILLS = {new Color(0, 60, 120), new Color(213, 94, 0), new Color(240, 200, 90),
        new Color(255, 255, 255)};
    private static final String FONT = "SansSerif";
    private static final float MARKER = 4.5f;

    private Figures() {
    }

    /** The JFreeChart chart of {@code c}, styled as described above; callers may adjust it before writing. */
    public static JFreeChart chart(Chart c) {
        if (c instanceof XyChart xy) {
            return xyChart(xy);
        }
        if (c instanceof BarChart bar) {
            return barChart(bar);
        }
        return paretoChart((ParetoChart) c);
    }

    private static JFreeChart xyChart(XyChart c) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : c.series()) {
            XYSeries xy = new XYSeries(s.name(), false, true); // keep the given order: curves are drawn as listed
            for (int i = 0; i < s.x.length; i++) {
                xy.add(s.x[i], s.y[i]);
            }
            data.addSeries(xy);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(c.style() != Style.SCATTER,
                c.style() != Style.LINES);
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
        ValueAxis x = c.xCategories().isEmpty() ? axis(c.xLabel(), c.logX()) : symbolAxis(c.xLabel(), c.xCategories());
        ValueAxis y = axis(c.yLabel(), c.logY());
        return finish(xyPlot(data, x, y, renderer), c.title());
    }

    private static XYPlot xyPlot(XYSeriesCollection data, ValueAxis x, ValueAxis y, XYLineAndShapeRenderer renderer) {
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(200, 200, 200));
        plot.setRangeGridlinePaint(new Color(200, 200, 200));
        plot.setOutlinePaint(Color.DARK_GRAY);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        return plot;
    }

    private static JFreeChart finish(org.jfree.chart.plot.Plot plot, String title) {
        JFreeChart chart = new JFreeChart(title.isEmpty() ? null : title, new Font(FONT, Font.BOLD, 15), plot, true);
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

    private static JFreeChart barChart(BarChart c) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (BarSeries s : c.series()) {
            for (int i = 0; i < c.categories().size(); i++) {
                data.addValue(s.values[i], s.name(), c.categories().get(i));
            }
        }
        BarRenderer renderer = c.stacked() ? new StackedBarRenderer() : new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter()); // flat fills: no gradient, no shadow
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(true);
        renderer.setItemMargin(0.04);
        for (int i = 0; i < c.series().size(); i++) {
            renderer.setSeriesPaint(i, BAR_FILLS[i]);
            renderer.setSeriesOutlinePaint(i, Color.BLACK);
            renderer.setSeriesOutlineStroke(i, new BasicStroke(0.8f));
        }
        CategoryAxis categories = new CategoryAxis(c.categoryLabel().isEmpty() ? null : c.categoryLabel());
        categories.setLabelFont(new Font(FONT, Font.PLAIN, 13));
        categories.setTickLabelFont(new Font(FONT, Font.PLAIN, 11));
        categories.setTickLabelPaint(Color.BLACK);
        categories.setMaximumCategoryLabelLines(2);
        categories.setCategoryMargin(0.15);
        if (!c.horizontal() && c.categories().size() > 8) {
            categories.setCategoryLabelPositions(CategoryLabelPositions.UP_45); // many names: slanted, not cut
        }
        NumberAxis values = (NumberAxis) axis(c.valueLabel(), false);
        values.setAutoRangeIncludesZero(true); // a bar's length is its value
        CategoryPlot plot = new CategoryPlot(data, categories, values, renderer);
        plot.setOrientation(c.horizontal() ? PlotOrientation.HORIZONTAL : PlotOrientation.VERTICAL);
        plot.setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_LEFT); // values below or left, as read
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(200, 200, 200));
        plot.setOutlinePaint(Color.DARK_GRAY);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        return finish(plot, c.title());
    }

    private static JFreeChart paretoChart(ParetoChart c) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<Series> all = new java.util.ArrayList<>(c.points());
        all.add(c.front());
        for (Series s : all) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (int i = 0; i < s.x.length; i++) {
                xy.add(s.x[i], s.y[i]);
            }
            data.addSeries(xy);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        renderer.setDrawOutlines(true);
        renderer.setUseFillPaint(true);
        for (int i = 0; i < c.points().size(); i++) {
            // Series 0 would be black like the front: the designs start at the second colour.
            Color color = COLORS[(i + 1) % COLORS.length];
            renderer.setSeriesPaint(i, color);
            renderer.setSeriesOutlinePaint(i, color);
            renderer.setSeriesOutlineStroke(i, new BasicStroke(1.2f));
            renderer.setSeriesShape(i, marker(i + 1)); // the front's circle is its own
            renderer.setSeriesFillPaint(i, Color.WHITE); // hollow: the front's filled markers stand out on top
        }
        int f = c.points().size();
        renderer.setSeriesLinesVisible(f, true);
        renderer.setSeriesPaint(f, Color.BLACK);
        renderer.setSeriesOutlinePaint(f, Color.BLACK);
        renderer.setSeriesFillPaint(f, Color.BLACK);
        renderer.setSeriesStroke(f, new BasicStroke(2.0f));
        float big = MARKER * 0.85f;
        renderer.setSeriesShape(f, new Ellipse2D.Double(-big, -big, 2 * big, 2 * big));
        XYPlot plot = xyPlot(data, axis(c.xLabel(), false), axis(c.yLabel(), false), renderer);
        // JFreeChart draws the last series first by default; the front is last and must be drawn on top.
        plot.setSeriesRenderingOrder(org.jfree.chart.plot.SeriesRenderingOrder.FORWARD);
        return finish(plot, c.title());
    }

    private static ValueAxis symbolAxis(String label, List<String> categories) {
        SymbolAxis a = new SymbolAxis(label, categories.toArray(new String[0]));
        a.setGridBandsVisible(false);
        a.setLabelFont(new Font(FONT, Font.PLAIN, 13));
        a.setTickLabelFont(new Font(FONT, Font.PLAIN, 11));
        a.setLabelPaint(Color.BLACK);
        a.setTickLabelPaint(Color.BLACK);
        if (categories.size() > 6) {
            a.setVerticalTickLabels(true);
        }
        return a;
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
    public static String svg(Chart c) {
        return draw(c, "nccsim-").getSVGDocument();
    }

    /**
     * The figure as an {@code <svg>} element to place inside an HTML page: no XML prolog, no DOCTYPE and no
     * namespace declarations (HTML puts inline SVG in its namespace itself, and a page then names no URL), and
     * definition ids prefixed with {@code nccsim-<idPrefix>-} so that several figures on one page keep their clip
     * paths apart.
     *
     * @param idPrefix letters, digits and '-' only, unique on the page
     */
    public static String inlineSvg(Chart c, String idPrefix) {
        if (!idPrefix.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("an SVG id prefix of letters, digits and '-', got '" + idPrefix + "'");
        }
        String element = draw(c, "nccsim-" + idPrefix + "-").getSVGElement();
        int open = element.indexOf('>');
        // The namespace declarations go (JFreeSVG writes them with either quote); a viewBox lets the page scale it.
        String tag = element.substring(0, open).replaceAll("\\s+xmlns(:[A-Za-z]+)?=(['\"])[^'\"]*\\2", "");
        return tag + " viewBox='0 0 " + c.widthPx() + " " + c.heightPx() + "'" + element.substring(open);
    }

    private static SVGGraphics2D draw(Chart c, String defsPrefix) {
        JFreeChart chart = chart(c);
        SVGGraphics2D g2 = new SVGGraphics2D(c.widthPx(), c.heightPx());
        g2.setDefsKeyPrefix(defsPrefix); // JFreeSVG's default prefix is a time stamp: fixed here for identical output
        chart.draw(g2, new Rectangle2D.Double(0, 0, c.widthPx(), c.heightPx()));
        return g2;
    }

    /** The figure as PNG bytes, at its size in pixels. */
    public static byte[] png(Chart c) {
        try {
            return ChartUtils.encodeAsPNG(chart(c).createBufferedImage(c.widthPx(), c.heightPx()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG: " + e.getMessage(), e);
        }
    }

    /** Writes the figure as SVG to {@code file}. */
    public static void writeSvg(Chart c, Path file) {
        try {
            createParent(file);
            Files.writeString(file, svg(c), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the figure as PNG to {@code file}, at its size in pixels. */
    public static void writePng(Chart c, Path file) {
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
    public static void write(Chart c, Path base) {
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
