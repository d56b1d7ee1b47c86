package org.hpckernel.hpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SshJumpProxyTest {
    private static SshJumpProxy.Hop hop(String user, String host, Integer port) {
        return new SshJumpProxy.Hop(user, host, port);
    }

    @Test
    void singleHopForms() {
        assertEquals(List.of(hop(null, "gw", null)), SshJumpProxy.parse("gw"));
        assertEquals(List.of(hop("me", "gw.example.org", null)), SshJumpProxy.parse("me@gw.example.org"));
        assertEquals(List.of(hop(null, "gw", 2222)), SshJumpProxy.parse("gw:2222"));
        assertEquals(List.of(hop("me", "10.0.0.1", 22)), SshJumpProxy.parse("me@10.0.0.1:22"));
        assertEquals(List.of(hop("me", "gw", 2200)), SshJumpProxy.parse("ssh://me@gw:2200"));
        assertEquals(List.of(hop(null, "::1", 2222)), SshJumpProxy.parse("[::1]:2222"));
        assertEquals(List.of(hop("u", "fe80::1", null)), SshJumpProxy.parse("u@fe80::1"));
        assertEquals(List.of(hop("first.last@site", "gw", null)), SshJumpProxy.parse("first.last@site@gw"));
    }

    @Test
    void chainsKeepTheirOrder() {
        assertEquals(List.of(hop("a", "outer", 22), hop(null, "inner", null), hop("c", "last", 2022)),
                SshJumpProxy.parse("a@outer:22, inner,c@last:2022"));
    }

    @Test
    void noneAndNullMeanDirect() {
        assertTrue(SshJumpProxy.parse("none").isEmpty());
        assertTrue(SshJumpProxy.parse("NONE").isEmpty());
        assertTrue(SshJumpProxy.parse(null).isEmpty());
    }

    @Test
    void badSpecsAreRefusedWithTheBadPart() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SshJumpProxy.parse("a,,b")).getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SshJumpProxy.parse("gw:99999")).getMessage().contains("99999"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SshJumpProxy.parse("gw:port")).getMessage().contains("port"));
        assertThrows(IllegalArgumentException.class, () -> SshJumpProxy.parse("@gw"));
        assertThrows(IllegalArgumentException.class, () -> SshJumpProxy.parse("me@"));
        assertThrows(IllegalArgumentException.class, () -> SshJumpProxy.parse("[::1"));
        assertThrows(IllegalArgumentException.class, () -> SshJumpProxy.parse(""));
        assertThrows(IllegalArgumentException.class, () -> SshJumpProxy.parse("a b"));
    }

    @Test
    void hopsPrintBack() {
        assertEquals("me@gw:2222", hop("me", "gw", 2222).toString());
        assertEquals("[::1]:22", hop(null, "::1", 22).toString());
    }
}
