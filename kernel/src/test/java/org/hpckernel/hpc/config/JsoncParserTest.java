package org.hpckernel.hpc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsoncParserTest {
    private static JsonNode.Obj obj(String text) throws JsoncParser.SyntaxError {
        return assertInstanceOf(JsonNode.Obj.class, JsoncParser.parse(text));
    }

    private static String str(JsonNode.Obj o, String key) {
        return ((JsonNode.Str) o.members().get(key).value()).value();
    }

    @Test
    void commentMarkersInsideStringsAreText() throws JsoncParser.SyntaxError {
        JsonNode.Obj o = obj("""
                { "url": "http://x//y", // a real comment
                  "c": "/* not a comment */", /* a real
                  one */ "q": "say \\"// hi\\"", "e": "\\\\" // a backslash, then a comment
                }""");
        assertEquals("http://x//y", str(o, "url"));
        assertEquals("/* not a comment */", str(o, "c"));
        assertEquals("say \"// hi\"", str(o, "q"));
        assertEquals("\\", str(o, "e"));
        assertEquals(List.of("url", "c", "q", "e"), List.copyOf(o.members().keySet()));
    }

    @Test
    void linesAreCountedThroughComments() throws JsoncParser.SyntaxError {
        JsonNode.Obj o = obj("/* one\ntwo\nthree */ {\n// four\n\"a\": 1,\r\n\"b\": [true, false, null]}");
        assertEquals(3, o.line());
        assertEquals(5, o.members().get("a").line());
        assertEquals(6, o.members().get("b").line());
        assertEquals(3, ((JsonNode.Arr) o.members().get("b").value()).items().size());
    }

    @Test
    void escapesAndNumbersAreRead() throws JsoncParser.SyntaxError {
        JsonNode.Obj o = obj("{\"s\": \"a\\u00e9\\n\\t\\/\", \"n\": -1.5e3, \"i\": 22}");
        assertEquals("a\u00e9\n\t/", str(o, "s"));
        assertEquals("-1.5e3", ((JsonNode.Num) o.members().get("n").value()).literal());
        assertEquals(22L, ((JsonNode.Num) o.members().get("i").value()).wholeValue());
        assertEquals(-1500L, ((JsonNode.Num) o.members().get("n").value()).wholeValue());
        assertNull(new JsonNode.Num("1.5", 1).wholeValue());
    }

    @Test
    void onlyCommentsIsEmpty() throws JsoncParser.SyntaxError {
        assertNull(JsoncParser.parse("  // nothing\n/* here */\n"));
        assertNull(JsoncParser.parse("\uFEFF"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"a\": 1,}                  | 1 | 9  | trailing comma before }",
        "[1, 2,]                      | 1 | 7  | trailing comma before ]",
        "{\"a\" 1}                    | 1 | 6  | expected : after the key \"a\" but found \"1\"",
        "{\"a\": 1 \"b\": 2}          | 1 | 9  | expected , or } after the value of \"a\" but found \"\\\"\"",
        "{\"a\": \"x}                 | 1 | 7  | unterminated string: no closing \"",
        "{a: 1}                       | 1 | 2  | expected a key in double quotes but found \"a\" (keys need double quotes)",
        "{\"a\": slurm}               | 1 | 7  | expected a value (object, list, \"string\", number, true, false or null) but found \"slurm\"",
        "{\"a\": 1} x                 | 1 | 10 | unexpected \"x\" after the end of the JSON value",
        "{\"a\": 1 /* open           | 1 | 9  | unterminated /* comment: no closing */",
        "{\"a\": 01}                  | 1 | 7  | malformed number (a leading 0 or text after it); quote it if it is a string",
        "{\"a\": 1MB}                 | 1 | 7  | malformed number (a leading 0 or text after it); quote it if it is a string",
        "{\"a\": \"\\q\"}             | 1 | 8  | unknown escape \\q (use \\\\ for a backslash)",
        "{\"a\": 1 / 2}               | 1 | 9  | a lone / : comments start with // or /*",
        "{\"a\": tru}                 | 1 | 7  | expected a value but found \"tru\" (text values need double quotes)",
        "{\"a\":                      | 1 | 6  | unexpected end of file; expected a value",
    })
    void syntaxErrorsSayWhereAndWhat(String text, int line, int column, String message) {
        JsoncParser.SyntaxError e = assertThrows(JsoncParser.SyntaxError.class, () -> JsoncParser.parse(text.strip()));
        assertEquals(message, e.getMessage());
        assertEquals(line, e.line);
        assertEquals(column, e.column);
    }

    @Test
    void singleQuotesAreExplained() {
        JsoncParser.SyntaxError e = assertThrows(JsoncParser.SyntaxError.class, () -> JsoncParser.parse("{\"a\": 'x'}"));
        assertEquals("strings need double quotes, not single quotes", e.getMessage());
        assertEquals(7, e.column);
    }

    @Test
    void unterminatedObjectPointsAtItsBrace() {
        JsoncParser.SyntaxError e = assertThrows(JsoncParser.SyntaxError.class,
                () -> JsoncParser.parse("{\n  \"clusters\": {\n    \"a\": {}\n"));
        assertEquals("unterminated object: no } for this {", e.getMessage());
        assertEquals(2, e.line);
        assertEquals(15, e.column);
    }

    @Test
    void lineBreakInStringIsAnError() {
        JsoncParser.SyntaxError e = assertThrows(JsoncParser.SyntaxError.class, () -> JsoncParser.parse("{\"a\": \"x\ny\"}"));
        assertEquals("unterminated string: a line break before the closing \"", e.getMessage());
        assertEquals(1, e.line);
    }

    @Test
    void duplicateKeysAreErrors() {
        JsoncParser.SyntaxError e = assertThrows(JsoncParser.SyntaxError.class,
                () -> JsoncParser.parse("{\n\"dahu\": {},\n\"dahu\": {}\n}"));
        assertEquals("duplicate key \"dahu\" (first given at line 2)", e.getMessage());
        assertEquals(3, e.line);
        assertEquals(1, e.column);
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        JsoncParser.SyntaxError e = assertThrows(JsoncParser.SyntaxError.class,
                () -> JsoncParser.parse("[".repeat(100_000)));
        assertEquals("nested more than 64 levels deep", e.getMessage());
    }
}
