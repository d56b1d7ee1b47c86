package org.hpckernel.kernel;

/** Jupyter counts cursor positions in code points; Java strings index UTF-16 units. */
final class CodePoints {
    private CodePoints() {}

    static int toCharIndex(String s, int codePoint) {
        int cp = Math.max(0, Math.min(codePoint, s.codePointCount(0, s.length())));
        return s.offsetByCodePoints(0, cp);
    }

    static int toCodePoint(String s, int charIndex) {
        return s.codePointCount(0, Math.max(0, Math.min(charIndex, s.length())));
    }
}
