package org.hpckernel.hpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hpckernel.hpc.config.ClusterProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection attempts and their back-off, against a port where nothing listens (no sshd needed). */
class SshBackoffTest {
    @TempDir
    Path home;

    private SshTransport.Options options() {
        return SshTransport.Options.defaults().withSshConfig(null).withHome(home).withAgentSocket(null)
                .withGlobalKnownHosts(List.of()).withRetryDelays(Duration.ofMillis(300), Duration.ofMillis(1000));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void createResolvesWithoutConnecting() throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Path cfg = home.resolve(".ssh/config");
        Files.writeString(cfg, "Host hpc\n  HostName login.cluster.invalid\n  User alice\n  Port 2200\n  ProxyJump bob@gw.invalid\n");
        SshTransport t = SshTransport.create("hpc", new SshSettings("hpc", null, null, null, null, null, false),
                CredentialPrompt::none, options().withSshConfig(cfg));
        assertEquals("ssh alice@login.cluster.invalid:2200", t.describe());
        assertEquals("bob@gw.invalid:22", t.jumpHosts().get(0).destination());
        assertFalse(t.isConnected());
        t.close();
    }

    @Test
    void failedAttemptsBackOffAndCallsInBetweenFailAtOnce() throws Exception {
        int port = freePort();
        SshTransport t = SshTransport.create("down", new SshSettings("127.0.0.1", port, "u", null,
                home.resolve("kh").toString(), null, false), CredentialPrompt::none, options());
        try {
            SshException first = assertThrows(SshException.class, () -> t.run(List.of("true"), Duration.ofSeconds(5)));
            assertEquals(SshException.Kind.CONNECTION_REFUSED, first.kind());
            long s = System.nanoTime();
            SshException waiting = assertThrows(SshException.class, () -> t.size("/x"));
            assertTrue(System.nanoTime() - s < 50e6, "no connection attempt while waiting");
            assertEquals(SshException.Kind.RECONNECTING, waiting.kind());
            assertTrue(waiting.getMessage().contains("connection refused") && waiting.getMessage().contains("next connection attempt in"),
                    waiting.getMessage());
            assertTrue(waiting.transientFailure());
            Thread.sleep(350);
            SshException second = assertThrows(SshException.class, () -> t.home());
            assertEquals(SshException.Kind.CONNECTION_REFUSED, second.kind(), "a new attempt after the delay");
            SshException longer = assertThrows(SshException.class, () -> t.home());
            assertTrue(longer.getMessage().matches("(?s).*next connection attempt in [4-6]\\d\\d ms.*"), "doubled: " + longer.getMessage());
        } finally {
            t.close();
        }
        assertThrows(java.io.IOException.class, () -> t.run(List.of("true"), Duration.ofSeconds(1)), "closed");
    }
}
