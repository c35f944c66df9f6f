package io.nccsim.config;

import org.apache.commons.text.similarity.LevenshteinDistance;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" hints: most config mistakes are typos of a key or a choice the program knows. */
final class Suggest {
    private Suggest() {
    }

    /**
     * The candidate closest to {@code typed} by edit distance (ignoring case), or {@code null} if none is close enough
     * to be a plausible typo: a wild guess would mislead more than it helps.
     */
    static String closest(String typed, Collection<String> candidates) {
        String t = typed.toLowerCase(Locale.ROOT);
        int limit = Math.max(1, Math.min(3, t.length() / 3 + 1));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = LevenshteinDistance.getDefaultInstance().apply(t, c.toLowerCase(Locale.ROOT));
            if (d <= limit && d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    /** {@code "; did you mean 'x'?"} or the empty string. */
    static String hint(String typed, Collection<String> candidates) {
        String c = closest(typed, candidates);
        return c == null ? "" : "; did you mean '" + c + "'?";
    }
}
