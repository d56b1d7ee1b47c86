package org.hpckernel.hpc.transport;

import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSchAlgoNegoFailException;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchRevokedHostKeyException;
import com.jcraft.jsch.JSchSessionDisconnectException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns JSch's terse exceptions ("Auth fail for methods 'publickey'", "reject HostKey: ...",
 * "java.net.ConnectException: Connection refused") into messages that name the cause and the
 * fix, as {@link SshException}s.
 */
public final class SshErrors {
    private static final Pattern METHODS = Pattern.compile("Auth (?:fail|cancel) for methods '([^']*)'");

    private SshErrors() {}

    /** What the connector knew when a login failed. */
    record LoginContext(String cluster, SshEndpoint endpoint, boolean jumpHost, String via, SshUserInfo userInfo,
            SshHostKeys hostKeys, SshIdentities identities) {}

    /** A failed connect or login to one server (the login node or a jump host). */
    static SshException login(LoginContext ctx, Exception e) {
        SshEndpoint ep = ctx.endpoint();
        String who = "cluster " + ctx.cluster() + ": " + (ctx.jumpHost() ? "jump host " : "") + ep.destination();
        String msg = String.valueOf(e.getMessage());
        SshHostKeys.Seen seen = ctx.hostKeys() == null ? null : ctx.hostKeys().refused();

        if (e instanceof JSchRevokedHostKeyException) {
            return new SshException(SshException.Kind.HOST_KEY_CHANGED, who + ": the server presented a host key that "
                    + "known_hosts marks as @revoked. This could mean a stolen key is used to impersonate the host: "
                    + "do not connect; tell the cluster's administrators.", e);
        }
        if (seen != null && (seen.result() == HostKeyRepository.CHANGED || e instanceof JSchChangedHostKeyException
                || msg.contains("HostKey has been changed"))) {
            return new SshException(SshException.Kind.HOST_KEY_CHANGED, changedHostKey(ctx.cluster(), ep, seen), e);
        }
        if (seen != null || e instanceof JSchUnknownHostKeyException || msg.startsWith("reject HostKey")
                || msg.startsWith("UnknownHostKey")) {
            return new SshException(SshException.Kind.HOST_KEY_UNKNOWN, unknownHostKey(ctx.cluster(), ep, seen, ctx.via()), e);
        }

        SshUserInfo ui = ctx.userInfo();
        if (ui != null && ui.unavailable() != null) {
            return new SshException(SshException.Kind.INPUT_UNAVAILABLE, inputUnavailable(ctx.cluster(), ep, ui.neededInput()), e);
        }
        if (ui != null && ui.cancelled()) {
            return new SshException(SshException.Kind.AUTH_CANCELLED,
                    who + ": login cancelled (no answer to the question for " + ui.neededInput() + ")", e);
        }
        if (e instanceof JSchSessionDisconnectException || msg.contains("Too many authentication failures")) {
            if (msg.contains("Too many authentication failures")) {
                if (ui != null && ui.answered() > 0) {
                    return new SshException(SshException.Kind.AUTH_FAILED, who + " refused the login after " + ui.answered()
                            + " tries: wrong password or one-time code (or the code was already used, or came after the "
                            + "server's login time limit). Run the cell again to retry with a fresh code.", e);
                }
                return new SshException(SshException.Kind.AUTH_FAILED, who + " closed the connection after too many failed "
                        + "login attempts (the server's MaxAuthTries). Either too many keys were offered (an ssh-agent "
                        + "with many keys: name the key with \"identityFile\" in clusters.json, or IdentityFile plus "
                        + "IdentitiesOnly yes in ~/.ssh/config), or too many wrong passwords or codes. Keys offered: "
                        + keys(ctx) + ".", e);
            }
            return new SshException(SshException.Kind.NETWORK, who + " closed the connection during login: "
                    + msg.replace("SSH_MSG_DISCONNECT: ", "").strip(), e);
        }
        if (msg.startsWith("Auth fail") || msg.startsWith("Auth cancel") || msg.startsWith("USERAUTH fail")) {
            return authFailed(who, ctx, msg, e);
        }
        if (e instanceof JSchAlgoNegoFailException || msg.contains("Algorithm negotiation fail")) {
            return new SshException(SshException.Kind.OTHER, who + ": no common algorithm with the server (" + msg
                    + "). The server may be very old or very strict; see KexAlgorithms, Ciphers, MACs and HostKeyAlgorithms "
                    + "in ~/.ssh/config.", e);
        }
        SshException network = network(who, ep, e, ctx);
        if (network != null) return network;
        return new SshException(SshException.Kind.OTHER, who + ": cannot connect: " + msg, e);
    }

    private static SshException authFailed(String who, LoginContext ctx, String msg, Exception e) {
        Matcher m = METHODS.matcher(msg);
        String methods = m.find() ? m.group(1) : "";
        SshEndpoint ep = ctx.endpoint();
        boolean interactive = methods.contains("keyboard-interactive") || methods.contains("password");
        boolean answered = ctx.userInfo() != null && ctx.userInfo().answered() > 0;
        if (interactive && (answered || !methods.contains("publickey"))) {
            if (!answered && ctx.userInfo() != null && ctx.userInfo().asked() == 0) {
                return new SshException(SshException.Kind.AUTH_FAILED, who + " wants a password or one-time code ("
                        + methods + "), but no login method that asks was allowed (PreferredAuthentications, "
                        + "KbdInteractiveAuthentication or PasswordAuthentication in ~/.ssh/config).", e);
            }
            return new SshException(SshException.Kind.AUTH_FAILED, who + " refused the login: wrong password or one-time "
                    + "code (or the code was already used, or came after the server's login time limit). Run the cell "
                    + "again to retry with a fresh code.", e);
        }
        StringBuilder text = new StringBuilder(who).append(" refused the login: ");
        if (ctx.identities() != null && !ctx.identities().hasKeys()) {
            text.append("there was no key to offer (").append(keys(ctx)).append("). Name a private key with "
                    + "\"identityFile\" in clusters.json or IdentityFile in ~/.ssh/config, or start an ssh-agent "
                    + "(ssh-add) before starting Jupyter.");
        } else {
            text.append("no key was accepted (server methods: ").append(methods.isEmpty() ? "?" : methods)
                    .append("). Keys offered: ").append(keys(ctx)).append(". Check the user name (\"")
                    .append(ep.user()).append("\": \"user\" in clusters.json or User in ~/.ssh/config) and that the public "
                    + "key is in ~/.ssh/authorized_keys on the cluster, e.g. ssh-copy-id -i KEY.pub ")
                    .append(ep.port() == 22 ? "" : "-p " + ep.port() + " ").append(ep.user()).append('@').append(ep.host())
                    .append('.');
        }
        return new SshException(SshException.Kind.AUTH_FAILED, text.toString(), e);
    }

    private static String keys(LoginContext ctx) {
        return ctx.identities() == null ? "unknown" : ctx.identities().describe();
    }

    /** Connection-level causes anywhere in the chain, or null. */
    private static SshException network(String who, SshEndpoint ep, Throwable e, LoginContext ctx) {
        String target = ep.hostPort();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof UnknownHostException) {
                return new SshException(SshException.Kind.UNKNOWN_HOST, who + ": unknown host name \"" + ep.host() + "\""
                        + (ep.host().equals(ep.alias()) ? "" : " (HostName of \"" + ep.alias() + "\")")
                        + ". Check the name (\"host\" in clusters.json, or a Host entry with HostName in ~/.ssh/config) "
                        + "and whether it needs a VPN or a jump host (\"proxyJump\").", e);
            }
            if (t instanceof ConnectException || m.contains("Connection refused")) {
                return new SshException(SshException.Kind.CONNECTION_REFUSED, who + ": connection refused by " + target
                        + ": nothing listens on port " + ep.port() + " (wrong port? sshd down?), or a firewall rejects it.", e);
            }
            if (t instanceof NoRouteToHostException || m.contains("Network is unreachable") || m.contains("No route to host")) {
                return new SshException(SshException.Kind.NETWORK, who + ": " + target + " cannot be reached from here ("
                        + m + "): check the network, VPN, or whether a jump host (\"proxyJump\") is needed.", e);
            }
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException || m.contains("timeout")
                    || m.contains("timed out")) {
                return new SshException(SshException.Kind.TIMEOUT, who + ": no answer from " + target + " in time ("
                        + m + "; ConnectTimeout " + (ep.connectTimeoutMillis() / 1000) + " s): the host may be down or "
                        + "behind a VPN or firewall, or the port is wrong.", e);
            }
            if (m.contains("channel is not opened") && ctx.via() != null) {
                return new SshException(SshException.Kind.NETWORK, who + ": the jump host " + ctx.via() + " could not "
                        + "open a connection to " + target + " (is the name right as seen from the jump host? does the jump "
                        + "host allow forwarding: AllowTcpForwarding?).", e);
            }
            if (m.contains("connection is closed by foreign host") || m.contains("Connection reset")
                    || m.contains("Broken pipe") || t instanceof SocketException) {
                return new SshException(SshException.Kind.NETWORK, who + ": the server closed the connection before the "
                        + "login finished (" + m + "): too many connections at once (MaxStartups), a firewall or "
                        + "fail2ban, or not an SSH server on port " + ep.port() + ".", e);
            }
        }
        return null;
    }

    static String unknownHostKey(String cluster, SshEndpoint ep, SshHostKeys.Seen seen, String via) {
        String file = ep.primaryKnownHostsFile().toString();
        String name = ep.knownHostsName();
        StringBuilder text = new StringBuilder("cluster ").append(cluster).append(": the host key of ").append(name)
                .append(" is not in ").append(file).append(", so the connection was refused (strict host key checking).");
        if (seen != null) {
            text.append("\nThe server presented a ").append(seen.type()).append(" key with fingerprint ")
                    .append(seen.fingerprint()).append('.');
        }
        text.append("\nCheck the fingerprint with your cluster's documentation or administrators, then either");
        if (seen != null) {
            text.append("\n  - add this line to ").append(file).append(":\n      ").append(seen.knownHostsLine());
        }
        if (ep.hostKeyAlias() == null) {
            text.append("\n  - or run: ssh-keyscan ").append(ep.port() == 22 ? "" : "-p " + ep.port() + " ")
                    .append(ep.host()).append(" >> ").append(file)
                    .append("\n    (compare first: ssh-keyscan ").append(ep.port() == 22 ? "" : "-p " + ep.port() + " ")
                    .append(ep.host()).append(" | ssh-keygen -lf -")
                    .append(via == null ? ")" : "; this needs a direct route to the host, not through " + via + ")");
        }
        text.append("\n  - or let the kernel trust a host it sees for the first time: \"hostKeyPolicy\": \"accept-new\" "
                + "in this cluster's entry in clusters.json (a changed key is still refused).");
        return text.toString();
    }

    static String changedHostKey(String cluster, SshEndpoint ep, SshHostKeys.Seen seen) {
        String file = seen.conflictingFile() != null ? seen.conflictingFile().toString() : ep.primaryKnownHostsFile().toString();
        String name = ep.knownHostsName();
        return "cluster " + cluster + ": WARNING: the host key of " + name + " has CHANGED. The server now presents a "
                + seen.type() + " key with fingerprint " + seen.fingerprint() + ", which does not match the key in " + file
                + ".\nThis may be an attack (someone intercepting the connection), or the administrators replaced the "
                + "host key (reinstall, new login node). Do not connect until you have checked the new fingerprint with "
                + "them.\nIf the change is expected, remove the old key:\n    ssh-keygen -R '" + name + "' -f " + file
                + "\nthen add the new one to " + ep.primaryKnownHostsFile() + ":\n    " + seen.knownHostsLine();
    }

    static String inputUnavailable(String cluster, SshEndpoint ep, String needed) {
        String what = needed == null ? "a password or one-time code" : needed;
        boolean passphrase = what.startsWith("the passphrase");
        String fix = passphrase
                ? "load the key into an ssh-agent (ssh-add) before starting Jupyter, or use a key without passphrase"
                : "run a cell from an interactive notebook first (the connection and its login are kept for the whole "
                        + "kernel session), or use a key without passphrase or an ssh-agent where the site allows it";
        return "cluster " + cluster + " (" + ep.destination() + ") needs " + what + ", but this frontend cannot ask "
                + "for one (nbclient, papermill, CI): " + fix + ".";
    }

    /** An established connection broke during {@code what}. */
    static SshException lost(String cluster, SshEndpoint ep, String what, Throwable cause) {
        String reason = cause == null ? "" : " (" + firstLine(cause) + ")";
        return new SshException(SshException.Kind.CONNECTION_LOST, "cluster " + cluster + ": connection to "
                + ep.destination() + " lost" + (what == null ? "" : " during " + what) + reason
                + "; reconnecting on the next call", cause);
    }

    static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl) : m;
    }

    /** True when a JSch/SFTP message says the session or channel went away. */
    static boolean looksLikeConnectionLoss(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("session is down") || m.contains("channel is down") || m.contains("connection is closed")
                    || m.contains("broken pipe") || m.contains("connection reset") || m.contains("pipe closed")
                    || m.contains("inputstream is closed") || m.contains("socket closed") || t instanceof SocketException) {
                return true;
            }
        }
        return false;
    }
}
