package org.hpckernel.kernel;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.hpckernel.protocol.Message;
import org.hpckernel.protocol.content.InputReply;
import org.hpckernel.util.Log;

/**
 * Asks the frontend for a line of input and waits for its input_reply. One question at a time:
 * only the execution thread asks. An interrupt cancels the wait.
 */
public final class StdinBroker {
    private final Publisher publisher;
    private volatile CompletableFuture<String> pending;

    public StdinBroker(Publisher publisher) {
        this.publisher = publisher;
    }

    public String ask(Message parent, String prompt, boolean password) throws IOException {
        CompletableFuture<String> answer = new CompletableFuture<>();
        pending = answer;
        publisher.inputRequest(parent, prompt == null ? "" : prompt, password);
        try {
            return answer.get();
        } catch (CancellationException e) {
            throw new InterruptedIOException("input cancelled: the cell was interrupted");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("input cancelled: the cell was interrupted");
        } catch (ExecutionException e) {
            throw new IOException("no input: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pending = null;
        }
    }

    void deliver(Message message) {
        if (!"input_reply".equals(message.type())) {
            Log.warn("unexpected %s on stdin", message.type());
            return;
        }
        CompletableFuture<String> answer = pending;
        if (answer == null) {
            Log.warn("input_reply with no question pending: ignored");
            return;
        }
        InputReply reply;
        try {
            reply = message.content(InputReply.class);
        } catch (RuntimeException e) {
            answer.completeExceptionally(new IOException("malformed input_reply"));
            return;
        }
        answer.complete(reply.value() == null ? "" : reply.value());
    }

    public void cancel() {
        CompletableFuture<String> answer = pending;
        if (answer != null) answer.cancel(false);
    }
}
