package org.hpckernel.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageSignerTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void matchesAKnownHmacSha256() {
        // HMAC-SHA256(key="key", "The quick brown fox jumps over the lazy dog"), split over the four frames.
        MessageSigner s = new MessageSigner("key", "hmac-sha256");
        assertEquals("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
                s.sign(b("The quick "), b("brown fox "), b("jumps over "), b("the lazy dog")));
    }

    @Test
    void verifiesOnlyTheExactSignature() {
        MessageSigner s = new MessageSigner("k", "hmac-sha256");
        String sig = s.sign(b("h"), b("p"), b("m"), b("c"));
        assertTrue(s.verify(b(sig), b("h"), b("p"), b("m"), b("c")));
        assertFalse(s.verify(b(sig.toUpperCase()), b("h"), b("p"), b("m"), b("c")));
        assertFalse(s.verify(b(sig.substring(1)), b("h"), b("p"), b("m"), b("c")));
        assertFalse(s.verify(b(sig), b("h"), b("p"), b("m"), b("C")));
        assertFalse(new MessageSigner("other", "hmac-sha256").verify(b(sig), b("h"), b("p"), b("m"), b("c")));
    }

    @Test
    void otherHmacSchemesWorkAndUnknownOnesFailEarly() {
        assertEquals(128, new MessageSigner("k", "hmac-sha512").sign(b(""), b(""), b(""), b("")).length());
        assertThrows(IllegalArgumentException.class, () -> new MessageSigner("k", "rsa"));
        assertThrows(IllegalArgumentException.class, () -> new MessageSigner("k", "hmac-nosuch"));
    }
}
