package org.hpckernel.display;

/**
 * The process's one {@link DisplayHost}, set by the engine when it captures output. Kept apart from
 * {@link Display}, whose static methods every session imports.
 */
public final class DisplayHosts {
    private static volatile DisplayHost host;

    private DisplayHosts() {}

    public static void install(DisplayHost installed) {
        host = installed;
    }

    /** The installed host, or null when no engine captures output (displays then print text). */
    static DisplayHost current() {
        return host;
    }
}
