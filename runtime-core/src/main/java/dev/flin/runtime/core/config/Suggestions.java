package dev.flin.runtime.core.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** "Did you mean": the known names closest to an unknown one. Stateless; any thread. */
final class Suggestions {

    private Suggestions() {
    }

    /**
     * @param unknown a name nobody declared, without dashes in front
     * @param known the declared names
     * @return those that extend it ({@code jdbc} → {@code jdbc-url}, {@code jdbc-user}, ...) or, if
     *     none does, those at the smallest edit distance (insertions, deletions, substitutions and
     *     transpositions of neighbours) if it is small for the name's length; in declaration order
     */
    static List<String> closest(final String unknown, final Collection<String> known) {
        final List<String> extending = new ArrayList<>();
        for (final String name : known) {
            if (name.startsWith(unknown + "-")) {
                extending.add(name);
            }
        }
        if (!extending.isEmpty()) {
            return extending;
        }
        final int allowed = Math.max(1, Math.min(3, unknown.length() / 3));
        int best = Integer.MAX_VALUE;
        final List<String> closest = new ArrayList<>();
        for (final String name : known) {
            final int d = distance(unknown, name);
            if (d > allowed || d > best) {
                continue;
            }
            if (d < best) {
                best = d;
                closest.clear();
            }
            closest.add(name);
        }
        return closest;
    }

    /** @return the optimal-string-alignment distance (Damerau-Levenshtein without repeated edits of a substring) */
    static int distance(final String a, final String b) {
        final int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
