package org.hpckernel.eval;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;

/**
 * Runs snippets in this JVM. {@link LocalExecutionControl} already knows how to stop user code
 * (ThreadGroup.stop on JDK 17; stop checks woven into snippet classes plus interrupts on JDK
 * 22+); on top of that this class
 * <ul>
 *   <li>releases the session lock while user code runs, so completion and inspection can use
 *       JShell meanwhile;</li>
 *   <li>hands out the raw value of a variable instead of JShell's string rendering;</li>
 *   <li>undoes the process-wide side effects of running a snippet (context class loader,
 *       JDK 17's default uncaught-exception handler).</li>
 * </ul>
 */
final class StoppableExecutionControl extends LocalExecutionControl {
    private final SnippetLoaderDelegate loader;
    private final ReentrantLock sessionLock;
    private final BooleanSupplier interruptRequested;
    /** What {@link #takeLastValue()} returns when no value could be read. */
    static final Object NO_VALUE = new Object();

    /** Held while deciding to stop and stopping, and while user code starts: see {@link #stop()}. */
    private final Object stopGuard = new Object();
    private int releasedHolds;
    private Object lastValue = NO_VALUE;

    StoppableExecutionControl(SnippetLoaderDelegate loader, ReentrantLock sessionLock,
            BooleanSupplier interruptRequested) {
        super(loader);
        this.loader = loader;
        this.sessionLock = sessionLock;
        this.interruptRequested = interruptRequested;
    }

    @Override
    protected void clientCodeEnter() {
        synchronized (stopGuard) {
            super.clientCodeEnter();
        }
        int holds = 0;
        while (sessionLock.isHeldByCurrentThread()) {
            sessionLock.unlock();
            holds++;
        }
        releasedHolds = holds;
    }

    @Override
    protected void clientCodeLeave() {
        for (int i = 0; i < releasedHolds; i++) {
            sessionLock.lock();
        }
        releasedHolds = 0;
        super.clientCodeLeave();
    }

    /**
     * Stops user code only while the cell asked to stop is the one running. A stop that arrives
     * late, once the next cell's code has started, would kill that cell instead, and (on JDK 17)
     * a thread stopped just as it starts never runs yet reports no failure: the next cell would
     * end with no value and no error. Cells that compile fast (DirectSnippets) meet the interrupt
     * thread's late stops often enough to show it.
     */
    @Override
    public void stop() throws ExecutionControl.EngineTerminationException, ExecutionControl.InternalException {
        synchronized (stopGuard) {
            if (interruptRequested.getAsBoolean()) {
                super.stop();
            }
        }
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        // An interrupt that arrived while the snippet compiled found no user code to stop.
        if (interruptRequested.getAsBoolean()) {
            throw new ExecutionControl.StoppedException();
        }
        Thread current = Thread.currentThread();
        ClassLoader previousLoader = current.getContextClassLoader();
        Thread.UncaughtExceptionHandler previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        // The snippet thread inherits this, so ServiceLoader & co. see jars added with addToClasspath.
        current.setContextClassLoader(loader.classLoader());
        try {
            return super.invoke(doitMethod);
        } finally {
            current.setContextClassLoader(previousLoader);
            // JDK 17 installs a JVM-wide handler on every invoke and never removes it.
            Thread.setDefaultUncaughtExceptionHandler(previousHandler);
        }
    }

    /** Keeps the variable's object for {@link #takeLastValue()}; never calls its toString(). */
    @Override
    public String varValue(String className, String varName)
            throws ExecutionControl.EngineTerminationException, ExecutionControl.InternalException {
        try {
            Field field = findClass(className).getDeclaredField(varName);
            field.setAccessible(true);
            lastValue = field.get(null);
            return "";
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExecutionControl.InternalException("cannot read " + varName + ": " + e);
        }
    }

    /** The object the last {@link #varValue} read, or {@link #NO_VALUE}. */
    Object takeLastValue() {
        Object value = lastValue;
        lastValue = NO_VALUE;
        return value;
    }

    /** Where the session's classes are loaded, and their bytes kept. */
    SnippetLoaderDelegate loaderDelegate() {
        return loader;
    }

    /** The loader of the session's snippet classes and its jars. */
    ClassLoader snippetLoader() {
        return loader.classLoader();
    }
}
