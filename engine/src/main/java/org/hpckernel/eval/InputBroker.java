package org.hpckernel.eval;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Asks the host for a line of input on a helper thread while the cell's thread waits, so an
 * interrupt can release the cell at once without interrupting (or, on JDK 17, stopping) host
 * code that may be blocked on a socket.
 */
final class InputBroker {
    private final Set<CompletableFuture<String>> pending = ConcurrentHashMap.newKeySet();

    String readLine(CellOutput target, String prompt, boolean password) throws IOException {
        CompletableFuture<String> answer = new CompletableFuture<>();
        pending.add(answer);
        try {
            DaemonThreads.start("hpc-stdin", () -> {
                try {
                    answer.complete(target.readLine(prompt, password));
                } catch (Throwable e) {
                    answer.completeExceptionally(e);
                }
            });
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("execution interrupted while waiting for input");
        } catch (CancellationException e) {
            throw new InterruptedIOException("execution interrupted while waiting for input");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            } else if (cause instanceof RuntimeException re) {
                throw re;
            } else if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        } finally {
            pending.remove(answer);
        }
    }

    /** Releases every cell thread waiting for input; the host's late answers are dropped. */
    void cancelAll() {
        for (CompletableFuture<String> answer : pending) {
            answer.cancel(false);
        }
    }
}
