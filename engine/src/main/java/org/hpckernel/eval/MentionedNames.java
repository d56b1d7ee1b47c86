package org.hpckernel.eval;

import java.util.HashSet;
import java.util.Set;

/**
 * The identifiers a piece of Java text uses, outside string and character literals and comments.
 * A simple name can only resolve to a session declaration if it is written in the text, so these
 * are the only declarations a cell needs imported. Taking a few words too many (a field after a
 * dot, a keyword) only adds an import JShell would have had anyway.
 */
final class MentionedNames {
    private MentionedNames() {}

    static Set<String> of(String text) {
        Set<String> names = new HashSet<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                i = literalEnd(text, i) + 1;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                int eol = text.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int close = text.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
            } else if (Character.isJavaIdentifierStart(c)) {
                int start = i;
                while (i < n && Character.isJavaIdentifierPart(text.charAt(i))) {
                    i++;
                }
                names.add(text.substring(start, i));
            } else if (Character.isJavaIdentifierPart(c)) {
                // A number such as 1e5 or 0x1F: its letters are not names.
                while (i < n && Character.isJavaIdentifierPart(text.charAt(i))) {
                    i++;
                }
            } else {
                i++;
            }
        }
        return names;
    }

    /** Where the string or character literal opened at {@code open} ends: its closing quote, or the line's end. */
    static int literalEnd(String text, int open) {
        char quote = text.charAt(open);
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote || c == '\n') {
                return i;
            }
        }
        return text.length();
    }
}
