package org.hpckernel.hpc.transport;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ProxyJump for JSch (which has none): the next session's bytes travel through a direct-tcpip
 * channel of the jump host's session. The next session keeps its real host and port, so
 * known_hosts lookups and prompts name the real target. Also parses ProxyJump values.
 */
final class SshJumpProxy implements Proxy {
    /** One hop of a ProxyJump value: {@code [user@]host[:port]}; null fields come from ssh_config. */
    record Hop(String user, String host, Integer port) {
        @Override
        public String toString() {
            String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
            return (user == null ? "" : user + "@") + h + (port == null ? "" : ":" + port);
        }
    }

    private final Session jump;
    private Channel channel;
    private InputStream in;
    private OutputStream out;

    SshJumpProxy(Session jump) {
        this.jump = jump;
    }

    @Override
    public void connect(SocketFactory socketFactory, String host, int port, int timeout) throws Exception {
        channel = jump.getStreamForwarder(host, port);
        in = channel.getInputStream();
        out = channel.getOutputStream();
        channel.connect(timeout);
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    @Override
    public Socket getSocket() {
        return null;
    }

    @Override
    public void close() {
        Channel c = channel;
        if (c != null) c.disconnect();
    }

    /**
     * The hops of a ProxyJump value, first hop first: {@code a,b}, {@code user@host:port},
     * {@code ssh://user@host:port}, {@code [v6addr]:port}; {@code none} (or null) means no jump.
     *
     * @throws IllegalArgumentException with a message that names the bad part
     */
    static List<Hop> parse(String spec) {
        if (spec == null) return List.of();
        String s = spec.strip();
        if (s.isEmpty()) throw new IllegalArgumentException("ProxyJump is empty (use \"none\" for no jump host)");
        if (s.toLowerCase(Locale.ROOT).equals("none")) return List.of();
        List<Hop> hops = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            hops.add(parseHop(part.strip(), spec));
        }
        return List.copyOf(hops);
    }

    private static Hop parseHop(String part, String spec) {
        String what = "ProxyJump \"" + spec + "\": ";
        if (part.isEmpty()) throw new IllegalArgumentException(what + "empty jump host between commas");
        if (part.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(what + "\"" + part + "\" contains a space");
        }
        String rest = part;
        if (rest.regionMatches(true, 0, "ssh://", 0, 6)) rest = rest.substring(6);
        String user = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
            if (user.isEmpty()) throw new IllegalArgumentException(what + "empty user name in \"" + part + "\"");
        }
        String host;
        String portText = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) throw new IllegalArgumentException(what + "missing ] in \"" + part + "\"");
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) throw new IllegalArgumentException(what + "unexpected \"" + after + "\" in \"" + part + "\"");
                portText = after.substring(1);
            }
        } else {
            int colon = rest.indexOf(':');
            if (colon >= 0 && rest.indexOf(':', colon + 1) < 0) {
                host = rest.substring(0, colon);
                portText = rest.substring(colon + 1);
            } else {
                host = rest; // no port, or a bare IPv6 address
            }
        }
        if (host.isEmpty()) throw new IllegalArgumentException(what + "no host name in \"" + part + "\"");
        Integer port = null;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(what + "port \"" + portText + "\" in \"" + part + "\" is not a number from 1 to 65535");
            }
        }
        return new Hop(user, host, port);
    }
}
