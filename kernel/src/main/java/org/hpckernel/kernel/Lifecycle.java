package org.hpckernel.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import org.hpckernel.util.Log;

/**
 * Ends the process after a shutdown reply has left. Exiting is done on a fresh thread so that the
 * thread that served the request is not the one blocking on the socket loop's final flush.
 */
public final class Lifecycle {
    private final AtomicBoolean shutdownRequested = new AtomicBoolean();
    private final Runnable closeAll;

    public Lifecycle(Runnable closeAll) {
        this.closeAll = closeAll;
    }

    public void requestShutdown() {
        shutdownRequested.set(true);
    }

    public boolean shutdownRequested() {
        return shutdownRequested.get();
    }

    public void exitNow() {
        Thread t = new Thread(() -> {
            try {
                closeAll.run();
            } catch (RuntimeException e) {
                Log.warn(e, "error while shutting down");
            } finally {
                Runtime.getRuntime().halt(0);
            }
        }, "hpc-kernel-exit");
        t.start();
    }
}
