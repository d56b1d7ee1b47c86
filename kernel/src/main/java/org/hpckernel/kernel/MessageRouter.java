package org.hpckernel.kernel;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.hpckernel.protocol.Channel;
import org.hpckernel.protocol.Message;
import org.hpckernel.protocol.SocketLoop;
import org.hpckernel.protocol.content.ErrorReply;
import org.hpckernel.util.Log;

/**
 * Sends each incoming message to the thread that serves it: control on its own thread (so
 * interrupt and shutdown are served while a cell runs), execute requests to the execution queue,
 * every other shell request to a shell thread (so completion and inspection answer during a long
 * cell), input replies to the stdin broker. Every served request is wrapped in busy/idle.
 */
public final class MessageRouter implements SocketLoop.Inbox {
    private final Publisher publisher;
    private final Map<String, RequestHandler> shellHandlers;
    private final Map<String, RequestHandler> controlHandlers;
    private final ExecutionQueue executionQueue;
    private final StdinBroker stdin;
    private final Lifecycle lifecycle;
    private final ExecutorService shellWorker = Executors.newSingleThreadExecutor(daemon("hpc-kernel-shell"));
    private final ExecutorService controlWorker = Executors.newSingleThreadExecutor(daemon("hpc-kernel-control"));

    public MessageRouter(Publisher publisher, Map<String, RequestHandler> shellHandlers,
            Map<String, RequestHandler> controlHandlers, ExecutionQueue executionQueue,
            StdinBroker stdin, Lifecycle lifecycle) {
        this.publisher = publisher;
        this.shellHandlers = Map.copyOf(shellHandlers);
        this.controlHandlers = Map.copyOf(controlHandlers);
        this.executionQueue = executionQueue;
        this.stdin = stdin;
        this.lifecycle = lifecycle;
    }

    @Override
    public void accept(Channel channel, Message message) {
        Log.debug("%s <- %s %s", channel, message.type(), message.id());
        switch (channel) {
            case STDIN -> stdin.deliver(message);
            case CONTROL -> controlWorker.execute(() -> serve(Channel.CONTROL, message, controlHandlers));
            case SHELL -> {
                if ("execute_request".equals(message.type())) {
                    executionQueue.submit(message);
                } else {
                    shellWorker.execute(() -> serve(Channel.SHELL, message, shellHandlers));
                }
            }
            default -> Log.warn("message on %s ignored: %s", channel, message.type());
        }
    }

    private void serve(Channel channel, Message request, Map<String, RequestHandler> handlers) {
        String type = request.type();
        publisher.status(request, "busy");
        try {
            RequestHandler handler = handlers.get(type);
            if (handler == null) {
                Log.warn("unknown message type %s on %s", type, channel);
                if (type.endsWith("_request")) {
                    publisher.reply(channel, request, replyType(type), ErrorReply.of("UnknownMessageType",
                            "hpc-kernel does not handle " + type + " on the " + channel.name().toLowerCase() + " channel"));
                }
                return;
            }
            Object content = handler.handle(request);
            if (content != null) publisher.reply(channel, request, replyType(type), content);
        } catch (Exception | StackOverflowError e) {
            Log.warn(e, "%s failed", type);
            if (type.endsWith("_request")) {
                publisher.reply(channel, request, replyType(type), ErrorReply.of(e.getClass().getSimpleName(),
                        "cannot serve " + type + ": " + e.getMessage()));
            }
        } finally {
            publisher.status(request, "idle");
            if (lifecycle.shutdownRequested()) lifecycle.exitNow();
        }
    }

    static String replyType(String requestType) {
        return requestType.substring(0, requestType.length() - "_request".length()) + "_reply";
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
