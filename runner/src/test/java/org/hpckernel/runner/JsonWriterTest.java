package org.hpckernel.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
    /** Every ASCII character, a Latin-1 one, CJK, an emoji (surrogate pair), the JS line separators. */
    static final String TRICKY;

    static {
        StringBuilder s = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            s.append(c);
        }
        s.append("é ü 漢字 😀 \u2028\u2029 \ufeff end \\\" \\u0041");
        TRICKY = s.toString();
    }

    @Test
    void escapesExactlyWhatRfc8259Requires() {
        assertEquals("\"a\\\"b\\\\c/d\"", JsonWriter.write("a\"b\\c/d"));
        assertEquals("\"\\n\\r\\t\\b\\f\\u0000\\u0001\\u001f\\u007f\"".replace("\\u007f", "\u007f"),
                JsonWriter.write("\n\r\t\b\f\u0000\u0001\u001f\u007f"));
        assertEquals("\"é 漢字 😀 \u2028\"", JsonWriter.write("é 漢字 😀 \u2028"));
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacters() {
        assertEquals("\"a\ufffdb\ufffd\"", JsonWriter.write("a\ud800b\udc00"));
        assertEquals("\"\ufffd\"", JsonWriter.write("\ud83d"));
        assertEquals("\"😀\"", JsonWriter.write("\ud83d\ude00"));
    }

    @Test
    void writesNestedValues() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("s", "x");
        map.put("i", 3);
        map.put("l", -9_000_000_000L);
        map.put("d", 1.5);
        map.put("big", new BigInteger("123456789012345678901234567890"));
        map.put("dec", new BigDecimal("0.1"));
        map.put("nan", Double.NaN);
        map.put("inf", Float.POSITIVE_INFINITY);
        map.put("t", true);
        map.put("n", null);
        map.put("list", List.of(1, "two", List.of(), Map.of()));
        map.put("array", new Object[] {"a", null});
        map.put("ints", new int[] {1, 2});
        map.put("doubles", new double[] {0.5});
        map.put("char", 'c');
        map.put("other", new StringBuilder("sb"));
        assertEquals("{\"s\":\"x\",\"i\":3,\"l\":-9000000000,\"d\":1.5,"
                + "\"big\":123456789012345678901234567890,\"dec\":0.1,\"nan\":null,\"inf\":null,\"t\":true,"
                + "\"n\":null,\"list\":[1,\"two\",[],{}],\"array\":[\"a\",null],\"ints\":[1,2],\"doubles\":[0.5],\"char\":\"c\",\"other\":\"sb\"}",
                JsonWriter.write(map));
        assertEquals(1e-7, StrictJson.parse(JsonWriter.write(1e-7)));
        assertEquals(1e300, StrictJson.parse(JsonWriter.write(1e300)));
    }

    @Test
    void roundTripsThroughAStrictParser() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(TRICKY, List.of(TRICKY, Map.of("k", TRICKY)));
        String json = JsonWriter.write(map);
        assertFalse(json.chars().anyMatch(c -> c < 0x20), "no raw control characters");
        assertEquals(map, StrictJson.parse(json));
    }

    @Test
    void roundTripsThroughPythonWhenAvailable() throws Exception {
        Process python;
        try {
            python = new ProcessBuilder("python3", "-c",
                    "import json,sys; v=json.loads(sys.stdin.buffer.read().decode('utf-8'));"
                            + " sys.stdout.buffer.write(v['s'].encode('utf-8'))")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            // In CI python3 is always there (the test command needs it): missing means a broken setup.
            org.junit.jupiter.api.Assertions.assertNotEquals("true", System.getenv("CI"), "python3 is not available");
            assumeTrue(false, "python3 is not available");
            return;
        }
        python.getOutputStream().write(JsonWriter.write(Map.of("s", TRICKY)).getBytes(StandardCharsets.UTF_8));
        python.getOutputStream().close();
        byte[] back = python.getInputStream().readAllBytes();
        assertTrue(python.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, python.exitValue());
        assertEquals(TRICKY, new String(back, StandardCharsets.UTF_8));
    }

    @Test
    void aCycleIsRejectedInsteadOfOverflowingTheStack() {
        Map<String, Object> map = new HashMap<>();
        List<Object> list = new ArrayList<>(Arrays.asList("x"));
        list.add(map);
        map.put("self", list);
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.write(map));
    }

    private static void assertTrue(boolean condition) {
        org.junit.jupiter.api.Assertions.assertTrue(condition);
    }
}
