package org.hpckernel.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.stream.JsonWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plain-string shortcut (PlainStrings) writes and reads exactly what the general path does. */
class ValueCodecPlainStringsTest {
    private static final ValueCodec CODEC = ValueCodec.standard();

    private static List<String> samples() {
        List<String> texts = new ArrayList<>(List.of("", "x", "plain ascii ~!@#$%^&*()", "what?", "é and ÿ", "€ sign",
                "😀 pair", "line\u2028sep", "para\u2029sep", "tab\there", "nl\n", "quote\"", "back\\slash", "\u0000",
                "\u007f del", "slash / stays", "</script>", "a=b&c'd"));
        List<String> longer = new ArrayList<>();
        for (String t : texts) longer.add(t.repeat(2_000) + "y".repeat(1_000));
        texts.addAll(longer);
        return texts;
    }

    @Test
    void aStringIsWrittenAsGsonWritesItAndReadsBack() throws Exception {
        for (String text : samples()) {
            String json = CODEC.encode("s", text);
            assertEquals(gson(text), json, text.length() > 40 ? text.substring(0, 40) : text);
            assertEquals(text, CODEC.decode(json, String.class));
            assertEquals(text, CODEC.decode(json, CharSequence.class));
            // Inside a value too (a record's or a list's long string).
            assertEquals("[" + gson(text) + "]", CODEC.encode("l", List.of(text)));
        }
    }

    @Test
    void theShortcutStepsAsideForAnythingNotPlain() {
        assertNull(PlainStrings.quoted("a\"b"));
        assertNull(PlainStrings.quoted("a\u2028b"));
        assertNull(PlainStrings.quoted("pair 😀"));
        assertEquals("\"a?é\"", PlainStrings.quoted("a?é"));
        assertNull(PlainStrings.unquoted("\"a\\nb\""));
        assertNull(PlainStrings.unquoted(" \"ab\""));
        assertNull(PlainStrings.unquoted("\"a\"b\""));
        assertNull(PlainStrings.unquoted("\""));
        assertEquals("", PlainStrings.unquoted("\"\""));
        assertEquals("€?", PlainStrings.unquoted("\"€?\""));
    }

    @Test
    void whatJsonForbidsInAStringIsStillRefused() {
        for (String bad : List.of("\"a\u0001b\"", "\"tab\tinside\"", "\"a\"b\"", "\"a\\\"", "\"unterminated", "\"a\"  x")) {
            assertThrows(MalformedValueException.class, () -> CODEC.decode(bad, String.class), bad);
        }
    }

    @Test
    void theLimitsStillHold() throws Exception {
        ValueCodec small = ValueCodec.withLimits(new ValueCodec.Limits(8, 10, 50, 1_000));
        assertThrows(NotShippableException.class, () -> small.encode("s", "x".repeat(11)));
        assertThrows(MalformedValueException.class, () -> small.decode("\"" + "x".repeat(11) + "\"", String.class));
        ValueCodec shortDocs = ValueCodec.withLimits(new ValueCodec.Limits(8, 100, 50, 10));
        assertThrows(NotShippableException.class, () -> shortDocs.encode("s", "x".repeat(9)));
        assertEquals("\"" + "x".repeat(8) + "\"", shortDocs.encode("s", "x".repeat(8)));
    }

    private static String gson(String text) throws Exception {
        StringWriter out = new StringWriter();
        JsonWriter writer = new JsonWriter(out);
        writer.value(text);
        writer.flush();
        return out.toString();
    }
}
