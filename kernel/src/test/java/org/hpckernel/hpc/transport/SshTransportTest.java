package org.hpckernel.hpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hpckernel.display.StdinUnavailableException;
import org.hpckernel.hpc.config.ClusterProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the key-only test sshd of scripts/cluster/sshd-up.sh (127.0.0.1:2222, user hpcuser).
 * Run the script first and set HPC_TEST_SSHD=1.
 */
@EnabledIfEnvironmentVariable(named = "HPC_TEST_SSHD", matches = "1")
class SshTransportTest {
    static final Path CLUSTER = Path.of(env("CLUSTER_DIR", "/tmp/hpc-test-cluster"));
    static final Path S = CLUSTER.resolve("ssh");
    static final Path M = CLUSTER.resolve("ssh-mfa");
    static final String USER = env("SSHD_TEST_USER", "hpcuser");
    static final int PORT = Integer.parseInt(env("SSHD_PORT", "2222"));
    static final int MFA_PORT = Integer.parseInt(env("SSHD_MFA_PORT", "2223"));
    static final Duration T = Duration.ofSeconds(20);

    @TempDir
    static Path tmp;
    static Path home; // an empty "home" so root's own ~/.ssh plays no part
    static SshTransport shared;
    static final List<String> authorizedLines = new ArrayList<>();

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    // ------------------------------------------------------------------ helpers (also used by SshMfaTest)

    static SshTransport.Options options(Path homeDir) {
        return SshTransport.Options.defaults().withSshConfig(null).withHome(homeDir).withAgentSocket(null)
                .withGlobalKnownHosts(List.of()).withRetryDelays(Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    static SshSettings settings(String host, Integer port, Path identity, Path knownHosts, String jump,
            boolean acceptNew) {
        return new SshSettings(host, port, USER, identity == null ? null : identity.toString(),
                knownHosts == null ? null : knownHosts.toString(), jump, acceptNew);
    }

    static SshSettings plain() {
        return settings("127.0.0.1", PORT, S.resolve("id_ed25519"), S.resolve("known_hosts"), null, false);
    }

    /** A prompt that records what it was asked and answers with {@code answer}. */
    static final class CountingPrompt implements CredentialPrompt {
        final List<String> prompts = Collections.synchronizedList(new ArrayList<>());
        final BiFunction<Integer, String, String> answer;

        CountingPrompt(BiFunction<Integer, String, String> answer) {
            this.answer = answer;
        }

        @Override
        public String ask(String prompt, boolean echo) {
            prompts.add(prompt);
            return answer.apply(prompts.size(), prompt);
        }

        int count() {
            return prompts.size();
        }
    }

    /** Like the kernel's prompt in nbclient/papermill: no stdin. */
    static final CredentialPrompt NO_STDIN = (p, echo) -> {
        throw new StdinUnavailableException("this frontend does not accept input (allow_stdin is false)");
    };

    static String sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        int rc = p.waitFor();
        String text = out.toString(StandardCharsets.UTF_8);
        if (rc != 0) fail(String.join(" ", cmd) + " -> " + rc + ": " + text);
        return text;
    }

    /** ssh-keygen a key pair; {@code extra} e.g. "-m", "PEM". */
    static Path keygen(String name, String type, String passphrase, String... extra) throws Exception {
        Path key = tmp.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "hpc-test-" + name,
                "-f", key.toString()));
        cmd.addAll(List.of(extra));
        sh(cmd.toArray(new String[0]));
        return key;
    }

    /** Lets the test sshds accept {@code key} for the test user (both read authorized_keys.d). */
    static synchronized void authorize(Path key) throws Exception {
        String line = Files.readString(Path.of(key + ".pub")).strip();
        Path file = S.resolve("authorized_keys.d").resolve(USER);
        Files.writeString(file, line + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        authorizedLines.add(line);
    }

    @AfterAll
    static void unauthorize() throws Exception {
        if (shared != null) shared.close();
        synchronized (SshTransportTest.class) {
            Path file = S.resolve("authorized_keys.d").resolve(USER);
            if (!authorizedLines.isEmpty() && Files.exists(file)) {
                List<String> keep = new ArrayList<>(Files.readAllLines(file));
                keep.removeAll(authorizedLines);
                Files.write(file, keep);
                authorizedLines.clear();
            }
        }
    }

    /** The current RFC 6238 code (HMAC-SHA1, 30 s, 6 digits) for a hex secret, as oathtool --totp computes it. */
    static String totp(String hexSecret, long epochSeconds) throws Exception {
        byte[] key = java.util.HexFormat.of().parseHex(hexSecret.strip());
        long counter = epochSeconds / 30;
        byte[] msg = java.nio.ByteBuffer.allocate(8).putLong(counter).array();
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        byte[] h = mac.doFinal(msg);
        int off = h[h.length - 1] & 0xf;
        int bin = ((h[off] & 0x7f) << 24) | ((h[off + 1] & 0xff) << 16) | ((h[off + 2] & 0xff) << 8) | (h[off + 3] & 0xff);
        return String.format("%06d", bin % 1_000_000);
    }

    /** known_hosts lines of the 2222 server, for another host:port (a proxy in front of it). */
    static Path knownHostsFor(String hostPort) throws Exception {
        Path kh = Files.createTempFile(tmp, "kh", "");
        StringBuilder b = new StringBuilder();
        for (String t : List.of("ed25519", "ecdsa", "rsa")) {
            String[] pub = Files.readString(S.resolve("ssh_host_" + t + "_key.pub")).strip().split(" ");
            b.append(hostPort).append(' ').append(pub[0]).append(' ').append(pub[1]).append('\n');
        }
        Files.writeString(kh, b.toString());
        return kh;
    }

    static String median(List<Long> nanos) {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        return String.format(java.util.Locale.ROOT, "%.2f ms (min %.2f, max %.2f, n=%d)", s.get(s.size() / 2) / 1e6,
                s.get(0) / 1e6, s.get(s.size() - 1) / 1e6, s.size());
    }

    @BeforeAll
    static void connectShared() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        shared = SshTransport.connect("test", plain(), CredentialPrompt::none, options(home));
    }

    // ------------------------------------------------------------------ commands

    @Test
    void describeNamesUserHostPort() {
        assertEquals("ssh " + USER + "@127.0.0.1:" + PORT, shared.describe());
    }

    @Test
    void awkwardArgumentsArriveAsOneLiteralWordEach() throws Exception {
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(SshQuotingTest.AWKWARD);
        CommandResult r = shared.run(argv, T);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(SshQuotingTest.AWKWARD, SshQuotingTest.split(r.stdout()));
        CommandResult one = shared.run(List.of("printf", "%s\n", "$(touch /tmp/hpc-pwned); echo 'x'\n`id`"), T);
        assertEquals("$(touch /tmp/hpc-pwned); echo 'x'\n`id`\n", one.stdout());
        assertFalse(Files.exists(Path.of("/tmp/hpc-pwned")));
    }

    @Test
    void exitCodesStdoutStderrAndStdin() throws Exception {
        CommandResult r = shared.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), T);
        assertEquals(new CommandResult(r.argv(), 3, "out\n", "err\n", false), r);
        assertEquals("hello\nwörld", shared.run(List.of("cat"), "hello\nwörld", T).stdout());
        long start = System.nanoTime();
        CommandResult noStdin = shared.run(List.of("cat"), T);
        assertTrue(noStdin.ok() && noStdin.stdout().isEmpty(), "no stdin means an empty stdin, not a hang");
        assertTrue(System.nanoTime() - start < 5e9);
        String big = "x".repeat(300_000) + "\n";
        assertEquals(big.length(), shared.run(List.of("cat"), big, T).stdout().length());
        assertEquals(143, shared.run(List.of("sh", "-c", "kill -TERM $$"), T).exitCode(), "killed by TERM = 128 + 15");
    }

    @Test
    void timeoutEndsTheCommand() throws Exception {
        String marker = "hpc-timeout-" + System.nanoTime();
        long start = System.nanoTime();
        CommandResult r = shared.run(List.of("sh", "-c", "sleep 30; : " + marker), Duration.ofSeconds(1));
        long took = System.nanoTime() - start;
        assertTrue(r.timedOut());
        assertFalse(r.ok());
        assertTrue(took < 4e9, "took " + took / 1e6 + " ms");
        // The remote side got SIGTERM (sshd supports the "signal" channel request).
        boolean gone = false;
        for (int i = 0; i < 30 && !gone; i++) {
            gone = !shared.run(List.of("pgrep", "-u", USER, "-f", marker), T).ok();
            if (!gone) Thread.sleep(100);
        }
        assertTrue(gone, "the timed-out command still runs on the server");
        assertTrue(shared.run(List.of("true"), T).ok(), "the connection survives a timeout");
    }

    @Test
    void oneConnectionForEverythingAndConcurrentUse() throws Exception {
        SshTransport t = SshTransport.connect("reuse", plain(), CredentialPrompt::none, options(home));
        try {
            String dir = t.home() + "/hpc-ssh-reuse-" + System.nanoTime();
            t.makePrivateDirectory(dir);
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    int n = i;
                    futures.add(pool.submit(() -> {
                        if (n % 2 == 0) {
                            CommandResult r = t.run(List.of("echo", "n" + n), T);
                            assertEquals("n" + n + "\n", r.stdout());
                        } else {
                            String f = dir + "/f" + n;
                            t.writeFile(f, ("data" + n).getBytes(StandardCharsets.UTF_8), false);
                            assertArrayEquals(("data" + n).getBytes(StandardCharsets.UTF_8), t.readFile(f).orElseThrow());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) f.get();
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, t.connectionInfo().logins(), "every call reused the first login");
            t.delete(dir);
        } finally {
            t.close();
        }
    }

    // ------------------------------------------------------------------ files

    static String mode(SshTransport t, String path) throws IOException {
        return t.run(List.of("stat", "-c", "%a", path), T).stdout().strip();
    }

    @Test
    void fileRoundTripWithModes() throws Exception {
        String home = shared.home();
        assertEquals("/home/" + USER, home);
        String dir = home + "/hpc-ssh-test-" + System.nanoTime() + "/sub dir/deeper";
        shared.makePrivateDirectory(dir);
        assertEquals("700", mode(shared, dir));
        shared.makePrivateDirectory(dir + "/"); // again: fine
        shared.run(List.of("chmod", "755", dir), T);
        shared.makePrivateDirectory(dir);
        assertEquals("700", mode(shared, dir), "an existing directory is made private too");

        String file = dir + "/we ird*?\\name.txt";
        byte[] text = "hello, world\n".getBytes(StandardCharsets.UTF_8);
        shared.writeFile(file, text, false);
        assertEquals("600", mode(shared, file));
        assertArrayEquals(text, shared.readFile(file).orElseThrow());
        assertEquals(text.length, shared.size(file));
        assertEquals("world", new String(shared.readFrom(file, 7, 5), StandardCharsets.UTF_8));
        assertEquals("world\n", new String(shared.readFrom(file, 7, 100), StandardCharsets.UTF_8));
        assertEquals(0, shared.readFrom(file, text.length, 100).length);
        assertEquals(0, shared.readFrom(file, 1000, 100).length);

        byte[] script = "#!/bin/sh\necho run\n".getBytes(StandardCharsets.UTF_8);
        shared.writeFile(file, script, true); // replaces the existing file
        assertEquals("700", mode(shared, file));
        assertArrayEquals(script, shared.readFile(file).orElseThrow());
        assertEquals("run\n", shared.run(List.of(file), T).stdout());
        String listing = shared.run(List.of("ls", "-A", dir), T).stdout();
        assertEquals("we ird*?\\name.txt\n", listing, "no temporary files left behind");

        // growing file, as the output follower reads it
        String log = dir + "/out.log";
        shared.run(List.of("sh", "-c", "printf abc > \"$1\"", "sh", log), T);
        assertEquals("abc", new String(shared.readFrom(log, 0, 1 << 20), StandardCharsets.UTF_8));
        shared.run(List.of("sh", "-c", "printf def >> \"$1\"", "sh", log), T);
        assertEquals("def", new String(shared.readFrom(log, 3, 1 << 20), StandardCharsets.UTF_8));

        String missing = dir + "/missing";
        assertEquals(Optional.empty(), shared.readFile(missing));
        assertEquals(-1, shared.size(missing));
        assertEquals(0, shared.readFrom(missing, 0, 10).length);
        shared.delete(missing);

        shared.delete(file);
        assertEquals(-1, shared.size(file));
        String top = dir.substring(0, dir.indexOf("/sub dir"));
        shared.delete(top);
        assertEquals(-1, shared.size(top));
        assertThrows(IOException.class, () -> shared.delete("/"));
    }

    @Test
    void bigFilesAndPartialReadsKeepTheChannelInStep() throws Exception {
        String dir = shared.home() + "/hpc-ssh-big-" + System.nanoTime();
        shared.makePrivateDirectory(dir);
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);
        shared.writeFile(dir + "/big", data, false);
        assertEquals(data.length, shared.size(dir + "/big"));
        for (int i = 0; i < 5; i++) {
            long off = 1000L * i * i;
            byte[] part = shared.readFrom(dir + "/big", off, 4096);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, (int) off, (int) off + 4096), part);
            assertEquals(data.length, shared.size(dir + "/big"), "the SFTP channel is still in step after a partial read");
        }
        assertArrayEquals(data, shared.readFile(dir + "/big").orElseThrow());
        String sum = shared.run(List.of("sha256sum", dir + "/big"), T).stdout().split(" ")[0];
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data)), sum);
        shared.delete(dir);
    }

    @Test
    void statOwnerModesAndPathsAsTheLoginNodeSeesThem() throws Exception {
        String dir = shared.home() + "/hpc-ssh-info-" + System.nanoTime();
        shared.makePrivateDirectory(dir);
        int uid = shared.userId();
        assertEquals(Integer.parseInt(shared.run(List.of("id", "-u"), T).stdout().strip()), uid);
        FileInfo d = shared.info(dir, false).orElseThrow();
        assertEquals(new FileInfo(FileInfo.Type.DIRECTORY, uid, 0700, d.size()), d);
        shared.run(List.of("chmod", "1777", dir), T);
        assertTrue(shared.info(dir, true).orElseThrow().sticky());
        assertTrue(shared.info(dir, true).orElseThrow().writableByOthers());
        shared.run(List.of("ln", "-s", "/tmp", dir + "/link"), T);
        assertEquals(FileInfo.Type.SYMLINK, shared.info(dir + "/link", false).orElseThrow().type());
        assertEquals(0, shared.info(dir + "/link", true).orElseThrow().uid(), "followed: /tmp is root's");
        shared.writeFile(dir + "/f", new byte[5], false);
        assertEquals(new FileInfo(FileInfo.Type.FILE, uid, 0600, 5), shared.info(dir + "/f", false).orElseThrow());
        assertEquals(Optional.empty(), shared.info(dir + "/missing", false));
        // the same answers from stat(1) through a command, as any Transport gets them by default
        Transport viaStat = new Transport() {
            public String describe() { return shared.describe(); }
            public CommandResult run(List<String> argv, String stdin, Duration t) throws IOException { return shared.run(argv, stdin, t); }
            public String home() throws IOException { return shared.home(); }
            public void makePrivateDirectory(String path) {}
            public void writeFile(String path, byte[] content, boolean executable) {}
            public Optional<byte[]> readFile(String path) { return Optional.empty(); }
            public byte[] readFrom(String path, long offset, int maxBytes) { return new byte[0]; }
            public long size(String path) { return -1; }
            public void delete(String path) {}
            public void close() {}
        };
        for (String p : List.of(dir, dir + "/f", dir + "/link", dir + "/missing")) {
            assertEquals(shared.info(p, false), viaStat.info(p, false), p);
            assertEquals(shared.info(p, true), viaStat.info(p, true), p);
        }
        shared.delete(dir);
    }

    @Test
    void relativePathsAreRefusedNotTakenFromTheHomeDirectory() throws Exception {
        // SFTP would take "x/y" from the home directory, a job's shell from its job directory: refuse it.
        IOException e = assertThrows(IOException.class, () -> shared.writeFile("hpc-relative/x", new byte[1], false));
        assertTrue(e.getMessage().contains("\"hpc-relative/x\" is not an absolute path"), e.getMessage());
        assertThrows(IOException.class, () -> shared.writeDirectory("hpc-relative", java.util.Map.of("a", new byte[1]), java.util.Set.of()));
        assertEquals(-1, shared.size(shared.home() + "/hpc-relative"));
        // "~/" (older ledgers' job directories) is still the home directory, for staging too, never a directory named "~"
        String dir = "~/hpc-ssh-tilde-" + System.nanoTime();
        shared.writeDirectory(dir, java.util.Map.of("a", "x".getBytes(StandardCharsets.UTF_8)), java.util.Set.of());
        assertEquals(1, shared.size(shared.home() + dir.substring(1) + "/a"));
        assertEquals(-1, shared.size(shared.home() + "/~"));
        shared.delete(dir);
    }

    @Test
    void writeIntoMissingDirectoryFails() {
        assertThrows(IOException.class, () -> shared.writeFile("/nonexistent-dir/x/y", new byte[1], false));
        assertThrows(IOException.class, () -> shared.writeFile("/etc/hpc-not-allowed", new byte[1], false));
    }

    // ------------------------------------------------------------------ host keys

    @Test
    void unknownHostIsRefusedWithFingerprintAndFix() throws Exception {
        Path kh = tmp.resolve("empty_known_hosts");
        Files.writeString(kh, "");
        SshException e = assertThrows(SshException.class, () -> SshTransport.connect("strict",
                settings("127.0.0.1", PORT, S.resolve("id_ed25519"), kh, null, false), CredentialPrompt::none, options(home)));
        assertEquals(SshException.Kind.HOST_KEY_UNKNOWN, e.kind());
        String fp = sh("ssh-keygen", "-lf", S.resolve("ssh_host_ed25519_key.pub").toString()).split(" ")[1];
        assertTrue(e.getMessage().contains(fp), e.getMessage());
        assertTrue(e.getMessage().contains("[127.0.0.1]:" + PORT + " ssh-ed25519 AAAA"), e.getMessage());
        assertTrue(e.getMessage().contains("ssh-keyscan -p " + PORT + " 127.0.0.1 >> " + kh), e.getMessage());
        assertEquals("", Files.readString(kh), "strict mode writes nothing");
    }

    @Test
    void changedHostKeyIsRefused() throws Exception {
        Path other = keygen("fake_host_key", "ed25519", "");
        Path kh = tmp.resolve("changed_known_hosts");
        String[] pub = Files.readString(Path.of(other + ".pub")).split(" ");
        Files.writeString(kh, "[127.0.0.1]:" + PORT + " " + pub[0] + " " + pub[1] + "\n");
        for (boolean acceptNew : List.of(false, true)) {
            SshException e = assertThrows(SshException.class, () -> SshTransport.connect("changed",
                    settings("127.0.0.1", PORT, S.resolve("id_ed25519"), kh, null, acceptNew), CredentialPrompt::none, options(home)));
            assertEquals(SshException.Kind.HOST_KEY_CHANGED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("ssh-keygen -R '[127.0.0.1]:" + PORT + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("attack"), e.getMessage());
        }
    }

    @Test
    void acceptNewAddsTheKeyOnce() throws Exception {
        Path kh = tmp.resolve("new/known_hosts");
        SshTransport t = SshTransport.connect("accept-new",
                settings("127.0.0.1", PORT, S.resolve("id_ed25519"), kh, null, true), CredentialPrompt::none, options(home));
        t.close();
        List<String> lines = Files.readAllLines(kh);
        assertEquals(1, lines.size(), lines.toString());
        String serverKey = Files.readString(S.resolve("ssh_host_ed25519_key.pub")).split(" ")[1];
        assertTrue(lines.get(0).startsWith("[127.0.0.1]:" + PORT + " ssh-ed25519 " + serverKey), lines.get(0));
        SshTransport strict = SshTransport.connect("now-known",
                settings("127.0.0.1", PORT, S.resolve("id_ed25519"), kh, null, false), CredentialPrompt::none, options(home));
        assertTrue(strict.run(List.of("true"), T).ok());
        strict.close();
        assertEquals(1, Files.readAllLines(kh).size());
    }

    // ------------------------------------------------------------------ keys and logins

    @Test
    void keyTypes() throws Exception {
        Path ecdsa = keygen("id_ecdsa", "ecdsa", "");
        Path rsaNew = keygen("id_rsa_openssh", "rsa", "", "-b", "3072");
        authorize(ecdsa);
        authorize(rsaNew);
        for (Path key : List.of(S.resolve("id_ed25519"), S.resolve("id_rsa"), ecdsa, rsaNew)) {
            SshTransport t = SshTransport.connect("keys", settings("127.0.0.1", PORT, key, S.resolve("known_hosts"), null, false),
                    CredentialPrompt::none, options(home));
            try {
                assertEquals(USER + "\n", t.run(List.of("id", "-un"), T).stdout(), key.toString());
            } finally {
                t.close();
            }
        }
    }

    @Test
    void passphraseIsAskedOncePerTransport() throws Exception {
        Path key = keygen("id_pass", "ed25519", "correct horse");
        Path pem = keygen("id_pass_pem", "rsa", "pem pass", "-m", "PEM", "-b", "2048");
        authorize(key);
        authorize(pem);
        for (Path k : List.of(key, pem)) {
            String phrase = k.equals(key) ? "correct horse" : "pem pass";
            CountingPrompt prompt = new CountingPrompt((n, p) -> n == 1 ? "wrong" : phrase);
            SshTransport t = SshTransport.connect("pass", settings("127.0.0.1", PORT, k, S.resolve("known_hosts"), null, false),
                    () -> prompt, options(home));
            try {
                assertEquals(2, prompt.count(), "one wrong answer, then the right one: " + prompt.prompts);
                assertTrue(prompt.prompts.get(0).contains("passphrase for key " + k), prompt.prompts.get(0));
                for (int i = 0; i < 10; i++) assertTrue(t.run(List.of("true"), T).ok());
                t.home();
                assertEquals(2, prompt.count(), "not asked again for commands on the same connection");
            } finally {
                t.close();
            }
        }
    }

    @Test
    void passphraseWithoutStdinFailsFastAndClearly() throws Exception {
        Path key = keygen("id_pass2", "ed25519", "secret");
        authorize(key);
        long start = System.nanoTime();
        SshException e = assertThrows(SshException.class, () -> SshTransport.connect("nostdin",
                settings("127.0.0.1", PORT, key, S.resolve("known_hosts"), null, false), () -> NO_STDIN, options(home)));
        assertTrue(System.nanoTime() - start < 5e9);
        assertEquals(SshException.Kind.INPUT_UNAVAILABLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("cannot ask") && e.getMessage().contains("nbclient")
                && e.getMessage().contains("ssh-agent") && e.getMessage().contains(key.toString()), e.getMessage());
    }

    @Test
    void refusedKeyIsExplained() throws Exception {
        Path stranger = keygen("id_stranger", "ed25519", "");
        SshException e = assertThrows(SshException.class, () -> SshTransport.connect("refused",
                settings("127.0.0.1", PORT, stranger, S.resolve("known_hosts"), null, false), CredentialPrompt::none, options(home)));
        assertEquals(SshException.Kind.AUTH_FAILED, e.kind());
        assertTrue(e.getMessage().contains("no key was accepted") && e.getMessage().contains(stranger.toString())
                && e.getMessage().contains("authorized_keys"), e.getMessage());
    }

    @Test
    void unreachableServers() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        long start = System.nanoTime();
        SshException refused = assertThrows(SshException.class, () -> SshTransport.connect("down",
                settings("127.0.0.1", free, S.resolve("id_ed25519"), S.resolve("known_hosts"), null, false),
                CredentialPrompt::none, options(home)));
        assertEquals(SshException.Kind.CONNECTION_REFUSED, refused.kind(), refused.getMessage());
        assertTrue(System.nanoTime() - start < 3e9);
        SshException unknown = assertThrows(SshException.class, () -> SshTransport.connect("typo",
                settings("no-such-host.invalid", 22, S.resolve("id_ed25519"), S.resolve("known_hosts"), null, false),
                CredentialPrompt::none, options(home)));
        assertEquals(SshException.Kind.UNKNOWN_HOST, unknown.kind(), unknown.getMessage());
    }

    @Test
    void sshConfigAliasFillsTheGaps() throws Exception {
        Path cfg = tmp.resolve("alias_config");
        Files.writeString(cfg, "Host mycluster\n  HostName 127.0.0.1\n  Port " + PORT + "\n  User " + USER
                + "\n  IdentityFile " + S.resolve("id_ed25519") + "\n  UserKnownHostsFile " + S.resolve("known_hosts") + "\n");
        SshTransport t = SshTransport.connect("alias", new SshSettings("mycluster", null, null, null, null, null, false),
                CredentialPrompt::none, options(home).withSshConfig(cfg));
        try {
            assertEquals("ssh " + USER + "@127.0.0.1:" + PORT, t.describe());
            assertEquals(USER + "\n", t.run(List.of("whoami"), T).stdout());
        } finally {
            t.close();
        }
    }

    @Test
    void sshAgentKeysWork() throws Exception {
        Path sock = tmp.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString()).redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 50 && !Files.exists(sock); i++) Thread.sleep(50);
            Path key = keygen("id_agent", "ed25519", "agent pass");
            authorize(key);
            Path askpass = tmp.resolve("askpass.sh");
            Files.writeString(askpass, "#!/bin/sh\necho 'agent pass'\n");
            askpass.toFile().setExecutable(true);
            ProcessBuilder add = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", sock.toString());
            add.environment().put("SSH_ASKPASS", askpass.toString());
            add.environment().put("SSH_ASKPASS_REQUIRE", "force");
            add.environment().put("DISPLAY", ":0");
            Process p = add.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);

            // No key file at all: the agent's key logs in.
            CountingPrompt prompt = new CountingPrompt((n, q) -> "agent pass");
            SshTransport t = SshTransport.connect("agent", settings("127.0.0.1", PORT, null, S.resolve("known_hosts"), null, false),
                    () -> prompt, options(home).withAgentSocket(sock));
            assertEquals(USER + "\n", t.run(List.of("whoami"), T).stdout());
            t.close();
            // The passphrase-protected file whose key the agent holds: no passphrase question.
            SshTransport t2 = SshTransport.connect("agent2", settings("127.0.0.1", PORT, key, S.resolve("known_hosts"), null, false),
                    () -> prompt, options(home).withAgentSocket(sock));
            assertTrue(t2.run(List.of("true"), T).ok());
            t2.close();
            assertEquals(0, prompt.count(), prompt.prompts.toString());
        } finally {
            agent.destroy();
        }
    }

    // ------------------------------------------------------------------ connection loss

    /** The pid of the sshd process that serves {@code t}'s connection (parent of the remote shell). */
    static long servingSshd(SshTransport t) throws Exception {
        long pid = Long.parseLong(t.run(List.of("sh", "-c", "echo $PPID"), T).stdout().strip());
        for (int i = 0; i < 5; i++) {
            String comm = Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
            if (comm.startsWith("sshd")) return pid;
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            pid = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        }
        throw new AssertionError("no sshd above the remote shell");
    }

    @Test
    void killedServerProcessMeansReconnect() throws Exception {
        SshTransport t = SshTransport.connect("drop", plain(), CredentialPrompt::none, options(home));
        try {
            assertTrue(t.run(List.of("true"), T).ok());
            String dir = t.home() + "/hpc-ssh-drop-" + System.nanoTime();
            t.makePrivateDirectory(dir);
            t.writeFile(dir + "/f", "abc".getBytes(StandardCharsets.UTF_8), false);
            long sshd = servingSshd(t);
            assertTrue(ProcessHandle.of(sshd).orElseThrow().destroyForcibly());
            for (int i = 0; i < 50 && ProcessHandle.of(sshd).map(ProcessHandle::isAlive).orElse(false); i++) Thread.sleep(20);

            long start = System.nanoTime();
            boolean recovered = false;
            IOException firstFailure = null;
            for (int i = 0; i < 40 && !recovered; i++) {
                long callStart = System.nanoTime();
                try {
                    recovered = "abc".equals(new String(t.readFrom(dir + "/f", 0, 10), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    if (firstFailure == null) firstFailure = e;
                    assertTrue(e instanceof SshException && ((SshException) e).transientFailure(), e.toString());
                    Thread.sleep(100);
                }
                assertTrue(System.nanoTime() - callStart < 3e9, "calls during the outage fail fast");
            }
            assertTrue(recovered, "reconnected within 4 s; first failure: " + firstFailure);
            System.out.printf("drop: recovered after %.0f ms, first call %s%n", (System.nanoTime() - start) / 1e6,
                    firstFailure == null ? "reconnected at once" : "failed: " + firstFailure.getMessage());
            assertEquals(2, t.connectionInfo().logins());
            assertTrue(t.run(List.of("true"), T).ok());
            t.delete(dir);
        } finally {
            t.close();
        }
    }

    /** A TCP relay in front of the test sshd that can cut every connection and refuse new ones. */
    static final class Relay implements AutoCloseable {
        final int port;
        private final int target;
        private volatile ServerSocket server;
        private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
        /** A black hole: connections stay open, but nothing gets through (a stuck network). */
        volatile boolean frozen;

        Relay(int target) throws IOException {
            this.target = target;
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            this.port = s.getLocalPort();
            start(s);
        }

        private void start(ServerSocket s) {
            server = s;
            Thread accept = new Thread(() -> {
                while (!s.isClosed()) {
                    try {
                        Socket client = s.accept();
                        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                        open.add(client);
                        open.add(upstream);
                        pump(client, upstream);
                        pump(upstream, client);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "relay-accept");
            accept.setDaemon(true);
            accept.start();
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    byte[] buf = new byte[16384];
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        while (frozen) Thread.sleep(20);
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // cut
                } finally {
                    try {
                        from.close();
                        to.close();
                    } catch (IOException ignored) {
                        // closed
                    }
                }
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        /** Network down: every connection dies, new ones are refused. */
        void cut() throws IOException {
            server.close();
            synchronized (open) {
                for (Socket s : open) s.close();
                open.clear();
            }
        }

        /** Network back. */
        void restore() throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            start(s);
        }

        @Override
        public void close() throws IOException {
            cut();
        }
    }

    @Test
    void outageFailsFastThenReconnectsWithBackoff() throws Exception {
        try (Relay relay = new Relay(PORT)) {
            Path kh = knownHostsFor("[127.0.0.1]:" + relay.port);
            SshTransport t = SshTransport.connect("outage",
                    settings("127.0.0.1", relay.port, S.resolve("id_ed25519"), kh, null, false), CredentialPrompt::none, options(home));
            try {
                assertTrue(t.run(List.of("true"), T).ok());
                relay.cut();
                List<SshException> failures = new ArrayList<>();
                long outageStart = System.nanoTime();
                while (System.nanoTime() - outageStart < 1.5e9) {
                    long s = System.nanoTime();
                    try {
                        t.run(List.of("true"), T);
                        fail("a call succeeded while the network was down");
                    } catch (SshException e) {
                        failures.add(e);
                        assertTrue(e.transientFailure(), e.kind() + ": " + e.getMessage());
                    }
                    assertTrue(System.nanoTime() - s < 2e9, "fails fast during the outage");
                    Thread.sleep(50);
                }
                assertTrue(failures.size() >= 10, "calls kept failing fast: " + failures.size());
                assertTrue(failures.stream().anyMatch(e -> e.kind() == SshException.Kind.RECONNECTING),
                        "calls between attempts wait for the next attempt");
                assertTrue(failures.stream().anyMatch(e -> e.getMessage().contains("next connection attempt in")));
                relay.restore();
                long back = System.nanoTime();
                boolean ok = false;
                while (!ok && System.nanoTime() - back < 5e9) {
                    try {
                        ok = t.run(List.of("true"), T).ok();
                    } catch (SshException e) {
                        Thread.sleep(100);
                    }
                }
                assertTrue(ok, "reconnected after the outage");
                assertEquals(2, t.connectionInfo().logins());
            } finally {
                t.close();
            }
        }
    }

    @Test
    void stuckNetworkIsNoticedByKeepalivesAlsoBehindAJumpHost() throws Exception {
        try (Relay relay = new Relay(PORT)) {
            Path cfg = tmp.resolve("keepalive_config");
            Files.writeString(cfg, "Host 127.0.0.1\n  ServerAliveInterval 1\n  ServerAliveCountMax 2\n"
                    + "Host jumper\n  HostName 127.0.0.1\n  Port " + PORT + "\n  User " + USER + "\n  IdentityFile "
                    + S.resolve("id_ed25519") + "\n  UserKnownHostsFile " + S.resolve("known_hosts") + "\n");
            Path kh = knownHostsFor("[127.0.0.1]:" + relay.port);
            for (String jump : java.util.Arrays.asList(null, "jumper")) {
                SshTransport t = SshTransport.connect("stuck",
                        settings("127.0.0.1", relay.port, S.resolve("id_ed25519"), kh, jump, false), CredentialPrompt::none,
                        options(home).withSshConfig(cfg));
                try {
                    assertEquals(jump == null ? 0 : 1, t.jumpHosts().size());
                    assertTrue(t.run(List.of("true"), T).ok());
                    String f = t.home() + "/hpc-ssh-stuck-" + System.nanoTime();
                    t.writeFile(f, new byte[] {1}, false);
                    relay.frozen = true;
                    long start = System.nanoTime();
                    IOException e = assertThrows(IOException.class, () -> t.size(f), "an SFTP call on a stuck connection");
                    long took = System.nanoTime() - start;
                    assertTrue(e instanceof SshException && ((SshException) e).kind() == SshException.Kind.CONNECTION_LOST, e.toString());
                    assertTrue(took < 8e9, "noticed after " + took / 1e6 + " ms (keepalive 1 s x 2)");
                    System.out.printf("stuck network (%s): noticed after %.0f ms%n", jump == null ? "direct" : "via jump", took / 1e6);
                    relay.frozen = false;
                    assertEquals(1, t.size(f), "reconnected");
                    t.delete(f);
                } finally {
                    relay.frozen = false;
                    t.close();
                }
            }
        }
    }

    // ------------------------------------------------------------------ timings for the report

    @Test
    void timings() throws Exception {
        List<Long> connects = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long s = System.nanoTime();
            SshTransport t = SshTransport.connect("timing", plain(), CredentialPrompt::none, options(home));
            connects.add(System.nanoTime() - s);
            t.close();
        }
        List<Long> cmds = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long s = System.nanoTime();
            assertTrue(shared.run(List.of("true"), T).ok());
            cmds.add(System.nanoTime() - s);
        }
        String f = shared.home() + "/hpc-ssh-timing-" + System.nanoTime();
        shared.writeFile(f, "x".repeat(4096).getBytes(StandardCharsets.UTF_8), false);
        List<Long> reads = new ArrayList<>();
        List<Long> idle = new ArrayList<>();
        List<Long> writes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long s = System.nanoTime();
            shared.readFile(f).orElseThrow();
            reads.add(System.nanoTime() - s);
            s = System.nanoTime();
            shared.readFrom(f, 4096, 1 << 16);
            idle.add(System.nanoTime() - s);
            s = System.nanoTime();
            shared.writeFile(f, "y".repeat(4096).getBytes(StandardCharsets.UTF_8), false);
            writes.add(System.nanoTime() - s);
        }
        shared.delete(f);
        System.out.println("timing connect+login (ed25519, loopback): " + median(connects));
        System.out.println("timing run(true) on the reused connection: " + median(cmds));
        System.out.println("timing readFile 4 KiB (SFTP): " + median(reads));
        System.out.println("timing readFrom with nothing new (SFTP stat): " + median(idle));
        System.out.println("timing writeFile 4 KiB (SFTP temp+chmod+rename): " + median(writes));
        System.out.println("connection: " + shared.connectionInfo().summary());
    }
}
