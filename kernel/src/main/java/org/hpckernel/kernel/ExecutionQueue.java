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
            abort(serve(request));
        }
    }

    /**
     * Returns the requests to abort. They are taken from the queue BEFORE the failed cell's reply
     * goes out: a client that sends its next cell after seeing that reply must not have it aborted.
     */
    private List<Message> serve(Message request) {
        publisher.status(request, "busy");
        List<Message> aborted = new ArrayList<>();
        try {
            ExecuteHandler.Outcome outcome = handler.execute(request);
            if (outcome.abortQueue()) queue.drainTo(aborted);
            publisher.reply(Channel.SHELL, request, "execute_reply", outcome.reply());
        } catch (RuntimeException | Error e) {
            Log.warn(e, "execute_request %s failed inside the kernel", request.id());
            publisher.reply(Channel.SHELL, request, "execute_reply", handler.internalError(e));
        } finally {
            publisher.status(request, "idle");
        }
        return aborted;
    }

    private void abort(List<Message> aborted) {
        for (Message request : aborted) {
            publisher.status(request, "busy");
            publisher.reply(Channel.SHELL, request, "execute_reply", handler.aborted());
            publisher.status(request, "idle");
        }
        if (!aborted.isEmpty()) Log.info("aborted %d queued cell(s) after an error", aborted.size());
    }
}
