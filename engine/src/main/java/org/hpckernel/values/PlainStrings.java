package org.hpckernel.values;

import java.nio.charset.StandardCharsets;

/**
 * The common case of a JSON string, a text with nothing to escape, written and read without a
 * character-by-character pass through Gson: on a node's cold JVM that pass costs some 50 ms per
 * MiB, where a loop over the text's ISO-8859-1 bytes (a plain copy for Latin-1 text) costs a few.
 * Both methods answer null when the text is not that simple; the caller then takes Gson's path,
 * which gives the same result (or the error).
 */
final class PlainStrings {
    private static final int CHUNK = 8192;

    private PlainStrings() {}

    /**
     * {@code "text"} when Gson's {@code JsonWriter} (HTML-safe off) would write exactly that: no
     * control character, quote, backslash, U+2028 or U+2029, and no surrogate (a lone one is
     * escaped by the encoder; pairs are left to the general path too); else null.
     */
    static String quoted(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        int special = special(bytes, 0, bytes.length);
        if (special == bytes.length) {
            return "\"".concat(text).concat("\"");
        }
        // A question mark, or a character above U+00FF (which could be one of those above): look closer.
        return bytes[special] == '?' ? quotedByChars(text) : null;
    }

    /**
     * The index of the first byte in {@code [from, to)} that is a quote, a backslash, a control
     * character or {@code ?}; {@code to} if there is none. The one loop over every byte of a value
     * on the node (JsonSpans, then the decoder or the encoder): once the first pass has had it
     * compiled, the next ones run compiled too.
     */
    static int special(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = bytes[i];
            if (c >= 0 && c < 0x20 || c == '"' || c == '\\' || c == '?') {
                return i;
            }
        }
        return to;
    }

    private static String quotedByChars(String text) {
        char[] chunk = new char[CHUNK];
        for (int from = 0; from < text.length(); from += CHUNK) {
            int n = Math.min(CHUNK, text.length() - from);
            text.getChars(from, from + n, chunk, 0);
            for (int i = 0; i < n; i++) {
                char c = chunk[i];
                if (c < 0x20 || c == '"' || c == '\\' || c == '\u2028' || c == '\u2029' || (c >= '\uD800' && c <= '\uDFFF')) {
                    return null;
                }
            }
        }
        return "\"".concat(text).concat("\"");
    }

    /**
     * The characters of a JSON string literal that is the whole of {@code json} and has no escape
     * (nor anything JSON forbids unescaped: a quote, a control character); else null. A character
     * above U+00FF reads as {@code ?} in the bytes, which is fine: it needs no check.
     */
    static String unquoted(String json) {
        int last = json.length() - 1;
        if (last < 1 || json.charAt(0) != '"' || json.charAt(last) != '"') {
            return null;
        }
        // One byte per character, or one per surrogate pair: either way the quotes are the first and last.
        byte[] bytes = json.getBytes(StandardCharsets.ISO_8859_1);
        int end = bytes.length - 1;
        int i = special(bytes, 1, end);
        while (i < end && bytes[i] == '?') {
            i = special(bytes, i + 1, end);
        }
        return i == end ? json.substring(1, last) : null;
    }
}
