package org.hpckernel.kernel.history;

/**
 * The glob IPython's history search uses (SQLite GLOB): {@code *} any run of characters including
 * newlines, {@code ?} exactly one, everything else literal and case-sensitive, matched against the
 * whole input. Hand-written rather than turned into a regex so that patterns like {@code *a*a*a*b}
 * cannot backtrack exponentially on a long cell.
 */
final class Glob {
    private final String pattern;

    Glob(String pattern) {
        this.pattern = pattern;
    }

    boolean matches(String text) {
        int p = 0;
        int t = 0;
        int starP = -1; // position after the last '*' seen
        int starT = 0; // where in text that '*' currently stops
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))
                    && pattern.charAt(p) != '*') {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = ++p;
                starT = t;
            } else if (starP >= 0) {
                p = starP; // let the last '*' swallow one more character
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') p++;
        return p == pattern.length();
    }
}
