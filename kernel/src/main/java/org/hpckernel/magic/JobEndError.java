package org.hpckernel.magic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hpckernel.hpc.JobOutcome;
import org.hpckernel.hpc.scheduler.JobState;

/**
 * The cell's error for a job that did not succeed. The status line above it already shows the
 * state, exit code and elapsed time; what the cell shows of the error (its traceback) adds only
 * what the user needs next: why, in words (a signal's name, not its code; what the scheduler
 * said), the last lines of stderr when the job failed, and the command that shows all its output.
 * The evalue stays a whole sentence on its own, for tools that keep only it (papermill, nbclient).
 */
final class JobEndError {
    /** Reasons the kernel itself gives a job (the monitor, the local backend): the words below say them better. */
    private static final Set<String> KERNEL_REASONS = Set.of("cancelled on request", "stopped at its --time limit",
            "terminated by SIGTERM (cancelled or out of time)", "no longer known to the scheduler", "None", "NonZeroExitCode");

    /** How the job's end came about on the kernel's side. */
    enum Cancel {
        /** This cell was interrupted, and cancelled its job. */
        INTERRUPTED,
        /** The kernel cancelled the job on request (%hpc cancel). */
        REQUESTED,
        NONE
    }

    private JobEndError() {}

    /**
     * @param stderrTail the last lines of stderr the cell showed
     * @param hiddenBytes output past the cell's cap: the tail would not be the job's last lines then
     */
    static MagicException of(JobOutcome o, String cluster, Cancel cancel, List<String> stderrTail, long hiddenBytes) {
        boolean cancelled = o.state() == JobState.CANCELLED || cancel != Cancel.NONE && o.state() != JobState.COMPLETED;
        String ename = cancelled ? "JobCancelled" : "Job" + camel(o.state());
        String why = why(o, cancel);
        List<Integer> failedTasks = o.taskExitCodes().entrySet().stream().filter(e -> e.getKey() >= 0 && e.getValue() != 0)
                .map(Map.Entry::getKey).sorted().toList();
        if (!failedTasks.isEmpty()) why += "; failed array tasks: " + failedTasks;
        String logs = "%hpc logs " + o.jobId() + " shows everything the job wrote";

        List<String> traceback = new ArrayList<>();
        traceback.add(ename + ": " + why);
        if (hiddenBytes > 0) {
            traceback.add(hiddenBytes + " more bytes of its output are past the cell's output cap: " + logs);
        } else {
            if (cancel != Cancel.INTERRUPTED && !stderrTail.isEmpty()) {
                traceback.add(stderrTail.size() == 1 ? "The last line of its stderr:" : "The last " + stderrTail.size() + " lines of its stderr:");
                for (String line : stderrTail) traceback.add("  " + line);
            }
            traceback.add(logs);
        }

        StringBuilder evalue = new StringBuilder("job ").append(o.jobId()).append(" on ").append(cluster).append(" ended ")
                .append(o.state());
        if (o.exitCode() != null) evalue.append(" with exit code ").append(o.exitCode());
        String more = why.replaceFirst("^its script exited with code \\d+(; )?", ""); // the header says that
        if (!more.isEmpty()) evalue.append(": ").append(more);
        evalue.append(" (").append(logs).append(')');
        return new MagicException(ename, evalue.toString(), traceback);
    }

    /** Why the job ended so, in words: the cause, the signal that stopped it, the scheduler's words, what to change. */
    static String why(JobOutcome o, Cancel cancel) {
        Optional<String> signal = SignalNames.ofExitCode(o.exitCode());
        boolean cancelled = o.state() == JobState.CANCELLED || o.state() == JobState.FAILED && cancel != Cancel.NONE;
        String words = cancelled ? cancelled(cancel) : switch (o.state()) {
            case TIMEOUT -> "it reached its time limit";
            case OUT_OF_MEMORY -> "it ran out of memory";
            case NODE_FAIL -> "its node failed";
            // A plain exit code is its own reason; nbconvert and papermill show only this text, not the status line.
            case FAILED -> signal.isPresent() ? "it was stopped by " + signal.get()
                    : o.exitCode() != null ? "its script exited with code " + o.exitCode() : "its script failed";
            default -> "it ended " + o.state();
        };
        if (signal.isPresent() && !words.contains(signal.get())) words += " (stopped by " + signal.get() + ")";
        String said = o.reason();
        if (said != null && !said.isBlank() && !KERNEL_REASONS.contains(said)) {
            words += said.startsWith("requeued") ? "; it was " + said : "; the scheduler said: " + said;
        }
        if (o.state() == JobState.TIMEOUT) words += "; --time gives it more";
        if (o.state() == JobState.OUT_OF_MEMORY) words += "; --mem gives it more";
        return words;
    }

    /** The error's name says that the job was cancelled; this says by whom. */
    private static String cancelled(Cancel cancel) {
        return switch (cancel) {
            case INTERRUPTED -> "the cell was interrupted";
            case REQUESTED -> "%hpc cancel asked for it";
            case NONE -> "by the scheduler's cancel command or an administrator, not by this kernel";
        };
    }

    private static String camel(JobState s) {
        StringBuilder b = new StringBuilder();
        for (String w : s.name().split("_")) b.append(w.charAt(0)).append(w.substring(1).toLowerCase());
        return b.toString();
    }
}
