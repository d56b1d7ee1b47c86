package org.hpckernel.hpc.transport;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.hpckernel.util.Log;

/**
 * A cluster reached over SSH (JSch), through jump hosts if configured. One login per cluster,
 * kept alive (ServerAliveInterval) and shared by everything: commands run on exec channels (each
 * argv word single-quoted for the remote user's POSIX shell), files go through one SFTP channel.
 * <p>
 * A broken connection is noticed by the next call, which logs in again at once; when that fails,
 * further attempts wait 0.5 s, 1 s, 2 s ... up to 30 s, and calls in between fail at once with a
 * {@link SshException} of a transient kind (the caller shows "reconnecting" and tries later). A
 * command that was running when the connection broke fails with {@link SshException.Kind#CONNECTION_LOST}:
 * it may or may not have run, and is never repeated here. Passphrases, passwords and one-time codes
 * are asked through the {@link CredentialPrompt} that {@code prompts} gives at the time of the
 * login (never logged); a prompt that cannot ask gives a fast, clear failure.
 */
public final class SshTransport implements Transport {
    private static final int CHANNEL_OPEN_TIMEOUT_MS = 10_000;
    /** Exec channels at once; with the SFTP channel this stays under sshd's default MaxSessions (10). */
    private static final int MAX_CHANNELS = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Where the transport looks for things; {@link #defaults()} for real use.
     *
     * @param sshConfig the OpenSSH client config (null: none)
     * @param home where ~ points, and the default keys and known_hosts live
     * @param agentSocket ssh-agent's socket (SSH_AUTH_SOCK), or null
     * @param globalKnownHosts read-only known_hosts files used when ssh_config names none
     * @param firstRetryDelay the wait after the first failed reconnect; it doubles up to {@code maxRetryDelay}
     */
    public record Options(Path sshConfig, Path home, Path agentSocket, List<Path> globalKnownHosts,
            Duration firstRetryDelay, Duration maxRetryDelay) {
        public Options {
            globalKnownHosts = List.copyOf(globalKnownHosts);
        }

        public static Options defaults() {
            Path home = Path.of(System.getProperty("user.home"));
            String sock = System.getenv("SSH_AUTH_SOCK");
            return new Options(home.resolve(".ssh").resolve("config"), home,
                    sock == null || sock.isBlank() ? null : Path.of(sock),
                    List.of(Path.of("/etc/ssh/ssh_known_hosts"), Path.of("/etc/ssh/ssh_known_hosts2")),
                    Duration.ofMillis(500), Duration.ofSeconds(30));
        }

        public Options withSshConfig(Path file) {
            return new Options(file, home, agentSocket, globalKnownHosts, firstRetryDelay, maxRetryDelay);
        }

        public Options withHome(Path dir) {
            return new Options(sshConfig, dir, agentSocket, globalKnownHosts, firstRetryDelay, maxRetryDelay);
        }

        public Options withAgentSocket(Path socket) {
            return new Options(sshConfig, home, socket, globalKnownHosts, firstRetryDelay, maxRetryDelay);
        }

        public Options withGlobalKnownHosts(List<Path> files) {
            return new Options(sshConfig, home, agentSocket, files, firstRetryDelay, maxRetryDelay);
        }

        public Options withRetryDelays(Duration first, Duration max) {
            return new Options(sshConfig, home, agentSocket, globalKnownHosts, first, max);
        }
    }

    /** For {@code %hpc check}: where the connection goes and how fast it is. */
    public record ConnectionInfo(String cluster, String destination, List<String> via, String serverVersion,
            String hostKey, Instant connectedAt, Duration loginTime, int logins, boolean interactiveLogin,
            Duration roundTrip) {
        /** One line for a notebook. */
        public String summary() {
            StringBuilder s = new StringBuilder("ssh ").append(destination);
            if (!via.isEmpty()) s.append(" via ").append(String.join(" -> ", via));
            s.append(": ").append(serverVersion);
            if (hostKey != null) s.append(", host key ").append(hostKey);
            s.append(", round trip ").append(millis(roundTrip)).append(", login took ").append(millis(loginTime));
            if (logins > 1) s.append(", ").append(logins - 1).append(" reconnect").append(logins == 2 ? "" : "s");
            if (interactiveLogin) s.append(", login needed a password/code/passphrase");
            return s.toString();
        }

        private static String millis(Duration d) {
            long us = d.toNanos() / 1000;
            return us < 10_000 ? String.format(java.util.Locale.ROOT, "%.1f ms", us / 1000.0) : (us / 1000) + " ms";
        }
    }

    private interface SftpCall<T> {
        T call(ChannelSftp ch) throws SftpException, IOException;
    }

    private final String cluster;
    private final SshConnector connector;
    private final Supplier<CredentialPrompt> prompts;
    private final Options options;
    private final Semaphore channels = new Semaphore(MAX_CHANNELS, true);

    private final Object state = new Object();
    private SshConnector.Connection connection;
    private boolean connecting;
    private boolean closed;
    private long retryDelayMillis;
    private long nextAttemptNanos;
    private SshException lastFailure;
    private boolean loginNeedsPerson;
    private int logins;

    private final Object sftpLock = new Object();
    private ChannelSftp sftp;
    private SshConnector.Connection sftpOwner;
    private boolean posixRename;
    private volatile String home;

    private SshTransport(String cluster, SshConnector connector, Supplier<CredentialPrompt> prompts, Options options) {
        this.cluster = cluster;
        this.connector = connector;
        this.prompts = prompts;
        this.options = options;
    }

    /** Connects (and logs in) to the cluster's login node; settings not given come from ~/.ssh/config. */
    public static SshTransport connect(String clusterName, SshSettings settings,
            Supplier<CredentialPrompt> prompts) throws IOException {
        return connect(clusterName, settings, prompts, Options.defaults());
    }

    public static SshTransport connect(String clusterName, SshSettings settings,
            Supplier<CredentialPrompt> prompts, Options options) throws IOException {
        SshTransport t = create(clusterName, settings, prompts, options);
        try {
            t.live();
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** Resolves the settings without connecting: the first call logs in. */
    public static SshTransport create(String clusterName, SshSettings settings,
            Supplier<CredentialPrompt> prompts, Options options) throws SshException {
        SshConfigResolver resolver;
        try {
            resolver = SshConfigResolver.load(options.sshConfig(), options.home(), options.globalKnownHosts());
        } catch (SshException e) {
            throw e;
        } catch (IOException e) {
            throw new SshException(SshException.Kind.CONFIG, "cluster " + clusterName + ": cannot read "
                    + options.sshConfig() + ": " + e.getMessage(), e);
        }
        for (String note : resolver.notes()) Log.warn("ssh: %s", note);
        SshEndpoint target = resolver.resolve(settings.host(), settings.port(), settings.user(), settings.identityFile(),
                settings.knownHostsFile(), settings.proxyJump(), settings.acceptNewHostKeys());
        List<SshEndpoint> jumps = resolver.resolveJumps(target, settings.identityFile(), settings.knownHostsFile(),
                settings.acceptNewHostKeys());
        return new SshTransport(clusterName, new SshConnector(clusterName, target, jumps, options.agentSocket()),
                prompts == null ? CredentialPrompt::none : prompts, options);
    }

    /** The login node and the jump hosts in front of it, as resolved. */
    public SshEndpoint endpoint() {
        return connector.target();
    }

    public List<SshEndpoint> jumpHosts() {
        return connector.jumps();
    }

    @Override
    public String describe() {
        return "ssh " + connector.target().destination();
    }

    /** True while the login is alive (no network round trip). */
    public boolean isConnected() {
        synchronized (state) {
            return connection != null && connection.isConnected();
        }
    }

    /** Runs {@code true} and returns the round trip over the existing connection. */
    public Duration ping() throws IOException {
        long start = System.nanoTime();
        CommandResult r = run(List.of("true"), Duration.ofSeconds(30));
        if (r.timedOut()) throw new SshException(SshException.Kind.TIMEOUT, "cluster " + cluster + ": `true` took more than 30 s");
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Connects if needed, measures a round trip, and says where the connection goes. */
    public ConnectionInfo connectionInfo() throws IOException {
        Duration rtt = ping();
        SshConnector.Connection c = live();
        List<String> via = new ArrayList<>();
        for (SshEndpoint e : connector.jumps()) via.add(e.destination());
        int n;
        boolean person;
        synchronized (state) {
            n = logins;
            person = loginNeedsPerson;
        }
        return new ConnectionInfo(cluster, connector.target().destination(), via, c.session().getServerVersion(),
                c.hostKey, c.connectedAt, Duration.ofNanos(c.connectNanos), n, person, rtt);
    }

    // ---------------------------------------------------------------------------------------
    // The connection

    private SshConnector.Connection live() throws IOException {
        CredentialPrompt prompt;
        long now;
        synchronized (state) {
            if (closed) throw new IOException("cluster " + cluster + ": " + describe() + " is closed");
            SshConnector.Connection c = connection;
            if (c != null) {
                if (c.isConnected()) return c;
                connection = null;
                c.close();
                Log.warn("ssh: cluster %s: connection to %s lost; logging in again", cluster, connector.target().destination());
            }
            if (connecting) {
                throw new SshException(SshException.Kind.RECONNECTING, "cluster " + cluster + ": logging in to "
                        + connector.target().destination() + " (another call is connecting); try again shortly");
            }
            prompt = prompts.get();
            if (prompt == null) prompt = CredentialPrompt.none();
            now = System.nanoTime();
            if (lastFailure != null && now - nextAttemptNanos < 0) {
                boolean userCanFix = !lastFailure.transientFailure() && lastFailure.kind() != SshException.Kind.AUTH_CANCELLED;
                if (!(userCanFix && prompt.interactive())) {
                    long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextAttemptNanos - now));
                    SshException.Kind kind = lastFailure.transientFailure() ? SshException.Kind.RECONNECTING : lastFailure.kind();
                    throw new SshException(kind, lastFailure.getMessage() + "\n(next connection attempt in "
                            + (waitMs < 1000 ? waitMs + " ms" : (waitMs + 999) / 1000 + " s") + ")", lastFailure);
                }
            }
            if (loginNeedsPerson && !prompt.interactive()) {
                throw new SshException(SshException.Kind.INPUT_UNAVAILABLE,
                        SshErrors.inputUnavailable(cluster, connector.target(), null));
            }
            connecting = true;
        }
        try {
            SshConnector.Connection c = connector.connect(prompt);
            synchronized (state) {
                connecting = false;
                if (closed) {
                    c.close();
                    throw new IOException("cluster " + cluster + ": " + describe() + " is closed");
                }
                connection = c;
                lastFailure = null;
                retryDelayMillis = 0;
                if (c.answered > 0) loginNeedsPerson = true;
                logins++;
            }
            Log.info("ssh: cluster %s: logged in to %s in %d ms%s", cluster, connector.target().destination(),
                    TimeUnit.NANOSECONDS.toMillis(c.connectNanos), connector.jumps().isEmpty() ? "" : " via " + connector.jumps().size() + " jump host(s)");
            return c;
        } catch (SshException e) {
            failed(e);
            throw e;
        } catch (RuntimeException e) {
            SshException wrapped = new SshException(SshException.Kind.OTHER, "cluster " + cluster + ": cannot connect to "
                    + connector.target().destination() + ": " + e, e);
            failed(wrapped);
            throw wrapped;
        }
    }

    private void failed(SshException e) {
        synchronized (state) {
            connecting = false;
            long first = Math.max(1, options.firstRetryDelay().toMillis());
            retryDelayMillis = retryDelayMillis == 0 ? first : Math.min(retryDelayMillis * 2, options.maxRetryDelay().toMillis());
            nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryDelayMillis);
            lastFailure = e;
        }
        Log.debug("ssh: cluster %s: login failed (%s), next attempt in %d ms", cluster, e.kind(), retryDelayMillis);
    }

    /** Forgets a connection that broke during {@code what}; the next call logs in again. */
    private SshException lost(SshConnector.Connection c, String what, Throwable cause) {
        synchronized (state) {
            if (connection == c) connection = null;
        }
        c.close();
        Log.warn("ssh: cluster %s: connection to %s lost during %s: %s", cluster, connector.target().destination(), what,
                cause == null ? "-" : SshErrors.firstLine(cause));
        return SshErrors.lost(cluster, connector.target(), what, cause);
    }

    @Override
    public void close() {
        SshConnector.Connection c;
        synchronized (state) {
            closed = true;
            c = connection;
            connection = null;
        }
        synchronized (sftpLock) {
            closeSftp();
        }
        if (c != null) c.close();
        connector.clear();
    }

    // ---------------------------------------------------------------------------------------
    // Commands

    /** The command line for the remote shell: every word in single quotes ({@code '} as {@code '\''}). */
    public static String commandLine(List<String> argv) {
        if (argv == null || argv.isEmpty()) throw new IllegalArgumentException("empty command");
        StringBuilder line = new StringBuilder();
        for (String word : argv) {
            if (word == null) throw new IllegalArgumentException("null word in command " + argv);
            if (line.length() > 0) line.append(' ');
            line.append('\'').append(word.replace("'", "'\\''")).append('\'');
        }
        return line.toString();
    }

    @Override
    public CommandResult run(List<String> argv, String stdin, Duration timeout) throws IOException {
        String line = commandLine(argv);
        long deadline = System.nanoTime() + timeout.toNanos();
        String what = "`" + argv.get(0) + "`";
        SshConnector.Connection c = live();
        try {
            if (!channels.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return new CommandResult(argv, -1, "", "too many commands at once on " + describe(), true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to run " + what);
        }
        ChannelExec ch = null;
        try {
            try {
                ch = (ChannelExec) c.session().openChannel("exec");
            } catch (JSchException e) {
                throw channelFailure(c, "starting " + what, e);
            }
            ch.setCommand(line.getBytes(StandardCharsets.UTF_8));
            CountDownLatch finished = new CountDownLatch(1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Sink err = new Sink(finished);
            ch.setOutputStream(out, true);
            ch.setErrStream(err, false); // JSch closes it when the channel closes: that wakes us up
            ch.setInputStream(null);
            long opening = System.nanoTime();
            try {
                // No timeout here on purpose: with one, JSch waits for the exec request's reply by
                // polling every 10 ms, which would add ~10 ms to every command. Opening the channel
                // still gives up after ~20 s, and the command's own deadline applies below.
                ch.connect();
            } catch (JSchException e) {
                if (System.nanoTime() - opening > TimeUnit.SECONDS.toNanos(5)) {
                    // No answer to a channel request: the connection is dead even if TCP has not noticed
                    // (a login node behind a jump host gets no keepalives of its own).
                    throw lost(c, "starting " + what + " (no answer from the server)", e);
                }
                throw channelFailure(c, "starting " + what, e);
            }
            // stdin, then EOF (the remote command sees an empty stdin when there is none, like /dev/null)
            try (OutputStream in = ch.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                if (!c.isConnected()) throw lost(c, "running " + what, e);
                // the command closed its stdin early: fine
            }
            while (!ch.isClosed()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    try {
                        ch.sendSignal("TERM");
                    } catch (Exception e) {
                        // the server may not support signals; closing the channel still ends our side
                    }
                    return new CommandResult(argv, -1, text(out), text(err), true);
                }
                if (!c.isConnected()) break;
                if (finished.getCount() == 0) {
                    Thread.sleep(1);
                } else {
                    finished.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
                }
            }
            int status = ch.getExitStatus();
            String signal = ch.getExitSignal();
            if (status < 0 && signal == null && !c.isConnected()) {
                throw lost(c, "running " + what + " (it may or may not have run)", null);
            }
            if (status < 0 && signal != null) status = 128 + signalNumber(signal);
            String errText = text(err);
            if (status < 0 && signal == null) {
                errText += (errText.isEmpty() || errText.endsWith("\n") ? "" : "\n")
                        + "(the server closed the command's channel without an exit status)";
            }
            return new CommandResult(argv, status, text(out), errText, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            try {
                if (ch != null && ch.isConnected()) ch.sendSignal("TERM");
            } catch (Exception ignored) {
                // best effort: the channel is closed below anyway
            }
            throw new InterruptedIOException("interrupted while running " + what);
        } finally {
            if (ch != null) ch.disconnect();
            channels.release();
        }
    }

    private SshException channelFailure(SshConnector.Connection c, String what, JSchException e) {
        if (!c.isConnected() || SshErrors.looksLikeConnectionLoss(e)) return lost(c, what, e);
        String m = String.valueOf(e.getMessage());
        if (m.contains("timeout") || m.contains("timed out")) {
            // The server did not even answer a channel request: treat the connection as dead.
            return lost(c, what + " (no answer from the server in " + CHANNEL_OPEN_TIMEOUT_MS / 1000 + " s)", e);
        }
        return new SshException(SshException.Kind.OTHER, "cluster " + cluster + ": " + describe() + " refused "
                + what + ": " + m + " (too many sessions on one connection? see MaxSessions)", e);
    }

    /** Collects stderr; its close() (by JSch, when the channel closes) releases the waiting caller. */
    private static final class Sink extends ByteArrayOutputStream {
        private final CountDownLatch closed;

        Sink(CountDownLatch closed) {
            this.closed = closed;
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    private static String text(ByteArrayOutputStream b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    private static int signalNumber(String name) {
        return switch (name) {
            case "HUP" -> 1;
            case "INT" -> 2;
            case "QUIT" -> 3;
            case "ILL" -> 4;
            case "ABRT" -> 6;
            case "FPE" -> 8;
            case "KILL" -> 9;
            case "USR1" -> 10;
            case "SEGV" -> 11;
            case "USR2" -> 12;
            case "PIPE" -> 13;
            case "ALRM" -> 14;
            case "TERM" -> 15;
            default -> 0;
        };
    }

    // ---------------------------------------------------------------------------------------
    // Files (one SFTP channel, one operation at a time)

    private <T> T sftp(String what, SftpCall<T> call) throws IOException {
        SshConnector.Connection c = live();
        synchronized (sftpLock) {
            ChannelSftp ch = sftpChannel(c);
            try {
                return call.call(ch);
            } catch (SftpException e) {
                if (!c.isConnected() || ch.isClosed() || SshErrors.looksLikeConnectionLoss(e)) {
                    closeSftp();
                    throw lost(c, what, e);
                }
                throw sftpError(what, e);
            } catch (IOException e) {
                if (e instanceof SshException || e instanceof NoSuchFileException || e instanceof AccessDeniedException
                        || String.valueOf(e.getMessage()).startsWith("cluster " + cluster + ": ")) {
                    throw e;
                }
                if (!c.isConnected() || ch.isClosed() || SshErrors.looksLikeConnectionLoss(e)) {
                    closeSftp();
                    throw lost(c, what, e);
                }
                closeSftp(); // a stream broke half-way: start the next call on a fresh channel
                throw new IOException("cluster " + cluster + ": " + what + " failed: " + e.getMessage(), e);
            }
        }
    }

    private ChannelSftp sftpChannel(SshConnector.Connection c) throws IOException {
        if (sftp != null && sftpOwner == c && sftp.isConnected() && !sftp.isClosed()) return sftp;
        closeSftp();
        try {
            ChannelSftp ch = (ChannelSftp) c.session().openChannel("sftp");
            ch.connect(CHANNEL_OPEN_TIMEOUT_MS);
            sftp = ch;
            sftpOwner = c;
            posixRename = "1".equals(ch.getExtension("posix-rename@openssh.com"));
            return ch;
        } catch (JSchException e) {
            if (!c.isConnected() || SshErrors.looksLikeConnectionLoss(e)) throw lost(c, "starting SFTP", e);
            throw new SshException(SshException.Kind.OTHER, "cluster " + cluster + ": cannot start SFTP on " + describe()
                    + " (is the sftp subsystem enabled on the login node?): " + e.getMessage(), e);
        }
    }

    private void closeSftp() {
        if (sftp != null) {
            try {
                sftp.disconnect();
            } catch (RuntimeException e) {
                // already gone
            }
        }
        sftp = null;
        sftpOwner = null;
    }

    private IOException sftpError(String what, SftpException e) {
        String path = what.substring(what.indexOf(' ') + 1);
        return switch (e.id) {
            case ChannelSftp.SSH_FX_NO_SUCH_FILE -> new NoSuchFileException(path, null,
                    "cluster " + cluster + ": " + what + ": no such file or directory");
            case ChannelSftp.SSH_FX_PERMISSION_DENIED -> new AccessDeniedException(path, null,
                    "cluster " + cluster + ": " + what + ": permission denied");
            default -> new IOException("cluster " + cluster + ": " + what + " failed: " + e.getMessage(), e);
        };
    }

    /**
     * A path as JSch's SFTP methods that expand wildcards want it: {@code \}, {@code *} and
     * {@code ?} escaped, so every path is taken literally. (Not for mkdir, which takes it raw.)
     */
    static String literal(String path) {
        StringBuilder b = new StringBuilder(path.length() + 8);
        for (int i = 0; i < path.length(); i++) {
            char ch = path.charAt(i);
            if (ch == '\\' || ch == '*' || ch == '?') b.append('\\');
            b.append(ch);
        }
        return b.toString();
    }

    /**
     * The absolute path SFTP and commands get. "~" is expanded for callers that still pass it (job
     * directories in older ledgers); any other relative path is refused: SFTP would take it from
     * the home directory while a shell in a job directory would not, and the two must agree.
     */
    private String resolve(String path) throws IOException {
        if (path == null || path.isEmpty()) throw new IOException("cluster " + cluster + ": empty path");
        if (path.equals("~")) return home();
        if (path.startsWith("~/")) return home() + path.substring(1);
        if (!path.startsWith("/")) {
            throw new IOException("cluster " + cluster + ": \"" + path + "\" is not an absolute path on " + describe());
        }
        return path;
    }

    @Override
    public Optional<FileInfo> info(String path, boolean followLinks) throws IOException {
        String p = resolve(path);
        return sftp("checking " + p, ch -> {
            SftpATTRS a;
            try {
                a = followLinks ? ch.stat(literal(p)) : ch.lstat(literal(p));
            } catch (SftpException e) {
                if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) return Optional.<FileInfo>empty();
                throw e;
            }
            int perm = a.getPermissions();
            return Optional.of(new FileInfo(FileInfo.typeOf(perm), a.getUId(), perm & 07777, a.getSize()));
        });
    }

    private volatile Integer userId;

    @Override
    public int userId() throws IOException {
        Integer id = userId;
        if (id == null) {
            id = Transport.super.userId();
            userId = id;
        }
        return id;
    }

    private static SftpATTRS statOrNull(ChannelSftp ch, String path) throws SftpException {
        try {
            return ch.stat(literal(path));
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) return null;
            throw e;
        }
    }

    private static SftpATTRS mode(int bits) {
        SftpATTRS a = new SftpATTRS();
        a.setPERMISSIONS(bits);
        return a;
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) return null; // relative to the home directory, which exists
        if (slash == 0) return path.length() > 1 ? "/" : null;
        return path.substring(0, slash);
    }

    @Override
    public String home() throws IOException {
        String h = home;
        if (h != null) return h;
        h = sftp("finding the home directory", ChannelSftp::getHome);
        home = h;
        return h;
    }

    /**
     * One command instead of a few SFTP round trips per file: the files travel as a tar stream
     * (gzipped, base64 on stdin, which is text here) into {@code mkdir -p && tar -x} on the login node.
     */
    @Override
    public void writeDirectory(String dir, java.util.Map<String, byte[]> files, java.util.Set<String> executables)
            throws IOException {
        String target = resolve(dir);
        String archive = java.util.Base64.getEncoder().encodeToString(TarStream.gzipped(files, executables));
        // A failed extraction (full disk, quota) removes what it wrote: a half-staged job directory
        // must not be found by anyone later.
        CommandResult r = run(List.of("/bin/sh", "-c",
                "umask 077 && mkdir -p -- \"$1\" && chmod 700 -- \"$1\" && base64 -d | tar -x -z -f - -C \"$1\""
                        + " || { rc=$?; rm -rf -- \"$1\"; exit $rc; }", "hpc-stage", target),
                archive, java.time.Duration.ofSeconds(60));
        if (!r.ok()) throw new IOException("staging " + target + " on " + describe() + " failed: " + r.output());
    }

    @Override
    public void makePrivateDirectory(String path) throws IOException {
        String p = resolve(path);
        while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
        String dir = p;
        sftp("creating " + dir, ch -> {
            SftpATTRS a = statOrNull(ch, dir);
            if (a == null) {
                List<String> missing = new ArrayList<>();
                String cur = dir;
                while (cur != null) {
                    missing.add(0, cur);
                    String up = parent(cur);
                    if (up == null) break;
                    SftpATTRS ua = statOrNull(ch, up);
                    if (ua != null) {
                        if (!ua.isDir()) throw new IOException("cluster " + cluster + ": cannot create " + dir + ": " + up + " is not a directory");
                        break;
                    }
                    cur = up;
                }
                for (String d : missing) {
                    try {
                        ch.mkdir(d);
                    } catch (SftpException e) {
                        SftpATTRS now = statOrNull(ch, d); // made meanwhile by someone else?
                        if (now == null || !now.isDir()) throw e;
                    }
                }
            } else if (!a.isDir()) {
                throw new IOException("cluster " + cluster + ": " + dir + " exists and is not a directory");
            }
            if (a == null || (a.getPermissions() & 07777) != 0700) ch.setStat(literal(dir), mode(0700));
            return null;
        });
    }

    @Override
    public void writeFile(String path, byte[] content, boolean executable) throws IOException {
        String p = resolve(path);
        int slash = p.lastIndexOf('/');
        String name = p.substring(slash + 1);
        if (name.isEmpty()) throw new IOException("cluster " + cluster + ": not a file name: " + path);
        String temp = p.substring(0, slash + 1) + "." + name + ".tmp-" + HexFormat.of().formatHex(randomBytes(6));
        try {
            writeThroughTemp(p, temp, content, executable);
        } catch (IOException e) {
            // The channel that failed (a full disk fails the upload's close) may not take the
            // removal: it is tried again on a fresh one, so that nothing half-written stays behind.
            try {
                sftp("removing " + temp, ch -> {
                    if (statOrNull(ch, temp) != null) ch.rm(literal(temp));
                    return null;
                });
            } catch (IOException | RuntimeException ignored) {
                e.addSuppressed(ignored);
            }
            throw e;
        }
    }

    private void writeThroughTemp(String p, String temp, byte[] content, boolean executable) throws IOException {
        sftp("writing " + p, ch -> {
            boolean done = false;
            try {
                OutputStream os = ch.put(literal(temp), ChannelSftp.OVERWRITE);
                try {
                    // Private before the first byte arrives.
                    ch.setStat(literal(temp), mode(executable ? 0700 : 0600));
                    os.write(content);
                } finally {
                    os.close();
                }
                if (posixRename) {
                    ch.rename(literal(temp), literal(p));
                } else {
                    try {
                        ch.rename(literal(temp), literal(p));
                    } catch (SftpException e) {
                        // SFTP v3 rename refuses an existing target
                        if (statOrNull(ch, p) == null) throw e;
                        ch.rm(literal(p));
                        ch.rename(literal(temp), literal(p));
                    }
                }
                done = true;
            } finally {
                if (!done) {
                    try {
                        ch.rm(literal(temp));
                    } catch (SftpException | RuntimeException ignored) {
                        // best effort
                    }
                }
            }
            return null;
        });
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    @Override
    public Optional<byte[]> readFile(String path) throws IOException {
        String p = resolve(path);
        return sftp("reading " + p, ch -> {
            try (InputStream in = ch.get(literal(p))) {
                return Optional.of(in.readAllBytes());
            } catch (SftpException e) {
                if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) return Optional.empty();
                throw e;
            }
        });
    }

    @Override
    public byte[] readFrom(String path, long offset, int maxBytes) throws IOException {
        if (maxBytes <= 0 || offset < 0) return new byte[0];
        String p = resolve(path);
        return sftp("reading " + p, ch -> {
            SftpATTRS a = statOrNull(ch, p);
            if (a == null || a.getSize() <= offset) return new byte[0];
            int want = (int) Math.min(maxBytes, a.getSize() - offset);
            byte[] data = new byte[want];
            int n = 0;
            try (InputStream in = ch.get(literal(p), null, offset)) {
                while (n < want) {
                    int r = in.read(data, n, want - n);
                    if (r < 0) break;
                    n += r;
                }
            } catch (SftpException e) {
                if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) return new byte[0];
                throw e;
            }
            return n == want ? data : Arrays.copyOf(data, n);
        });
    }

    @Override
    public long size(String path) throws IOException {
        String p = resolve(path);
        return sftp("checking " + p, ch -> {
            SftpATTRS a = statOrNull(ch, p);
            return a == null ? -1L : a.getSize();
        });
    }

    @Override
    public void delete(String path) throws IOException {
        String p = resolve(path);
        String trimmed = p.replaceAll("/+$", "");
        if (trimmed.isEmpty() || trimmed.equals(home())) {
            throw new IOException("cluster " + cluster + ": refusing to delete " + path);
        }
        SftpATTRS a = sftp("deleting " + p, ch -> {
            try {
                return ch.lstat(literal(trimmed));
            } catch (SftpException e) {
                if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) return null;
                throw e;
            }
        });
        if (a == null) return;
        if (a.isDir() && !a.isLink()) {
            CommandResult r = run(List.of("rm", "-rf", "--", trimmed), Duration.ofMinutes(5));
            if (!r.ok()) throw new IOException("cluster " + cluster + ": cannot delete " + trimmed + ": " + r.output());
            return;
        }
        sftp("deleting " + p, ch -> {
            try {
                ch.rm(literal(trimmed));
            } catch (SftpException e) {
                if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) throw e;
            }
            return null;
        });
    }

    /** For tests and diagnostics: the settings map JSch got for the login node. */
    Map<String, String> jschConfig() {
        return connector.target().jschConfig();
    }
}
