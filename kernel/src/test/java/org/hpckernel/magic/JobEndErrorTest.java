package org.hpckernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.hpckernel.hpc.JobOutcome;
import org.hpckernel.hpc.StatusLine;
import org.hpckernel.hpc.scheduler.JobState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A job that did not succeed is said once: the status line carries state, exit code and elapsed
 * time; what the cell shows of the error adds the reason in words, the stderr tail, the logs command.
 */
class JobEndErrorTest {
    private static JobOutcome outcome(JobState state, Integer exit, String reason) {
        return new JobOutcome("4242", state, exit, reason, null, Duration.ofSeconds(65), null, null, Map.of());
    }

    private static String shown(MagicException e) {
        return String.join("\n", e.traceback());
    }

    @ParameterizedTest
    @CsvSource({"143, SIGTERM", "137, SIGKILL", "130, SIGINT", "140, SIGUSR2", "139, SIGSEGV", "129, SIGHUP"})
    void aSignalExitIsNamedNotNumbered(int code, String signal) {
        MagicException e = JobEndError.of(outcome(JobState.FAILED, code, null), "c", JobEndError.Cancel.NONE, List.of(), 0);
        assertTrue(shown(e).contains("stopped by " + signal), shown(e));
        assertFalse(shown(e).contains(Integer.toString(code)), shown(e));
        assertEquals(Optional.of(signal), SignalNames.ofExitCode(code));
    }

    @Test
    void ordinaryExitCodesAreNoSignals() {
        for (Integer code : new Integer[] {null, 0, 1, 3, 126, 127, 128, 200}) {
            assertEquals(Optional.empty(), SignalNames.ofExitCode(code), "code " + code);
        }
    }

    @Test
    void anInterruptedCellsCancelIsSaidOnceWithItsSignalAndNoStderr() {
        JobOutcome o = outcome(JobState.CANCELLED, 143, "cancelled on request");
        MagicException e = JobEndError.of(o, "local", JobEndError.Cancel.INTERRUPTED, List.of("Terminated"), 0);
        assertEquals("JobCancelled", e.ename());
        assertEquals(List.of("JobCancelled: the cell was interrupted (stopped by SIGTERM)",
                "%hpc logs 4242 shows everything the job wrote"), e.traceback());
        String status = text(StatusLine.done(o, "local"));
        assertEquals("✖ job 4242 on local: CANCELLED, exit code 143 · 1:05 elapsed", status);
        // Between them, each fact once: the state and the code in the line, the reason in the error.
        String all = status + "\n" + shown(e);
        assertEquals(1, count(all, "CANCELLED"), all);
        assertEquals(2, count(all.toLowerCase(), "cancelled"), all); // the state in the line, the name of the error
        assertEquals(1, count(all, "143"), all);
        assertFalse(all.contains("on request"), all);
    }

    @Test
    void aFailedJobsErrorShowsTheLastTwentyLinesOfStderrAndTheLogsCommand() {
        List<String> tail = new ArrayList<>();
        IntStream.rangeClosed(1, 20).forEach(i -> tail.add("err " + i));
        MagicException e = JobEndError.of(outcome(JobState.FAILED, 3, null), "local", JobEndError.Cancel.NONE, tail, 0);
        assertEquals("JobFailed", e.ename());
        List<String> tb = e.traceback();
        assertEquals("JobFailed: its script exited with code 3", tb.get(0));
        assertEquals("The last 20 lines of its stderr:", tb.get(1));
        assertEquals("  err 1", tb.get(2));
        assertEquals("  err 20", tb.get(21));
        assertEquals("%hpc logs 4242 shows everything the job wrote", tb.get(22));
        assertEquals(23, tb.size());
        assertFalse(shown(e).contains("FAILED"), shown(e));
        // Tools that keep only the evalue (papermill, nbclient) still get the whole sentence.
        assertEquals("job 4242 on local ended FAILED with exit code 3"
                + " (%hpc logs 4242 shows everything the job wrote)", e.getMessage());
    }

    @Test
    void outputPastTheCapGivesNoStaleTailButSaysWhereTheRestIs() {
        MagicException e = JobEndError.of(outcome(JobState.FAILED, 1, null), "local", JobEndError.Cancel.NONE,
                List.of("an early line"), 5000);
        assertFalse(shown(e).contains("an early line"), shown(e));
        assertTrue(shown(e).contains("5000 more bytes"), shown(e));
        assertEquals(1, count(shown(e), "%hpc logs 4242"), shown(e));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "TIMEOUT|143|stopped at its --time limit|JobTimeout: it reached its time limit (stopped by SIGTERM); --time gives it more",
        "TIMEOUT||TERM_RUNLIMIT: job killed after reaching LSF run time limit|JobTimeout: it reached its time limit; the scheduler said: TERM_RUNLIMIT: job killed after reaching LSF run time limit; --time gives it more",
        "OUT_OF_MEMORY|137||JobOutOfMemory: it ran out of memory (stopped by SIGKILL); --mem gives it more",
        "NODE_FAIL|||JobNodeFail: its node failed",
        "CANCELLED|15|deleted (dr)|JobCancelled: by the scheduler's cancel command or an administrator, not by this kernel; the scheduler said: deleted (dr)",
        "FAILED|1|requeued 2 times|JobFailed: its script exited with code 1; it was requeued 2 times",
        "FAILED|||JobFailed: its script failed",
    })
    void theSchedulersWordsBecomeTheReason(JobState state, Integer exit, String reason, String first) {
        MagicException e = JobEndError.of(outcome(state, exit, reason), "c", JobEndError.Cancel.NONE, List.of(), 0);
        assertEquals(first, e.traceback().get(0));
    }

    @Test
    void aCancelOnRequestSaysSo() {
        MagicException e = JobEndError.of(outcome(JobState.CANCELLED, 143, "cancelled on request"), "c",
                JobEndError.Cancel.REQUESTED, List.of("last words"), 0);
        assertEquals("JobCancelled: %hpc cancel asked for it (stopped by SIGTERM)", e.traceback().get(0));
        assertTrue(shown(e).contains("  last words"), shown(e));
    }

    @Test
    void failedArrayTasksAreNamed() {
        JobOutcome o = new JobOutcome("7", JobState.FAILED, 1, null, null, Duration.ZERO, null, null, Map.of(1, 0, 3, 1, 4, 2));
        MagicException e = JobEndError.of(o, "c", JobEndError.Cancel.NONE, List.of(), 0);
        assertTrue(e.getMessage().contains("failed array tasks: [3, 4]"), e.getMessage());
    }

    @Test
    void theStatusLineShowsTheReasonOfASuccessOnly() {
        JobOutcome ok = new JobOutcome("1", JobState.COMPLETED, 0, "requeued 1 time", "n1", Duration.ofSeconds(3), null, null, Map.of());
        assertEquals("✔ job 1 on c: COMPLETED, exit code 0 (requeued 1 time) on n1 · 0:03 elapsed", text(StatusLine.done(ok, "c")));
        JobOutcome failed = outcome(JobState.TIMEOUT, 143, "stopped at its --time limit");
        assertEquals("✖ job 4242 on c: TIMEOUT, exit code 143 · 1:05 elapsed", text(StatusLine.done(failed, "c")));
    }

    private static String text(org.hpckernel.display.MimeBundle b) {
        return (String) b.data().get("text/plain");
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
        return n;
    }
}
