package org.hpckernel.eval;

/** How many braces are open at the end of some code, ignoring strings and comments. */
final class BraceDepth {
    private BraceDepth() {}

    static int of(String code) {
        int depth = 0;
        int i = 0;
        int n = code.length();
        while (i < n) {
            char c = code.charAt(i);
            if (c == '/' && i + 1 < n && code.charAt(i + 1) == '/') {
                i = skipTo(code, i + 2, "\n");
            } else if (c == '/' && i + 1 < n && code.charAt(i + 1) == '*') {
                i = skipTo(code, i + 2, "*/");
            } else if (code.startsWith("\"\"\"", i)) {
                i = skipTo(code, i + 3, "\"\"\"");
            } else if (c == '"' || c == '\'') {
                i = skipQuoted(code, i + 1, c);
            } else {
                if (c == '{') {
                    depth++;
                } else if (c == '}' && depth > 0) {
                    depth--;
                }
                i++;
            }
        }
        return depth;
    }

    private static int skipTo(String code, int from, String end) {
        int at = code.indexOf(end, from);
        return at < 0 ? code.length() : at + end.length();
    }

    private static int skipQuoted(String code, int from, char quote) {
        int i = from;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote || c == '\n') {
                return i + 1;
            } else {
                i++;
            }
        }
        return i;
    }
}
