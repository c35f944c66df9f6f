package io.nccsim.report;

/**
 * One figure of a report: the file name it is written under (without extension), the caption that goes under it
 * (saying when its content is modeled), and the chart.
 *
 * @param name    file stem, letters, digits, '-' and '_' (e.g. "energy-breakdown")
 * @param caption one or two sentences for the HTML page
 * @param chart   what to draw
 */
public record Figure(String name, String caption, Figures.Chart chart) {
    public Figure {
        if (!name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("a figure name of letters, digits, '-' and '_', got '" + name + "'");
        }
    }
}
