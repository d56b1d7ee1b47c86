package org.hpckernel.eval;

/**
 * Creates the engine's helper threads in the root thread group. Threads inherit the group of
 * whoever starts them, and on JDK 17 interrupting a cell stops every thread of the cell's group:
 * a timer or stdin thread first started from user code would otherwise die with the cell.
 */
final class DaemonThreads {
    private static final ThreadGroup ROOT = rootGroup();

    private DaemonThreads() {}

    static Thread start(String name, Runnable task) {
        Thread thread = new Thread(ROOT, task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static Thread create(String name, Runnable task) {
        Thread thread = new Thread(ROOT, task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static ThreadGroup rootGroup() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null) {
            group = group.getParent();
        }
        return group;
    }
}
