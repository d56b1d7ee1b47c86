package org.hpckernel.hpc.options;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean …?" for a mistyped option or config key: the closest known name, if close enough. */
public final class Suggestions {
    private Suggestions() {}

    /**
     * The name {@code typed} most likely stands for: the only candidate it abbreviates ("--cpus" is
     * --cpus-per-task, not --gpus), else the nearest by edit distance (with transpositions, so "tiem"
     * finds "time") if that is at most 2 and less than half the word. Case and leading dashes are
     * ignored: they are shared by all option names, and "--time" as a config key means "time".
     */
    public static Optional<String> closest(String typed, Collection<String> candidates) {
        String t = core(typed);
        // An abbreviation is not accepted as such (a later option could make it ambiguous) but
        // deserves to be pointed at its full name.
        if (t.length() >= 2) {
            var prefixed = candidates.stream().filter(c -> core(c).startsWith(t)).toList();
            if (prefixed.size() == 1) return Optional.of(prefixed.get(0));
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(t, core(candidate));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (best != null && bestDistance <= 2 && bestDistance * 2 < Math.max(t.length(), 2)) return Optional.of(best);
        return Optional.empty();
    }

    private static String core(String name) {
        return name.replaceFirst("^-+", "").toLowerCase(Locale.ROOT);
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
