package org.hpckernel.hpc;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.hpc.scheduler.JobState;

/** The one-line status a %%hpc cell keeps updated in place while its job lives. */
public final class StatusLine {
    private StatusLine() {}

    public static MimeBundle live(JobView v) {
        StringBuilder s = new StringBuilder();
        s.append(symbol(v.state())).append(" job ").append(v.jobId()).append(" on ").append(v.cluster()).append(": ")
                .append(v.state());
        boolean failedEnd = v.state().isFinal() && v.state() != JobState.COMPLETED; // the cell's error says why
        if (v.reason() != null && !v.reason().isBlank() && !v.reason().equals("None") && !failedEnd) {
            s.append(" (").append(v.reason()).append(')');
        }
        if (v.node() != null) s.append(" on ").append(v.node());
        if (!v.taskStates().isEmpty()) s.append(" · tasks ").append(counts(v.taskStates()));
        s.append(" · ").append(clock(v.elapsed()));
        if (v.connection() != null) s.append(" · connection lost, reconnecting: ").append(v.connection());
        return bundle(s.toString(), v.state());
    }

    /** Before the job has an id: what the kernel is doing for the cell ("compiling…", "submitting…"). */
    public static MimeBundle phase(String what) {
        return bundle("⏳ " + what, JobState.PENDING);
    }

    /** The cell ended before it had a job to show ("nothing submitted"): its error says why. */
    public static MimeBundle stopped(String what) {
        return bundle("✖ " + what, JobState.FAILED);
    }

    /**
     * State, exit code and elapsed time of a job that ended. Why a job did not succeed is the
     * cell's error's to say, once: the reason is shown here only for a job that succeeded.
     */
    public static MimeBundle done(JobOutcome o, String cluster) {
        StringBuilder s = new StringBuilder();
        s.append(symbol(o.state())).append(" job ").append(o.jobId()).append(" on ").append(cluster).append(": ").append(o.state());
        if (o.exitCode() != null) s.append(", exit code ").append(o.exitCode());
        if (o.reason() != null && o.succeeded()) s.append(" (").append(o.reason()).append(')');
        if (o.node() != null) s.append(" on ").append(o.node());
        s.append(" · ").append(clock(o.elapsed())).append(" elapsed");
        if (o.cpuTime() != null) s.append(" · CPU ").append(clock(o.cpuTime()));
        if (o.maxMemoryBytes() != null) s.append(" · max memory ").append(megabytes(o.maxMemoryBytes()));
        if (o.taskExitCodes().size() > 1) {
            long failed = o.taskExitCodes().values().stream().filter(c -> c != 0).count();
            s.append(" · ").append(o.taskExitCodes().size() - failed).append(" of ").append(o.taskExitCodes().size()).append(" tasks ok");
        }
        return bundle(s.toString(), o.state());
    }

    private static MimeBundle bundle(String text, JobState state) {
        String color = switch (state) {
            case COMPLETED -> "#1a7f37";
            case PENDING, RUNNING, UNKNOWN -> "#0969da";
            default -> "#cf222e";
        };
        String html = "<div style=\"font-family: monospace; color: " + color + "\">" + escape(text) + "</div>";
        return new MimeBundle(Map.of("text/plain", text, "text/html", html), Map.of());
    }

    private static String symbol(JobState s) {
        return switch (s) {
            case PENDING -> "⏳";
            case RUNNING -> "▶";
            case COMPLETED -> "✔";
            case UNKNOWN -> "?";
            default -> "✖";
        };
    }

    private static String counts(Map<JobState, Integer> tasks) {
        return tasks.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().name().toLowerCase())
                .collect(Collectors.joining(", "));
    }

    static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }

    private static String megabytes(long bytes) {
        return bytes >= 1L << 30 ? String.format("%.1f GB", bytes / (double) (1L << 30)) : (bytes >> 20) + " MB";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
