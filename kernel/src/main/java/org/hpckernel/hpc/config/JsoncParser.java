package org.hpckernel.hpc.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.options.Quoting;

/**
 * Strict JSON plus {@code //} and {@code /* *\/} comments. Comments are skipped as whitespace by
 * the tokenizer, so a "//" inside a string ("http://x//y") is never mistaken for one and line and
 * column numbers stay those of the file. Written by hand rather than with Gson because a config
 * file is edited by people: errors should say "trailing comma before }" at a line and column,
 * a duplicated cluster must be an error rather than silently replace the first, and every value
 * must keep its line for the checks that come after parsing.
 */
final class JsoncParser {
    /** Deep enough for any real config; keeps a hostile file from overflowing the stack. */
    private static final int MAX_DEPTH = 64;

    /** A JSON syntax error at a 1-based line and column. */
    static final class SyntaxError extends Exception {
        final int line;
        final int column;

        SyntaxError(int line, int column, String message) {
            super(message);
            this.line = line;
            this.column = column;
        }
    }

    private final String text;
    private final int[] lineStarts;
    private int pos;
    private int depth;

    private JsoncParser(String text) {
        this.text = text;
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // \r\n, \n and a lone \r each end a line.
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) starts.add(i + 1);
        }
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Parses one JSON document; null when the text holds nothing but whitespace and comments. */
    static JsonNode parse(String text) throws SyntaxError {
        JsoncParser p = new JsoncParser(text);
        if (p.peek() == '\uFEFF') p.pos++;
        p.skipSpace();
        if (p.atEnd()) return null;
        JsonNode node = p.value();
        p.skipSpace();
        if (!p.atEnd()) throw p.error(p.pos, "unexpected " + p.found() + " after the end of the JSON value");
        return node;
    }

    private JsonNode value() throws SyntaxError {
        char c = peek();
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> new JsonNode.Str(string(), line(pos));
            case 't', 'f', 'n' -> literal();
            case '\'' -> throw error(pos, "strings need double quotes, not single quotes");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                if (atEnd()) throw error(pos, "unexpected end of file; expected a value");
                throw error(pos, "expected a value (object, list, \"string\", number, true, false or null) but found " + found());
            }
        };
    }

    private JsonNode.Obj object() throws SyntaxError {
        int start = pos;
        enter();
        pos++; // '{'
        Map<String, JsonNode.Member> members = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            depth--;
            return new JsonNode.Obj(Collections.unmodifiableMap(members), line(start));
        }
        while (true) {
            skipSpace();
            int keyAt = pos;
            if (peek() == '}') throw error(pos, "trailing comma before }");
            if (atEnd()) throw error(start, "unterminated object: no } for this {");
            if (peek() != '"') {
                throw error(pos, "expected a key in double quotes but found " + found()
                        + (Character.isLetter(peek()) || peek() == '\'' ? " (keys need double quotes)" : ""));
            }
            String key = string();
            skipSpace();
            if (peek() != ':') throw error(pos, "expected : after the key " + Quoting.quote(key) + " but found " + found());
            pos++;
            skipSpace();
            JsonNode value = value();
            JsonNode.Member previous = members.get(key);
            if (previous != null) {
                throw error(keyAt, "duplicate key " + Quoting.quote(key) + " (first given at line " + previous.line() + ")");
            }
            members.put(key, new JsonNode.Member(key, line(keyAt), value));
            skipSpace();
            char c = peek();
            pos++;
            if (c == '}') break;
            if (c != ',') {
                pos--;
                if (atEnd()) throw error(start, "unterminated object: no } for this {");
                throw error(pos, "expected , or } after the value of " + Quoting.quote(key) + " but found " + found());
            }
        }
        depth--;
        return new JsonNode.Obj(Collections.unmodifiableMap(members), line(start));
    }

    private JsonNode.Arr array() throws SyntaxError {
        int start = pos;
        enter();
        pos++; // '['
        List<JsonNode> items = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            depth--;
            return new JsonNode.Arr(List.of(), line(start));
        }
        while (true) {
            skipSpace();
            if (peek() == ']') throw error(pos, "trailing comma before ]");
            if (atEnd()) throw error(start, "unterminated list: no ] for this [");
            items.add(value());
            skipSpace();
            char c = peek();
            pos++;
            if (c == ']') break;
            if (c != ',') {
                pos--;
                if (atEnd()) throw error(start, "unterminated list: no ] for this [");
                throw error(pos, "expected , or ] in the list but found " + found());
            }
        }
        depth--;
        return new JsonNode.Arr(List.copyOf(items), line(start));
    }

    private String string() throws SyntaxError {
        int start = pos;
        pos++; // opening quote
        StringBuilder s = new StringBuilder();
        while (true) {
            if (atEnd()) throw error(start, "unterminated string: no closing \"");
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return s.toString();
            }
            if (c == '\n' || c == '\r') throw error(start, "unterminated string: a line break before the closing \"");
            if (c < 0x20) throw error(pos, "control character " + Quoting.quote(String.valueOf(c)) + " inside a string; write it as an escape");
            if (c != '\\') {
                s.append(c);
                pos++;
                continue;
            }
            if (pos + 1 >= text.length()) throw error(start, "unterminated string: no closing \"");
            char e = text.charAt(pos + 1);
            switch (e) {
                case '"', '\\', '/' -> s.append(e);
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' -> {
                    if (pos + 6 > text.length() || !text.substring(pos + 2, pos + 6).matches("[0-9A-Fa-f]{4}")) {
                        throw error(pos, "\\u must be followed by 4 hex digits");
                    }
                    s.append((char) Integer.parseInt(text.substring(pos + 2, pos + 6), 16));
                    pos += 4;
                }
                default -> throw error(pos, "unknown escape \\" + e + " (use \\\\ for a backslash)");
            }
            pos += 2;
        }
    }

    private JsonNode.Num number() throws SyntaxError {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
        } else if (peek() >= '1' && peek() <= '9') {
            while (isAsciiDigit(peek())) pos++;
        } else {
            throw error(start, "malformed number");
        }
        if (peek() == '.') {
            pos++;
            if (!isAsciiDigit(peek())) throw error(pos, "expected digits after the decimal point");
            while (isAsciiDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isAsciiDigit(peek())) throw error(pos, "expected digits in the exponent");
            while (isAsciiDigit(peek())) pos++;
        }
        if (isAsciiDigit(peek()) || Character.isLetter(peek())) {
            throw error(start, "malformed number (a leading 0 or text after it); quote it if it is a string");
        }
        return new JsonNode.Num(text.substring(start, pos), line(start));
    }

    private JsonNode literal() throws SyntaxError {
        int start = pos;
        for (String word : new String[] {"true", "false", "null"}) {
            if (text.startsWith(word, pos) && !Character.isLetterOrDigit(charAt(pos + word.length()))) {
                pos += word.length();
                return switch (word) {
                    case "true" -> new JsonNode.Bool(true, line(start));
                    case "false" -> new JsonNode.Bool(false, line(start));
                    default -> new JsonNode.Null(line(start));
                };
            }
        }
        throw error(start, "expected a value but found " + found() + " (text values need double quotes)");
    }

    /** Whitespace and comments. */
    private void skipSpace() throws SyntaxError {
        while (!atEnd()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else if (c == '/' && charAt(pos + 1) == '/') {
                while (!atEnd() && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') pos++;
            } else if (c == '/' && charAt(pos + 1) == '*') {
                int end = text.indexOf("*/", pos + 2);
                if (end < 0) throw error(pos, "unterminated /* comment: no closing */");
                pos = end + 2;
            } else if (c == '/') {
                throw error(pos, "a lone / : comments start with // or /*");
            } else {
                return;
            }
        }
    }

    private void enter() throws SyntaxError {
        if (++depth > MAX_DEPTH) throw error(pos, "nested more than " + MAX_DEPTH + " levels deep");
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return charAt(pos);
    }

    /** The character at i, or NUL past the end (no valid token starts with NUL). */
    private char charAt(int i) {
        return i < text.length() ? text.charAt(i) : '\0';
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The text at the current position, for "but found …". */
    private String found() {
        if (atEnd()) return "the end of the file";
        int end = pos + 1;
        while (end < text.length() && end - pos < 20 && Character.isLetterOrDigit(text.charAt(end))
                && Character.isLetterOrDigit(text.charAt(pos))) end++;
        return Quoting.quote(text.substring(pos, end));
    }

    private int line(int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    private SyntaxError error(int offset, String message) {
        int line = line(offset);
        return new SyntaxError(line, offset - lineStarts[line - 1] + 1, message);
    }
}
