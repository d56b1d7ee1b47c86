package org.hpckernel.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.hpckernel.protocol.Channel;
import org.hpckernel.protocol.Message;
import org.hpckernel.util.Log;

/**
 * Runs execute requests one at a time on its own thread, in arrival order. When a cell fails with
 * stop_on_error, the requests already queued behind it are answered with an error without
 * running, as a notebook "run all" expects.
 */
public final class ExecutionQueue {
    private final LinkedBlockingQueue<Message> queue = new LinkedBlockingQueue<>();
    private final Publisher publisher;
    private final ExecuteHandler handler;
    private final Lifecycle lifecycle;
    private final Thread thread;

    public ExecutionQueue(Publisher publisher, ExecuteHandler handler, Lifecycle lifecycle) {
        this.publisher = publisher;
        this.handler = handler;
        this.lifecycle = lifecycle;
        this.thread = new Thread(this::run, "hpc-kernel-execute");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public void submit(Message request) {
        queue.add(request);
    }

    private void run() {
        while (!lifecycle.shutdownRequested()) {
            Message request;
            try {
                request = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            ExecuteHandler.Outcome outcome = serve(request);
            if (outcome != null && outcome.abortQueue()) abortQueued();
        }
    }

    private ExecuteHandler.Outcome serve(Message request) {
        publisher.status(request, "busy");
        try {
            ExecuteHandler.Outcome outcome = handler.execute(request);
            publisher.reply(Channel.SHELL, request, "execute_reply", outcome.reply());
            return outcome;
        } catch (RuntimeException | Error e) {
            Log.warn(e, "execute_request %s failed inside the kernel", request.id());
            publisher.reply(Channel.SHELL, request, "execute_reply", handler.internalError(e));
            return null;
        } finally {
            publisher.status(request, "idle");
        }
    }

    private void abortQueued() {
        List<Message> aborted = new ArrayList<>();
        queue.drainTo(aborted);
        for (Message request : aborted) {
            publisher.status(request, "busy");
            publisher.reply(Channel.SHELL, request, "execute_reply", handler.aborted());
            publisher.status(request, "idle");
        }
        if (!aborted.isEmpty()) Log.info("aborted %d queued cell(s) after an error", aborted.size());
    }
}
