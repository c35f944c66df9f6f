package io.nccsim.report;

import java.util.List;

/**
 * The figures made from one set of results, and a note for each figure that could not be made (the data it needs
 * is absent, e.g. a report from before time series were recorded).
 */
public record FigureSet(List<Figure> figures, List<String> skipped) {
    public FigureSet {
        figures = List.copyOf(figures);
        skipped = List.copyOf(skipped);
    }
}
