package org.hpckernel.eval;

import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/** Gives JShell our {@link StoppableExecutionControl} and remembers it for the evaluator. */
final class InProcessExecutionProvider implements ExecutionControlProvider {
    private final ReentrantLock sessionLock;
    private final BooleanSupplier interruptRequested;
    private final ClassLoader parent;
    private volatile StoppableExecutionControl control;

    InProcessExecutionProvider(ReentrantLock sessionLock, BooleanSupplier interruptRequested, ClassLoader parent) {
        this.sessionLock = sessionLock;
        this.interruptRequested = interruptRequested;
        this.parent = parent;
    }

    @Override
    public String name() {
        return "hpc-in-process";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        StoppableExecutionControl created = new StoppableExecutionControl(
                new SnippetLoaderDelegate(parent), sessionLock, interruptRequested);
        control = created;
        return created;
    }

    StoppableExecutionControl control() {
        return control;
    }
}
