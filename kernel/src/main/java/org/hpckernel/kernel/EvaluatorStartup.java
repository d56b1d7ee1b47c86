package org.hpckernel.kernel;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.hpckernel.eval.JavaEvaluator;
import org.hpckernel.util.Log;

/**
 * Starts JShell on its own thread so the sockets answer kernel_info at once; whoever needs the
 * evaluator first waits here for it (a fraction of a second after start).
 */
final class EvaluatorStartup implements Supplier<JavaEvaluator> {
    private final CompletableFuture<JavaEvaluator> ready = new CompletableFuture<>();

    static EvaluatorStartup begin(List<String> classpath) {
        EvaluatorStartup startup = new EvaluatorStartup();
        Thread t = new Thread(() -> {
            try {
                JavaEvaluator evaluator = new JavaEvaluator(classpath);
                evaluator.start();
                startup.ready.complete(evaluator);
            } catch (RuntimeException | Error e) {
                Log.warn(e, "JShell could not start");
                startup.ready.completeExceptionally(e);
            }
        }, "hpc-kernel-jshell-start");
        t.setDaemon(true);
        t.start();
        return startup;
    }

    @Override
    public JavaEvaluator get() {
        return ready.join();
    }

    /** Null until started: an interrupt before JShell exists has nothing to stop. */
    JavaEvaluator ifStarted() {
        return ready.getNow(null);
    }
}
