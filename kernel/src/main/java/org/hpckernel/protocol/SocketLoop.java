package org.hpckernel.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hpckernel.util.Log;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Owns every message socket on one thread, because ZMQ sockets must not be shared between
 * threads. Other threads hand outgoing messages over through {@link #send}, which queues them and
 * wakes the loop through a pipe that the poller watches beside the sockets; so a reply costs no
 * polling delay. Incoming messages are decoded here and passed to the {@link Inbox}, which must
 * return quickly.
 */
public final class SocketLoop implements AutoCloseable {
    /** Receives decoded messages on the loop thread. */
    public interface Inbox {
        void accept(Channel channel, Message message);
    }

    private static final long MAX_MESSAGE_BYTES = 256L << 20;

    private record Outgoing(Channel channel, Message message) {}

    private final ConnectionInfo connection;
    private final WireCodec codec;
    private final Inbox inbox;
    private final ZContext context = new ZContext(1);
    private final Map<Channel, ZMQ.Socket> sockets = new EnumMap<>(Channel.class);
    private final ConcurrentLinkedQueue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final Pipe wakePipe;
    private final ByteBuffer wakeByte = ByteBuffer.allocate(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private Thread loopThread;
    private Thread heartbeatThread;

    public SocketLoop(ConnectionInfo connection, WireCodec codec, Inbox inbox) throws IOException {
        this.connection = connection;
        this.codec = codec;
        this.inbox = inbox;
        this.wakePipe = Pipe.open();
        wakePipe.source().configureBlocking(false);
    }

    /** Binds every socket (so a port clash fails here, loudly) and starts the threads. */
    public void start() {
        bind(Channel.SHELL, SocketType.ROUTER, connection.shellPort());
        bind(Channel.CONTROL, SocketType.ROUTER, connection.controlPort());
        bind(Channel.STDIN, SocketType.ROUTER, connection.stdinPort());
        bind(Channel.IOPUB, SocketType.PUB, connection.iopubPort());
        ZMQ.Socket hb = context.createSocket(SocketType.REP);
        hb.setLinger(0);
        hb.bind(connection.endpoint(connection.hbPort()));
        heartbeatThread = new Thread(() -> heartbeat(hb), "hpc-kernel-heartbeat");
        heartbeatThread.setDaemon(true);
        heartbeatThread.start();
        loopThread = new Thread(this::run, "hpc-kernel-sockets");
        loopThread.setDaemon(true);
        loopThread.start();
    }

    /** Thread-safe; the message leaves in the order this method was called. */
    public void send(Channel channel, Message message) {
        outbox.add(new Outgoing(channel, message));
        wake();
    }

    private void wake() {
        try {
            synchronized (wakePipe) {
                wakeByte.clear();
                wakePipe.sink().write(wakeByte);
            }
        } catch (IOException e) {
            Log.warn("cannot wake the socket loop: %s", e);
        }
    }

    private void bind(Channel channel, SocketType type, int port) {
        ZMQ.Socket socket = context.createSocket(type);
        socket.setLinger(1000);
        socket.setMaxMsgSize(MAX_MESSAGE_BYTES);
        socket.setSndHWM(0);
        socket.bind(connection.endpoint(port));
        sockets.put(channel, socket);
    }

    private void run() {
        ZMQ.Poller poller = context.createPoller(4);
        Channel[] readable = {Channel.SHELL, Channel.CONTROL, Channel.STDIN};
        for (Channel c : readable) poller.register(sockets.get(c), ZMQ.Poller.POLLIN);
        int wakeIndex = poller.register(wakePipe.source(), ZMQ.Poller.POLLIN);
        ByteBuffer drain = ByteBuffer.allocate(256);
        try {
            while (running) {
                poller.poll(-1);
                if (poller.pollin(wakeIndex)) {
                    do {
                        drain.clear();
                    } while (wakePipe.source().read(drain) > 0);
                }
                flushOutbox();
                for (int i = 0; i < readable.length; i++) {
                    if (poller.pollin(i)) receiveAll(readable[i]);
                }
            }
        } catch (RuntimeException | IOException e) {
            if (running) Log.warn(e, "socket loop stopped");
        } finally {
            flushOutbox();
            poller.close();
            stopped.countDown();
        }
    }

    private void flushOutbox() {
        Outgoing out;
        while ((out = outbox.poll()) != null) {
            try {
                List<byte[]> frames = codec.encode(out.message());
                ZMQ.Socket socket = sockets.get(out.channel());
                int last = frames.size() - 1;
                for (int i = 0; i < last; i++) socket.sendMore(frames.get(i));
                socket.send(frames.get(last));
            } catch (RuntimeException e) {
                Log.warn(e, "could not send %s on %s", out.message().type(), out.channel());
            }
        }
    }

    /** Reads every message waiting on the socket, so a burst is taken in one wake-up. */
    private void receiveAll(Channel channel) {
        ZMQ.Socket socket = sockets.get(channel);
        while (true) {
            byte[] first = socket.recv(ZMQ.DONTWAIT);
            if (first == null) return;
            List<byte[]> frames = new ArrayList<>(8);
            frames.add(first);
            while (socket.hasReceiveMore()) frames.add(socket.recv(0));
            Message message;
            try {
                message = codec.decode(frames);
            } catch (MalformedMessageException e) {
                Log.warn("dropped a message on %s: %s", channel, e.getMessage());
                continue;
            }
            try {
                inbox.accept(channel, message);
            } catch (RuntimeException e) {
                Log.warn(e, "handling %s on %s failed", message.type(), channel);
            }
        }
    }

    private void heartbeat(ZMQ.Socket hb) {
        try {
            while (running) {
                byte[] ping = hb.recv(0);
                if (ping == null) break;
                hb.send(ping, 0);
            }
        } catch (RuntimeException e) {
            if (running) Log.warn("heartbeat stopped: %s", e);
        }
    }

    /** Sends what is queued (a shutdown reply, the last idle), then closes everything. */
    @Override
    public void close() {
        running = false;
        wake();
        try {
            if (loopThread != null && Thread.currentThread() != loopThread) stopped.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.close();
    }
}
