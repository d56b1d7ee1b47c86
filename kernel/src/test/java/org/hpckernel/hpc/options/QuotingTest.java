package org.hpckernel.hpc.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuotingTest {
    @Test
    void escapesLikeAJavaLiteral() {
        assertEquals("\"a\\nb\\tc\\\\d\\\"e\\r\"", Quoting.quote("a\nb\tc\\d\"e\r"));
        assertEquals("\"$(touch /tmp/x) `id`; x\"", Quoting.quote("$(touch /tmp/x) `id`; x"));
    }

    @Test
    void invisibleCharactersAreShownAsEscapes() {
        assertEquals("\"\\u001b[31mred\"", Quoting.quote("\u001b[31mred"));
        assertEquals("\"a\\u202eb\\u200bc\\u0000\"", Quoting.quote("a\u202eb\u200bc\u0000"));
        assertEquals("\"caf\u00e9 \u00fc\"", Quoting.quote("caf\u00e9 \u00fc"));
    }

    @Test
    void longValuesAreCut() {
        String shown = Quoting.quote("x".repeat(1000));
        assertTrue(shown.startsWith("\"" + "x".repeat(Quoting.MAX_SHOWN) + "\"…"), shown);
        assertTrue(shown.endsWith("(1000 characters)"), shown);
    }

    @Test
    void nullIsShownAsNull() {
        assertEquals("null", Quoting.quote(null));
    }
}
