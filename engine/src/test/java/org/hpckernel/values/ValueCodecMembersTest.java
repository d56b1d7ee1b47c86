package org.hpckernel.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A values file cut into its members' texts (JsonSpans): as written, and strict about what is not JSON. */
class ValueCodecMembersTest {
    private static final ValueCodec CODEC = ValueCodec.standard();

    private static final List<String> VALID = List.of(
            "{}", " { } ", "{\"a\":1}", "{\"a\" : [1, 2.5, -3e-2, 0, -0.0, 1E+9] ,\n\t\"b\":\"x\"}\r\n",
            "{\"s\":\"é € 😀 ? \\u00e9 \\\\ \\\" \\/ \\b\\f\\n\\r\\t\", \"n\":null, \"t\":true, \"f\":false}",
            "{\"o\":{\"k\":[{\"x\":[[]]},{}]}, \"e\":[]}", "{\"caf\\u00e9\":\"name with an escape\"}",
            "{\"big\":\"" + "x".repeat(100_000) + "\",\"u\":\"" + "€".repeat(50_000) + "\"}");

    private static final List<String> INVALID = List.of(
            "", " ", "[]", "1", "\"s\"", "{", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\":1,}", "{\"a\" 1}", "{a:1}",
            "{'a':1}", "{\"a\":'x'}", "{\"a\":[1,]}", "{\"a\":[1 2]}", "{\"a\":01}", "{\"a\":-}", "{\"a\":1.}",
            "{\"a\":.5}", "{\"a\":1e}", "{\"a\":+1}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":True}", "{\"a\":NaN}",
            "{\"a\":\"x\u0001y\"}", "{\"a\":\"line\nbreak\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}",
            "{\"a\":\"\\u00\"}", "{\"a\":\"unterminated}", "{\"a\":\"\\\"}", "{\"a\":1} 2", "{\"a\":1}}",
            "{\"a\":1}{}", "{\"a\":[}", "{\"a\":{]}", "{\"a\":1 /* c */}", "{\"a\":\"\\u０１２３\"}");

    @Test
    void eachMemberIsItsTextAsWrittenAndParsesAsGsonParsesIt() throws Exception {
        for (String file : VALID) {
            Map<String, String> members = CODEC.members(file);
            var expected = JsonParser.parseString(file).getAsJsonObject();
            assertEquals(expected.keySet(), members.keySet(), file);
            for (Map.Entry<String, String> m : members.entrySet()) {
                assertEquals(expected.get(m.getKey()), JsonParser.parseString(m.getValue()), m.getKey());
                assertTrue(file.contains(m.getValue()), "a member's text is a piece of the file: " + m.getKey());
            }
        }
        assertEquals(Map.of("a", "[1, 2.5, -3e-2, 0, -0.0, 1E+9]", "b", "\"x\""), CODEC.members(VALID.get(3)));
        assertEquals("café", CODEC.members(VALID.get(6)).keySet().iterator().next());
    }

    @Test
    void whatStrictGsonRefusesIsRefusedAndNamesWhere() {
        for (String bad : INVALID) {
            MalformedValueException e = assertThrows(MalformedValueException.class, () -> CODEC.members(bad), bad);
            assertTrue(e.getMessage().startsWith("not a valid values file: ") || e.getMessage().contains("appears twice"),
                    e.getMessage());
            if (bad.startsWith("{")) {
                assertThrows(Exception.class, () -> strictGson(bad), "Gson accepts " + bad);
            }
        }
        assertTrue(assertThrows(MalformedValueException.class, () -> CODEC.members("{\"a\":\"x\u0001y\"}")).getMessage()
                .contains("control character (U+0001)"));
    }

    @Test
    void everyTruncationOfAFileIsRefused() throws Exception {
        String file = "{\"p\":[{\"x\":1,\"y\":-2.5e3}],\"s\":\"a\\u00e9\\n\",\"n\":null,\"b\":true}";
        assertEquals(4, CODEC.members(file).size());
        for (int n = 0; n < file.length(); n++) {
            String cut = file.substring(0, n);
            assertThrows(MalformedValueException.class, () -> CODEC.members(cut), cut);
        }
    }

    @Test
    void aNameTwiceIsRefused() {
        assertTrue(assertThrows(MalformedValueException.class, () -> CODEC.members("{\"n\":1,\"\\u006e\":2}")).getMessage()
                .contains("the value n appears twice"));
    }

    @Test
    void nestingIsBoundedOneLevelBelowTheObject() throws Exception {
        ValueCodec small = ValueCodec.withLimits(new ValueCodec.Limits(3, 100, 50, 1_000));
        assertEquals("[[[1]]]", small.members("{\"d\":[[[1]]]}").get("d"));
        assertEquals("{\"a\":{\"b\":{}}}", small.members("{\"d\":{\"a\":{\"b\":{}}}}").get("d"));
        assertTrue(assertThrows(MalformedValueException.class, () -> small.members("{\"d\":[[[[1]]]]}")).getMessage()
                .contains("nested deeper than 3 levels"));
        String deep = "{\"d\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertThrows(MalformedValueException.class, () -> CODEC.members(deep));
    }

    @Test
    void joinedMembersComeBackByteForByte() throws Exception {
        Map<String, String> encoded = new LinkedHashMap<>();
        encoded.put("big", CODEC.encode("big", "y".repeat(1 << 20)));
        encoded.put("list", CODEC.encode("list", List.of("é?€", "\u2028", "a\"b")));
        assertEquals(encoded, CODEC.members(ValueCodec.joinMembers(encoded)));
    }

    private static Object strictGson(String text) throws Exception {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        Object parsed = JsonParser.parseReader(reader);
        if (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) throw new IllegalStateException("trailing data");
        return parsed;
    }
}
