package org.hpckernel.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
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
 *
 * <p>IOPub is bounded and lossless: its socket is an XPUB with "no drop", so ZeroMQ refuses a
 * message (instead of discarding it, as PUB does) while a subscriber's queue is full; the message
 * then waits here, and {@link #send} blocks the producing thread once {@code iopubQueue} messages
 * wait. A slow frontend thus slows the cell's output down; nothing is lost and memory stays
 * bounded. Status messages are never held back (control requests must stay responsive), and the
 * loop thread itself never blocks.
 */
public final class SocketLoop implements AutoCloseable {
    /** Receives decoded messages on the loop thread. */
    public interface Inbox {
        void accept(Channel channel, Message message);
    }

    /** While IOPub messages wait for a slow subscriber, the loop retries this often. */
    private static final int IOPUB_RETRY_MS = 5;
    private static final long HEARTBEAT_MAX_BYTES = 64 << 10;

    private record Outgoing(Channel channel, Message message, boolean counted) {}

    private final ConnectionInfo connection;
    private final WireCodec codec;
    private final Inbox inbox;
    private final ZContext context = new ZContext(1);
    private final Map<Channel, ZMQ.Socket> sockets = new EnumMap<>(Channel.class);
    private final ConcurrentLinkedQueue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    /** Encoded IOPub messages in order; touched by the loop thread only. */
    private final ArrayDeque<PendingPublication> iopubBacklog = new ArrayDeque<>();
    private final Semaphore iopubSpace;
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
        this.iopubSpace = new Semaphore(codec.limits().iopubQueue());
        this.wakePipe = Pipe.open();
        wakePipe.source().configureBlocking(false);
    }

    /** Binds every socket (so a port clash fails here, loudly) and starts the threads. */
    public void start() {
        bind(Channel.SHELL, SocketType.ROUTER, connection.shellPort());
        bind(Channel.CONTROL, SocketType.ROUTER, connection.controlPort());
        bind(Channel.STDIN, SocketType.ROUTER, connection.stdinPort());
        bind(Channel.IOPUB, SocketType.XPUB, connection.iopubPort());
        ZMQ.Socket hb = context.createSocket(SocketType.REP);
        hb.setLinger(0);
        hb.setMaxMsgSize(HEARTBEAT_MAX_BYTES); // pings are a few bytes; a huge one is never read
        hb.bind(connection.endpoint(connection.hbPort()));
        heartbeatThread = new Thread(() -> heartbeat(hb), "hpc-kernel-heartbeat");
        heartbeatThread.setDaemon(true);
        heartbeatThread.start();
        loopThread = new Thread(this::run, "hpc-kernel-sockets");
        loopThread.setDaemon(true);
        loopThread.start();
    }

    /**
     * Thread-safe; the message leaves in the order this method was called. An IOPub message other
     * than a status waits here while the IOPub backlog is full (backpressure, see the class).
     */
    public void send(Channel channel, Message message) {
        boolean counted = channel == Channel.IOPUB && !"status".equals(message.type())
                && Thread.currentThread() != loopThread;
        if (counted) {
            try {
                iopubSpace.acquire();
            } catch (InterruptedException e) {
                // An interrupted producer still gets its output out: the bound is exceeded by at
                // most one message per interrupted thread.
                Thread.currentThread().interrupt();
                counted = false;
            }
        }
        outbox.add(new Outgoing(channel, message, counted));
        wake();
    }

    /** Messages accepted for IOPub that a subscriber has not taken yet (for tests and logs). */
    public int iopubBacklog() {
        return codec.limits().iopubQueue() - iopubSpace.availablePermits();
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
        // Checked by ZeroMQ against each frame's length prefix: an oversize frame is never read.
        socket.setMaxMsgSize(codec.limits().maxFrameBytes());
        if (type == SocketType.XPUB) {
            socket.setSndHWM(codec.limits().iopubQueue());
            socket.setXpubNoDrop(true);
        } else {
            socket.setSndHWM(0);
        }
        socket.bind(connection.endpoint(port));
        sockets.put(channel, socket);
    }

    private void run() {
        ZMQ.Poller poller = context.createPoller(5);
        Channel[] readable = {Channel.SHELL, Channel.CONTROL, Channel.STDIN};
        for (Channel c : readable) poller.register(sockets.get(c), ZMQ.Poller.POLLIN);
        int wakeIndex = poller.register(wakePipe.source(), ZMQ.Poller.POLLIN);
        int subscriptionsIndex = poller.register(sockets.get(Channel.IOPUB), ZMQ.Poller.POLLIN);
        ByteBuffer drain = ByteBuffer.allocate(256);
        try {
            while (running) {
                poller.poll(iopubBacklog.isEmpty() ? -1 : IOPUB_RETRY_MS);
                if (poller.pollin(wakeIndex)) {
                    do {
                        drain.clear();
                    } while (wakePipe.source().read(drain) > 0);
                }
                if (poller.pollin(subscriptionsIndex)) discardSubscriptions();
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

    /** XPUB hands subscriptions up; nothing here depends on them, but they must be read. */
    private void discardSubscriptions() {
        ZMQ.Socket iopub = sockets.get(Channel.IOPUB);
        while (iopub.recv(ZMQ.DONTWAIT) != null) {
            while (iopub.hasReceiveMore()) iopub.recv(0);
        }
    }

    private record PendingPublication(List<byte[]> frames, boolean counted, String type) {}

    private void flushOutbox() {
        Outgoing out;
        while ((out = outbox.poll()) != null) {
            try {
                List<byte[]> frames = codec.encode(out.message());
                if (out.channel() == Channel.IOPUB) {
                    iopubBacklog.add(new PendingPublication(frames, out.counted(), out.message().type()));
                    continue;
                }
                ZMQ.Socket socket = sockets.get(out.channel());
                int last = frames.size() - 1;
                for (int i = 0; i < last; i++) socket.sendMore(frames.get(i));
                socket.send(frames.get(last));
            } catch (RuntimeException e) {
                if (out.counted()) iopubSpace.release();
                Log.warn(e, "could not send %s on %s", out.message().type(), out.channel());
            }
        }
        publishBacklog();
    }

    /** Hands IOPub messages to ZeroMQ in order until a subscriber's queue is full. */
    private void publishBacklog() {
        ZMQ.Socket iopub = sockets.get(Channel.IOPUB);
        PendingPublication p;
        while ((p = iopubBacklog.peek()) != null) {
            try {
                List<byte[]> frames = p.frames();
                // With "no drop", XPUB accepts or refuses the first frame for the whole message.
                if (!iopub.send(frames.get(0), frames.size() > 1 ? ZMQ.SNDMORE | ZMQ.DONTWAIT : ZMQ.DONTWAIT)) return;
                int last = frames.size() - 1;
                for (int i = 1; i < last; i++) iopub.sendMore(frames.get(i));
                if (last > 0) iopub.send(frames.get(last));
            } catch (RuntimeException e) {
                Log.warn(e, "could not publish %s", p.type());
            }
            iopubBacklog.poll();
            if (p.counted()) iopubSpace.release();
        }
    }

    /**
     * Reads every message waiting on the socket, so a burst is taken in one wake-up. A message with
     * more frames or bytes than the limits allow is read to its end and dropped, keeping nothing
     * of the excess.
     */
    private void receiveAll(Channel channel) {
        ZMQ.Socket socket = sockets.get(channel);
        MessageLimits limits = codec.limits();
        while (true) {
            byte[] first = socket.recv(ZMQ.DONTWAIT);
            if (first == null) return;
            List<byte[]> frames = new ArrayList<>(8);
            frames.add(first);
            long bytes = first.length;
            boolean oversize = false;
            while (socket.hasReceiveMore()) {
                byte[] f = socket.recv(0);
                if (oversize || f == null) continue;
                bytes += f.length;
                frames.add(f);
                if (frames.size() > limits.maxFrames() || bytes > limits.maxMessageBytes()) {
                    oversize = true;
                    frames.clear();
                }
            }
            if (oversize) {
                Log.warn("dropped a message on %s: more than %d frames or %d bytes (set %s to allow larger messages)",
                        channel, limits.maxFrames(), limits.maxMessageBytes(), MessageLimits.MAX_BYTES_ENV);
                continue;
            }
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
        iopubSpace.release(Integer.MAX_VALUE / 2); // no producer may stay blocked on a closed loop
        wake();
        try {
            if (loopThread != null && Thread.currentThread() != loopThread) stopped.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        context.close();
    }
}
