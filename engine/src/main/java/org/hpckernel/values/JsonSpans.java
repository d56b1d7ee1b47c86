package org.hpckernel.values;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cuts a values file ({@code {"name": value, ...}}) into its members' JSON texts as they were
 * written, checking the whole document's syntax strictly (RFC 8259: no comments, no single quotes,
 * no unquoted names, no control characters in strings, no trailing data) without building it.
 * Each member is then parsed once, by the decoder that knows its declared type: a 1 MiB string is
 * not turned into a tree and written out again first.
 *
 * <p>It scans the text's ISO-8859-1 bytes (a plain copy for a text of Latin-1 characters, see
 * {@link #latin1}), where every character above U+00FF reads as {@code ?}: JSON's syntax is ASCII, and inside a string
 * such a character needs no check, so the result is the same. On a node's cold JVM a loop over a
 * byte array costs a fraction of one over {@code String.charAt}.
 */
final class JsonSpans {
    private final String json;
    private final byte[] text;
    private final int maxDepth;
    private int pos;

    private JsonSpans(String json, int maxDepth) {
        this.json = json;
        this.text = latin1(json);
        this.maxDepth = maxDepth;
    }

    /**
     * @param maxDepth nesting levels allowed inside a member (the object itself is one more)
     * @throws MalformedValueException naming what is wrong and where (the character offset)
     */
    static Map<String, String> members(String json, int maxDepth) throws MalformedValueException {
        JsonSpans in = new JsonSpans(json, maxDepth);
        Map<String, String> members = new LinkedHashMap<>();
        in.whitespace();
        if (in.peek() != '{') {
            throw in.error("expected a JSON object of named values");
        }
        in.pos++;
        in.whitespace();
        if (in.peek() == '}') {
            in.pos++;
        } else {
            while (true) {
                if (in.peek() != '"') {
                    throw in.error("expected a value's name in double quotes");
                }
                int nameStart = in.pos;
                boolean escaped = in.string();
                String name = escaped ? unescape(json, nameStart + 1, in.pos - 1) : json.substring(nameStart + 1, in.pos - 1);
                in.whitespace();
                in.expect(':');
                in.whitespace();
                int start = in.pos;
                in.value(1);
                if (members.put(name, json.substring(start, in.pos)) != null) {
                    throw new MalformedValueException("the value " + name + " appears twice");
                }
                in.whitespace();
                if (in.peek() == ',') {
                    in.pos++;
                    in.whitespace();
                } else {
                    in.expect('}');
                    break;
                }
            }
        }
        in.whitespace();
        if (in.pos != in.text.length) {
            throw in.error("unexpected data after the object");
        }
        return members;
    }

    /**
     * One byte per character: the character itself up to U+00FF, {@code ?} above. (The encoder
     * writes one {@code ?} for a whole surrogate pair, so a text with pairs is mapped here.)
     */
    static byte[] latin1(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length == text.length()) {
            return bytes;
        }
        bytes = new byte[text.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = text.charAt(i);
            bytes[i] = c <= 0xFF ? (byte) c : (byte) '?';
        }
        return bytes;
    }

    private int peek() {
        return pos < text.length ? text[pos] & 0xFF : -1;
    }

    private void expect(char c) throws MalformedValueException {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void whitespace() {
        while (pos < text.length) {
            byte c = text[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    /** One value, {@code depth} levels in (the members are at 1). */
    private void value(int depth) throws MalformedValueException {
        switch (peek()) {
            case '"' -> string();
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            case -1 -> throw error("the JSON ends too early (a truncated file?)");
            default -> number();
        }
    }

    private void object(int depth) throws MalformedValueException {
        if (opens(depth, '}')) {
            return;
        }
        do {
            if (peek() != '"') {
                throw error("expected a name in double quotes");
            }
            string();
            whitespace();
            expect(':');
            whitespace();
            value(depth);
        } while (more('}'));
    }

    private void array(int depth) throws MalformedValueException {
        if (opens(depth, ']')) {
            return;
        }
        do {
            value(depth);
        } while (more(']'));
    }

    /** Past the opening bracket; true when the container is empty (its closing bracket read too). */
    private boolean opens(int depth, char close) throws MalformedValueException {
        nested(depth);
        pos++;
        whitespace();
        if (peek() == close) {
            pos++;
            return true;
        }
        return false;
    }

    /** After a member or element: true past a comma (another follows), false past the closing bracket. */
    private boolean more(char close) throws MalformedValueException {
        whitespace();
        if (peek() == ',') {
            pos++;
            whitespace();
            return true;
        }
        expect(close);
        return false;
    }

    private void nested(int depth) throws MalformedValueException {
        if (depth > maxDepth + 1) {
            throw error("the JSON is nested deeper than " + maxDepth + " levels");
        }
    }

    /** A string literal, from its opening quote to after its closing one; true if it has escapes. */
    private boolean string() throws MalformedValueException {
        int start = pos;
        boolean escaped = false;
        pos++;
        while (pos < text.length) {
            pos = PlainStrings.special(text, pos, text.length);
            if (pos == text.length) {
                break;
            }
            byte c = text[pos++];
            if (c == '"') {
                return escaped;
            }
            if (c >= 0 && c < 0x20) {
                pos--;
                throw error("a control character (U+" + String.format("%04X", c) + ") inside a string; JSON writes it as an escape");
            }
            if (c == '\\') {
                escaped = true;
                if (pos >= text.length) {
                    break;
                }
                byte e = text[pos++];
                if (e == 'u') {
                    if (pos + 4 > text.length) {
                        break;
                    }
                    for (int i = 0; i < 4; i++) {
                        byte h = text[pos + i];
                        if (!(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F')) {
                            throw error("a \\u escape needs four hexadecimal digits");
                        }
                    }
                    pos += 4;
                } else if (e < 0 || "\"\\/bfnrt".indexOf(e) < 0) {
                    pos--;
                    throw error("'\\" + json.charAt(pos) + "' is not a JSON escape");
                }
            }
        }
        pos = start;
        throw error("a string that does not end (a truncated file?)");
    }

    private void literal(String word) throws MalformedValueException {
        if (!json.startsWith(word, pos)) {
            throw error("unexpected character");
        }
        pos += word.length();
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?} */
    private void number() throws MalformedValueException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (digits() == 0) {
            pos = start;
            throw error("unexpected character");
        }
        if (peek() == '.') {
            pos++;
            if (digits() == 0) {
                throw error("a number needs digits after its decimal point");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (digits() == 0) {
                throw error("a number needs digits in its exponent");
            }
        }
    }

    private int digits() {
        int start = pos;
        while (pos < text.length && text[pos] >= '0' && text[pos] <= '9') {
            pos++;
        }
        return pos - start;
    }

    private MalformedValueException error(String what) {
        String found = pos >= text.length ? "the end of the text" : "'" + json.charAt(pos) + "'";
        return new MalformedValueException("not a valid values file: " + what + ", found " + found + " at character " + pos);
    }

    /** The characters of a string literal with escapes (a name; values are decoded by the decoder). */
    private static String unescape(String text, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text, i + 1, i + 5, 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }
}
