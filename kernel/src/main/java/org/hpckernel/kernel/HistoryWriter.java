package org.hpckernel.kernel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hpckernel.kernel.history.HistoryStore;
import org.hpckernel.util.Log;

/**
 * Saves executed cells to the history on a thread of its own, in order. Saving locks, reads and
 * forces the shared history file to disk (a fraction of a millisecond usually, hundreds on a busy
 * disk); done before the reply, that was on every cell's round trip. Queries wait for the cells
 * already handed over, so a history_request still sees the cell that ran just before it.
 */
final class HistoryWriter implements AutoCloseable {
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final HistoryStore store;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "hpc-kernel-history");
        t.setDaemon(true);
        return t;
    });
    private volatile Future<?> last = CompletableFuture.completedFuture(null);

    HistoryWriter(HistoryStore store) {
        this.store = store;
    }

    /** Hands the cell over; a write that fails is logged, and the cell stays in this session's history. */
    void add(int line, String input, String output) {
        last = thread.submit(() -> {
            try {
                store.add(line, input, output);
            } catch (RuntimeException e) {
                Log.warn("history not saved: %s", e.getMessage());
            }
        });
    }

    /** The store, once every cell handed over so far is in it. */
    HistoryStore settled() {
        try {
            last.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // add() catches what the store throws; nothing else reaches here.
        }
        return store;
    }

    /** Writes what is pending (waiting a few seconds at most), then closes the store. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                Log.warn("history: cells still unsaved after %d s at shutdown", CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
