package org.hpckernel.hpc.transport;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * ProxyJump for JSch (which has none): the next session's bytes travel through a direct-tcpip
 * channel of the jump host's session. The next session keeps its real host and port, so
 * known_hosts lookups and prompts name the real target. Also parses ProxyJump values.
 * <p>
 * JSch sends keepalives (ServerAliveInterval) only when a read from its socket times out, and a
 * proxied session normally has no socket. So the proxy hands JSch a stand-in socket whose
 * {@code setSoTimeout} governs reads from the channel: a login node behind a jump host that stops
 * answering is noticed like a direct one, and the connect timeout applies to the handshake.
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
    private final TimeoutSocket socket = new TimeoutSocket();
    private Channel channel;
    private InputStream in;
    private OutputStream out;

    SshJumpProxy(Session jump) {
        this.jump = jump;
    }

    @Override
    public void connect(SocketFactory socketFactory, String host, int port, int timeout) throws Exception {
        channel = jump.getStreamForwarder(host, port);
        InputStream raw = channel.getInputStream();
        out = channel.getOutputStream();
        channel.connect(timeout);
        in = new TimedInput(raw, socket, "ssh-jump-reader " + host + ":" + port);
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
        return socket;
    }

    @Override
    public void close() {
        Channel c = channel;
        if (c != null) c.disconnect();
    }

    /** Not a network socket: only carries JSch's read timeout to {@link TimedInput}. */
    static final class TimeoutSocket extends Socket {
        private volatile int timeout;

        @Override
        public void setSoTimeout(int millis) {
            timeout = Math.max(0, millis);
        }

        @Override
        public int getSoTimeout() {
            return timeout;
        }

        @Override
        public void setTcpNoDelay(boolean on) {
            // nothing to set
        }

        @Override
        public synchronized void close() {
            // the proxy closes the channel
        }
    }

    /**
     * The channel's bytes, read by a helper thread into a buffer, so that a read can give up after
     * the socket's timeout with a {@link SocketTimeoutException}, which JSch answers with a
     * keepalive, as for a real socket.
     */
    static final class TimedInput extends InputStream {
        private static final int MAX_BUFFERED = 4 << 20;
        private final InputStream source;
        private final TimeoutSocket socket;
        private final Object lock = new Object();
        private byte[] buffer = new byte[64 << 10];
        private int start;
        private int end;
        private boolean eof;
        private IOException failure;

        TimedInput(InputStream source, TimeoutSocket socket, String threadName) {
            this.source = source;
            this.socket = socket;
            Thread reader = new Thread(this::pump, threadName);
            reader.setDaemon(true);
            reader.start();
        }

        private void pump() {
            byte[] chunk = new byte[32 << 10];
            try {
                while (true) {
                    int n = source.read(chunk);
                    synchronized (lock) {
                        if (n < 0) {
                            eof = true;
                            lock.notifyAll();
                            return;
                        }
                        while (end - start > MAX_BUFFERED && !eof) lock.wait(100);
                        if (buffer.length - end < n) {
                            int used = end - start;
                            byte[] next = used + n > buffer.length ? new byte[Math.max(buffer.length * 2, used + n)] : buffer;
                            System.arraycopy(buffer, start, next, 0, used);
                            buffer = next;
                            start = 0;
                            end = used;
                        }
                        System.arraycopy(chunk, 0, buffer, end, n);
                        end += n;
                        lock.notifyAll();
                    }
                }
            } catch (IOException e) {
                synchronized (lock) {
                    failure = e;
                    eof = true;
                    lock.notifyAll();
                }
            } catch (InterruptedException e) {
                synchronized (lock) {
                    eof = true;
                    lock.notifyAll();
                }
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            synchronized (lock) {
                int timeout = socket.getSoTimeout();
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
                while (start == end && !eof) {
                    try {
                        if (timeout == 0) {
                            lock.wait();
                        } else {
                            long left = deadline - System.nanoTime();
                            if (left <= 0) throw new SocketTimeoutException("no data through the jump host for " + timeout + " ms");
                            TimeUnit.NANOSECONDS.timedWait(lock, left);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted");
                    }
                }
                if (start == end) {
                    if (failure != null) throw failure;
                    return -1;
                }
                int n = Math.min(len, end - start);
                System.arraycopy(buffer, start, b, off, n);
                start += n;
                if (start == end) {
                    start = 0;
                    end = 0;
                }
                lock.notifyAll();
                return n;
            }
        }

        @Override
        public int available() {
            synchronized (lock) {
                return end - start;
            }
        }

        @Override
        public void close() throws IOException {
            source.close();
        }
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
