package org.hpckernel.hpc.transport;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hpckernel.util.Log;

/**
 * Logs in to a cluster's login node, through its jump hosts if any: one JSch session per server,
 * each next one carried by the previous one's direct-tcpip channel ({@link SshJumpProxy}). Every
 * server gets its own known_hosts check, keys and prompts. The key files are parsed once and kept
 * (see {@link SshIdentities}), so a passphrase is asked once per transport, not per reconnect.
 */
final class SshConnector {
    /** How long a server may take to answer during the login (not the TCP connect). */
    static final int LOGIN_READ_TIMEOUT_MS = 90_000;

    /** TCP to the first server: every address of the name in turn, each with ConnectTimeout. */
    static final class Tcp implements SocketFactory {
        private final int connectTimeoutMillis;

        Tcp(int connectTimeoutMillis) {
            this.connectTimeoutMillis = connectTimeoutMillis;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            IOException last = null;
            for (InetAddress address : InetAddress.getAllByName(host)) {
                Socket socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress(address, port), connectTimeoutMillis);
                    socket.setTcpNoDelay(true);
                    return socket;
                } catch (IOException e) {
                    socket.close();
                    last = e;
                }
            }
            throw last != null ? last : new UnknownHostException(host);
        }

        @Override
        public InputStream getInputStream(Socket socket) throws IOException {
            return socket.getInputStream();
        }

        @Override
        public OutputStream getOutputStream(Socket socket) throws IOException {
            return socket.getOutputStream();
        }
    }

    private final String cluster;
    private final List<SshEndpoint> chain; // jump hosts first, the login node last
    private final List<SshIdentities> identities = new ArrayList<>();

    SshConnector(String cluster, SshEndpoint target, List<SshEndpoint> jumps, Path agentSocket) {
        this.cluster = cluster;
        List<SshEndpoint> all = new ArrayList<>(jumps);
        all.add(target);
        this.chain = List.copyOf(all);
        for (SshEndpoint e : chain) identities.add(new SshIdentities(e, agentSocket));
    }

    SshEndpoint target() {
        return chain.get(chain.size() - 1);
    }

    List<SshEndpoint> jumps() {
        return chain.subList(0, chain.size() - 1);
    }

    /** A live login: the sessions of the jump hosts and of the login node. */
    static final class Connection {
        private final List<Session> sessions;
        final Instant connectedAt = Instant.now();
        /** Questions the user answered during this login (a password, a code, a passphrase). */
        final int answered;
        final long connectNanos;
        final String hostKey;

        Connection(List<Session> sessions, int answered, long connectNanos, String hostKey) {
            this.sessions = List.copyOf(sessions);
            this.answered = answered;
            this.connectNanos = connectNanos;
            this.hostKey = hostKey;
        }

        Session session() {
            return sessions.get(sessions.size() - 1);
        }

        boolean isConnected() {
            for (Session s : sessions) if (!s.isConnected()) return false;
            return true;
        }

        void close() {
            for (int i = sessions.size() - 1; i >= 0; i--) {
                try {
                    sessions.get(i).disconnect();
                } catch (RuntimeException e) {
                    // already down
                }
            }
        }
    }

    /** Connects and logs in; {@code prompt} answers passphrases, passwords and codes. */
    Connection connect(CredentialPrompt prompt) throws SshException {
        long start = System.nanoTime();
        List<Session> sessions = new ArrayList<>();
        int answered = 0;
        String hostKey = null;
        try {
            Session previous = null;
            for (int i = 0; i < chain.size(); i++) {
                SshEndpoint ep = chain.get(i);
                boolean jumpHost = i < chain.size() - 1;
                String via = i == 0 ? null : chain.get(i - 1).destination();
                SshHostKeys keys = new SshHostKeys(ep.knownHostsFiles(), ep.globalKnownHostsFiles(), ep.acceptNewHostKeys());
                SshUserInfo ui = new SshUserInfo(cluster, ep.destination(), ep.batchMode() ? null : prompt);
                SshErrors.LoginContext ctx = new SshErrors.LoginContext(cluster, ep, jumpHost, via, ui, keys, identities.get(i));
                Session s;
                try {
                    s = new JSch().getSession(ep.user(), ep.host(), ep.port());
                    s.setHostKeyRepository(keys);
                    s.setIdentityRepository(identities.get(i).repository());
                    s.setUserInfo(ui);
                    s.setConfig("StrictHostKeyChecking", "yes");
                    s.setConfig("HashKnownHosts", "no");
                    for (Map.Entry<String, String> c : ep.jschConfig().entrySet()) s.setConfig(c.getKey(), c.getValue());
                    if (ep.hostKeyAlias() != null) s.setHostKeyAlias(ep.hostKeyAlias());
                    s.setServerAliveInterval(ep.serverAliveIntervalMillis());
                    s.setServerAliveCountMax(ep.serverAliveCountMax());
                    s.setDaemonThread(true);
                    if (previous != null) s.setProxy(new SshJumpProxy(previous));
                    else s.setSocketFactory(new Tcp(ep.connectTimeoutMillis()));
                } catch (JSchException e) {
                    throw new SshException(SshException.Kind.CONFIG, "cluster " + cluster + ": " + ep.destination() + ": " + e.getMessage(), e);
                }
                try {
                    // JSch applies this timeout to every read until the login is done, including the
                    // server's answer after a prompt (a push approval on a phone takes a while); the
                    // TCP connect itself uses ConnectTimeout (see Tcp).
                    s.connect(Math.max(LOGIN_READ_TIMEOUT_MS, ep.connectTimeoutMillis()));
                } catch (JSchException | RuntimeException e) {
                    throw SshErrors.login(ctx, e);
                }
                sessions.add(s);
                answered += ui.answered();
                if (keys.added() != null) {
                    Log.info("ssh %s: trusted new host key %s %s (accept-new)", ep.destination(), keys.added().type(),
                            keys.added().fingerprint());
                }
                if (!jumpHost && s.getHostKey() != null) {
                    hostKey = s.getHostKey().getType() + " " + SshHostKeys.fingerprint(
                            java.util.Base64.getDecoder().decode(s.getHostKey().getKey()));
                }
                previous = s;
            }
            return new Connection(sessions, answered, System.nanoTime() - start, hostKey);
        } catch (SshException | RuntimeException e) {
            for (int i = sessions.size() - 1; i >= 0; i--) sessions.get(i).disconnect();
            throw e;
        }
    }

    /** Forgets the decrypted keys. */
    void clear() {
        for (SshIdentities i : identities) i.clear();
    }
}
