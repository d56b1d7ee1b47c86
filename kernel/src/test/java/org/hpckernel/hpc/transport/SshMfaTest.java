package org.hpckernel.hpc.transport;

import static org.hpckernel.hpc.transport.SshTransportTest.M;
import static org.hpckernel.hpc.transport.SshTransportTest.MFA_PORT;
import static org.hpckernel.hpc.transport.SshTransportTest.NO_STDIN;
import static org.hpckernel.hpc.transport.SshTransportTest.PORT;
import static org.hpckernel.hpc.transport.SshTransportTest.S;
import static org.hpckernel.hpc.transport.SshTransportTest.T;
import static org.hpckernel.hpc.transport.SshTransportTest.USER;
import static org.hpckernel.hpc.transport.SshTransportTest.options;
import static org.hpckernel.hpc.transport.SshTransportTest.settings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.transport.SshTransportTest.CountingPrompt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the MFA test sshd of scripts/cluster/sshd-mfa-up.sh (127.0.0.1:2223: public key, then a
 * TOTP code through keyboard-interactive) and, for ProxyJump, the key-only sshd on 2222 as jump host.
 */
@EnabledIfEnvironmentVariable(named = "HPC_TEST_SSHD", matches = "1")
class SshMfaTest {
    @TempDir
    static Path tmp;
    static Path home;
    /** known_hosts with both test servers, as a user who reaches 2223 through 2222 would have it. */
    static Path bothKnownHosts;

    @BeforeAll
    static void setUp() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        bothKnownHosts = tmp.resolve("known_hosts");
        Files.writeString(bothKnownHosts, Files.readString(S.resolve("known_hosts")) + Files.readString(M.resolve("known_hosts")));
        // The jump host (2222) accepts the MFA key too, so a hop without its own IdentityFile can use the cluster's key.
        SshTransportTest.authorize(M.resolve("id_ed25519"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        SshTransportTest.unauthorize();
    }

    static String code() throws Exception {
        return SshTransportTest.totp(Files.readString(M.resolve("totp/" + USER + ".hex")), Instant.now().getEpochSecond());
    }

    /** A 6-digit code that the server's window (now +- 1 step) does not accept. */
    static String wrongCode() throws Exception {
        String hex = Files.readString(M.resolve("totp/" + USER + ".hex"));
        long now = Instant.now().getEpochSecond();
        Set<String> valid = new HashSet<>();
        for (long d = -90; d <= 90; d += 30) valid.add(SshTransportTest.totp(hex, now + d));
        for (int i = 0; ; i++) {
            String c = String.format("%06d", (123456 + i * 7919) % 1_000_000);
            if (!valid.contains(c)) return c;
        }
    }

    static SshSettings mfa(String jump, Path knownHosts) {
        return settings("127.0.0.1", MFA_PORT, M.resolve("id_ed25519"), knownHosts, jump, false);
    }

    static CountingPrompt codes() {
        return new CountingPrompt((n, p) -> {
            try {
                return code();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void keyPlusCodeIsAskedOncePerConnection() throws Exception {
        CountingPrompt prompt = codes();
        long start = System.nanoTime();
        SshTransport t = SshTransport.connect("mfa", mfa(null, M.resolve("known_hosts")), () -> prompt, options(home));
        long connect = System.nanoTime() - start;
        try {
            assertEquals(1, prompt.count());
            assertEquals("cluster mfa (" + USER + "@127.0.0.1:" + MFA_PORT + ") Verification code: ", prompt.prompts.get(0));
            String dir = t.home() + "/hpc-mfa-" + System.nanoTime();
            t.makePrivateDirectory(dir);
            for (int i = 0; i < 20; i++) {
                assertEquals("i" + i + "\n", t.run(List.of("echo", "i" + i), T).stdout());
                t.writeFile(dir + "/f", ("v" + i).getBytes(StandardCharsets.UTF_8), false);
                assertArrayEquals(("v" + i).getBytes(StandardCharsets.UTF_8), t.readFile(dir + "/f").orElseThrow());
            }
            t.delete(dir);
            assertEquals(1, prompt.count(), "the code is asked once per connection, not per command");
            String[] conn = t.run(List.of("sh", "-c", "echo $SSH_CONNECTION"), T).stdout().strip().split(" ");
            assertTrue(thisProcessOwnsLocalPort(Integer.parseInt(conn[1])), "a direct connection is seen as direct");
            SshTransport.ConnectionInfo info = t.connectionInfo();
            assertTrue(info.interactiveLogin());
            System.out.printf("timing connect+login with key + TOTP (loopback): %.1f ms; %s%n", connect / 1e6, info.summary());
        } finally {
            t.close();
        }
    }

    @Test
    void wrongCodeIsRefused() throws Exception {
        String wrong = wrongCode();
        CountingPrompt prompt = new CountingPrompt((n, p) -> wrong);
        SshException e = assertThrows(SshException.class,
                () -> SshTransport.connect("mfa", mfa(null, M.resolve("known_hosts")), () -> prompt, options(home)));
        assertEquals(SshException.Kind.AUTH_FAILED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("wrong password or one-time code"), e.getMessage());
        assertTrue(prompt.count() >= 1);
    }

    @Test
    void wrongThenRightCodeInTheSameLogin() throws Exception {
        String wrong = wrongCode();
        CountingPrompt prompt = new CountingPrompt((n, p) -> {
            try {
                return n == 1 ? wrong : code();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        SshTransport t = SshTransport.connect("mfa", mfa(null, M.resolve("known_hosts")), () -> prompt, options(home));
        try {
            assertEquals(2, prompt.count());
            assertTrue(t.run(List.of("true"), T).ok());
        } finally {
            t.close();
        }
    }

    @Test
    void noStdinFailsFastWithTheClearMessage() {
        long start = System.nanoTime();
        SshException e = assertThrows(SshException.class,
                () -> SshTransport.connect("mfa", mfa(null, M.resolve("known_hosts")), () -> NO_STDIN, options(home)));
        assertTrue(System.nanoTime() - start < 5e9);
        assertEquals(SshException.Kind.INPUT_UNAVAILABLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("cluster mfa (" + USER + "@127.0.0.1:" + MFA_PORT + ") needs a one-time code "
                + "(\"Verification code:\"), but this frontend cannot ask for one (nbclient, papermill, CI)"), e.getMessage());
        SshException none = assertThrows(SshException.class,
                () -> SshTransport.connect("mfa", mfa(null, M.resolve("known_hosts")), CredentialPrompt::none, options(home)));
        assertEquals(SshException.Kind.INPUT_UNAVAILABLE, none.kind());
    }

    @Test
    void reconnectAsksForACodeOnlyWhenSomeoneCanAnswer() throws Exception {
        CountingPrompt prompt = codes();
        AtomicReference<CredentialPrompt> current = new AtomicReference<>(prompt);
        SshTransport t = SshTransport.connect("mfa", mfa(null, M.resolve("known_hosts")), current::get, options(home));
        try {
            assertEquals(1, prompt.count());
            current.set(CredentialPrompt.none()); // no cell running: the monitor calls in the background
            long sshd = SshTransportTest.servingSshd(t);
            ProcessHandle.of(sshd).orElseThrow().destroyForcibly();
            for (int i = 0; i < 50 && ProcessHandle.of(sshd).map(ProcessHandle::isAlive).orElse(false); i++) Thread.sleep(20);
            Thread.sleep(100);
            for (int i = 0; i < 5; i++) {
                long s = System.nanoTime();
                SshException e = assertThrows(SshException.class, () -> t.run(List.of("true"), T));
                assertTrue(System.nanoTime() - s < 1e9, "fails fast, without a login attempt");
                assertTrue(e.kind() == SshException.Kind.INPUT_UNAVAILABLE || e.kind() == SshException.Kind.CONNECTION_LOST,
                        e.kind() + ": " + e.getMessage());
            }
            assertEquals(1, prompt.count(), "nobody was asked");
            current.set(prompt); // a cell runs again
            assertTrue(t.run(List.of("true"), T).ok());
            assertEquals(2, prompt.count(), "the new login asked for a new code");
            assertEquals(2, t.connectionInfo().logins());
        } finally {
            t.close();
        }
    }

    // ------------------------------------------------------------------ ProxyJump

    /** True if this JVM itself holds a TCP socket whose local port is {@code port}. */
    static boolean thisProcessOwnsLocalPort(int port) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) { // Java's sockets are often IPv6 ones
            if (!Files.exists(Path.of(table))) continue;
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[1].contains(":")) continue;
                int local = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16);
                if (local == port) inodes.add(f[9]);
            }
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[") && inodes.contains(link.substring(8, link.length() - 1))) return true;
                } catch (IOException e) {
                    // fd closed meanwhile
                }
            }
        }
        return false;
    }

    /** The login node sees the connection coming from the jump host's sshd, not from this process. */
    static void assertArrivesThroughJump(SshTransport t) throws Exception {
        String[] conn = t.run(List.of("sh", "-c", "echo $SSH_CONNECTION"), T).stdout().strip().split(" ");
        assertEquals(String.valueOf(MFA_PORT), conn[3]);
        assertFalse(thisProcessOwnsLocalPort(Integer.parseInt(conn[1])), "the connection to 2223 is direct, not through the jump host");
    }

    @Test
    void proxyJumpThroughTheKeyOnlyServer() throws Exception {
        CountingPrompt prompt = codes();
        SshTransport t = SshTransport.connect("jump", mfa(USER + "@127.0.0.1:" + PORT, bothKnownHosts), () -> prompt, options(home));
        try {
            assertEquals(1, t.jumpHosts().size());
            assertEquals(List.of("cluster jump (" + USER + "@127.0.0.1:" + MFA_PORT + ") Verification code: "), prompt.prompts,
                    "the prompt names the real target, and the jump host asks nothing");
            assertEquals(USER + "\n", t.run(List.of("whoami"), T).stdout());
            assertArrivesThroughJump(t);
            assertEquals("ssh " + USER + "@127.0.0.1:" + MFA_PORT, t.describe());
            assertTrue(t.connectionInfo().summary().contains(" via " + USER + "@127.0.0.1:" + PORT), t.connectionInfo().summary());
        } finally {
            t.close();
        }
    }

    @Test
    void proxyJumpChainFromSshConfig() throws Exception {
        Path cfg = tmp.resolve("chain_config");
        StringBuilder b = new StringBuilder();
        for (String alias : List.of("j1", "j2")) {
            b.append("Host ").append(alias).append("\n  HostName 127.0.0.1\n  Port ").append(PORT).append("\n  User ").append(USER)
                    .append("\n  IdentityFile ").append(S.resolve("id_ed25519")).append("\n  UserKnownHostsFile ")
                    .append(S.resolve("known_hosts")).append("\n  IdentitiesOnly yes\n");
        }
        b.append("Host login\n  HostName 127.0.0.1\n  Port ").append(MFA_PORT).append("\n  User ").append(USER)
                .append("\n  ProxyJump j1,j2\n  IdentityFile ").append(M.resolve("id_ed25519")).append("\n  UserKnownHostsFile ")
                .append(M.resolve("known_hosts")).append('\n');
        Files.writeString(cfg, b.toString());
        CountingPrompt prompt = codes();
        SshTransport t = SshTransport.connect("chain", new SshSettings("login", null, null, null, null, null, false),
                () -> prompt, options(home).withSshConfig(cfg));
        try {
            assertEquals(List.of(USER + "@127.0.0.1:" + PORT, USER + "@127.0.0.1:" + PORT),
                    t.jumpHosts().stream().map(SshEndpoint::destination).toList());
            assertEquals(1, prompt.count());
            assertArrivesThroughJump(t);
        } finally {
            t.close();
        }
    }

    @Test
    void theScriptsOwnSshConfigAliasWorks() throws Exception {
        CountingPrompt prompt = codes();
        SshTransport t = SshTransport.connect("via", new SshSettings("hpc-mfa-via-jump", null, null, null, null, null, false),
                () -> prompt, options(home).withSshConfig(M.resolve("ssh_config")));
        try {
            assertEquals(1, t.jumpHosts().size());
            assertTrue(t.run(List.of("true"), T).ok());
            assertEquals(1, prompt.count());
        } finally {
            t.close();
        }
    }

    @Test
    void jumpFailuresNameTheHop() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        SshException down = assertThrows(SshException.class, () -> SshTransport.connect("jump",
                mfa(USER + "@127.0.0.1:" + free, bothKnownHosts), SshMfaTest::codes, options(home)));
        assertEquals(SshException.Kind.CONNECTION_REFUSED, down.kind(), down.getMessage());
        assertTrue(down.getMessage().contains("jump host " + USER + "@127.0.0.1:" + free), down.getMessage());

        Path kh = tmp.resolve("kh_free");
        Files.writeString(kh, Files.readString(S.resolve("known_hosts")));
        SshException unreachable = assertThrows(SshException.class, () -> SshTransport.connect("jump",
                settings("127.0.0.1", free, M.resolve("id_ed25519"), kh, USER + "@127.0.0.1:" + PORT, false),
                SshMfaTest::codes, options(home)));
        assertEquals(SshException.Kind.NETWORK, unreachable.kind(), unreachable.getMessage());
        assertTrue(unreachable.getMessage().contains("could not open a connection to 127.0.0.1:" + free), unreachable.getMessage());
    }
}
