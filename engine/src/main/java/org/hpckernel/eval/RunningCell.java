package org.hpckernel.eval;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** State shared between the thread running a cell and a thread interrupting it. */
final class RunningCell {
    private final int number;
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);

    RunningCell(int number) {
        this.number = number;
    }

    int number() {
        return number;
    }

    /** True for the first request only. */
    boolean requestInterrupt() {
        return interrupted.compareAndSet(false, true);
    }

    boolean interrupted() {
        return interrupted.get();
    }

    void finish() {
        finished.countDown();
    }

    boolean awaitFinish(long millis) throws InterruptedException {
        return finished.await(millis, TimeUnit.MILLISECONDS);
    }
}
