package org.hpckernel.maven;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.aether.RepositoryCache;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.transfer.TransferCancelledException;

/**
 * Stops one resolution from another thread (a Jupyter interrupt). A transfer that is moving stops
 * at its next chunk (the listener throws {@link TransferCancelledException}; the resolver then
 * deletes its temporary file, so no partial jar is left in the local repository). A transfer whose
 * server has stalled moves no chunk: its connection is closed under it, by shutting down the HTTP
 * connection pools the transport keeps in the session's cache, which this class provides.
 */
final class ResolutionInterrupt {
    private volatile boolean interrupted;
    private volatile Thread worker;
    private final Cache cache = new Cache();
    private final CompletableFuture<Void> signalled = new CompletableFuture<>();

    boolean interrupted() {
        return interrupted;
    }

    void checkNotInterrupted() throws TransferCancelledException {
        if (interrupted) throw new TransferCancelledException("the %maven cell was interrupted");
    }

    void runsOn(Thread thread) {
        worker = thread;
    }

    /** Called from the control thread: must not block. */
    void interrupt() {
        interrupted = true;
        Thread t = worker;
        if (t != null) t.interrupt();
        cache.closeAll();
        signalled.complete(null);
    }

    /** Completes when interrupted. */
    CompletableFuture<Void> signalled() {
        return signalled;
    }

    /** The session's cache; closing what it holds ends the session's connections. */
    RepositoryCache cache() {
        return cache;
    }

    /** At the end of a resolution, interrupted or not: the connection pools are the session's own. */
    void release() {
        cache.closeAll();
    }

    private static final class Cache implements RepositoryCache {
        private final Map<Object, Object> data = new ConcurrentHashMap<>();

        @Override
        public void put(RepositorySystemSession session, Object key, Object value) {
            if (value == null) data.remove(key);
            else data.put(key, value);
        }

        @Override
        public Object get(RepositorySystemSession session, Object key) {
            return data.get(key);
        }

        @Override
        public Object computeIfAbsent(RepositorySystemSession session, Object key, java.util.function.Supplier<Object> supplier) {
            return data.computeIfAbsent(key, k -> supplier.get());
        }

        void closeAll() {
            for (Object value : data.values()) {
                if (value instanceof Closeable c) {
                    try {
                        c.close();
                    } catch (IOException | RuntimeException e) {
                        // Already closed or closing: the connections are going either way.
                    }
                }
            }
        }
    }
}
