package org.hpckernel.util;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The kernel's own diagnostics. They go to the process's original stderr (which Jupyter servers
 * collect in their log), never to a cell: user output is captured separately. Level from
 * {@code HPC_KERNEL_LOG} (debug, info, warn; default info).
 */
public final class Log {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final int level = parse(System.getenv("HPC_KERNEL_LOG"));
    private static volatile PrintStream sink = System.err;

    private Log() {}

    /** Called once, before System.err is replaced by the cell capture. */
    public static void useSink(PrintStream stream) {
        sink = stream;
    }

    public static boolean debugEnabled() {
        return level <= 0;
    }

    public static void debug(String format, Object... args) {
        if (level <= 0) write("DEBUG", format, args);
    }

    public static void info(String format, Object... args) {
        if (level <= 1) write("INFO", format, args);
    }

    public static void warn(String format, Object... args) {
        if (level <= 2) write("WARN", format, args);
    }

    public static void warn(Throwable t, String format, Object... args) {
        if (level <= 2) {
            write("WARN", format, args);
            PrintStream out = sink;
            synchronized (out) {
                t.printStackTrace(out);
            }
        }
    }

    private static void write(String tag, String format, Object... args) {
        String text = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
        PrintStream out = sink;
        synchronized (out) {
            out.println("[hpc-kernel " + TIME.format(LocalTime.now()) + " " + tag + "] " + text);
            out.flush();
        }
    }

    private static int parse(String value) {
        if (value == null) return 1;
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "debug", "trace" -> 0;
            case "warn", "warning", "error" -> 2;
            default -> 1;
        };
    }
}
