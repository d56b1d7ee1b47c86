package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.eval.CellOutput;
import org.hpckernel.hpc.scheduler.JobState;
import org.junit.jupiter.api.Test;

/** What a followed job puts into its cell: a requeued run starts clean, displays count against the cap. */
class CellJobListenerTest {
    private final List<String> shown = new ArrayList<>();
    private final CellOutput output = new CellOutput() {
        @Override
        public void stream(String name, String text) {
            shown.add(name + ":" + text);
        }

        @Override
        public void display(MimeBundle bundle, String displayId, boolean update) {
            shown.add("display:" + bundle.data().get("text/plain"));
        }

        @Override
        public void clearOutput(boolean wait) {
            shown.add("clear");
        }

        @Override
        public String readLine(String prompt, boolean password) {
            throw new UnsupportedOperationException();
        }
    };

    private static JsonObject event(String json) {
        return JsonParser.parseString(json).getAsJsonObject();
    }

    @Test
    void theStoppedRunOfARequeuedJavaJobDoesNotFailTheCell() {
        CellJobListener listener = new CellJobListener(output, "s", 1 << 20, false);
        listener.onEvent(null, event("{\"t\":\"start\"}"));
        listener.onEvent(null, event("{\"t\":\"error\",\"ename\":\"RunnerStopped\",\"evalue\":\"shut down\",\"traceback\":[]}"));
        assertNotNull(listener.error());
        listener.onEvent(null, event("{\"t\":\"start\"}"));
        listener.onEvent(null, event("{\"t\":\"result\",\"data\":{\"text/plain\":\"42\"}}"));
        assertNull(listener.error());
        assertEquals("42", listener.result().data().get("text/plain"));
    }

    @Test
    void aDisplayOverTheCapIsCountedNotShown() {
        CellJobListener listener = new CellJobListener(output, "s", 100, false);
        listener.onEvent(null, event("{\"t\":\"display\",\"data\":{\"text/plain\":\"small\"}}"));
        listener.onEvent(null, event("{\"t\":\"display\",\"data\":{\"text/plain\":\"" + "b".repeat(500) + "\"}}"));
        assertEquals(List.of("display:small"), shown);
        assertTrue(listener.hiddenBytes() > 500);
    }

    @Test
    void aDetachedListenerShowsNothingMore() {
        CellJobListener listener = new CellJobListener(output, "s", 100, false);
        listener.onStream(null, "stdout", "before\n");
        listener.detach();
        listener.onStream(null, "stdout", "after\n");
        assertEquals(List.of("stdout:before\n"), shown);
    }

    private static JobView view(JobState state, String reason) {
        return new JobView("9", "c", state, reason, null, Duration.ofSeconds(2), Map.of(), null);
    }

    private List<String> statusLines() {
        return shown.stream().filter(l -> l.startsWith("display:")).toList();
    }

    @Test
    void outputMakesTheStatusLineSayRunningAtOnceAndNeverPendingAgain() {
        CellJobListener listener = new CellJobListener(output, "s", 1 << 20, false);
        listener.onStatus(view(JobState.PENDING, "submitted"));
        listener.onStream(null, "stdout", "first line\n");
        // A scheduler (or a start marker on a lagging file system) that has not caught up yet.
        listener.onStatus(view(JobState.PENDING, "starting"));
        listener.onStatus(view(JobState.RUNNING, null));
        List<String> lines = statusLines();
        assertTrue(lines.get(0).contains("PENDING (submitted)"), lines.toString());
        assertTrue(lines.get(1).contains(": RUNNING · 0:02"), lines.toString());
        assertEquals(1, shown.indexOf("stdout:first line\n") - shown.indexOf(lines.get(1)), "RUNNING comes just before the output: " + shown);
        for (String l : lines.subList(1, lines.size())) assertFalse(l.contains("PENDING"), shown.toString());
    }

    @Test
    void aRunnerEventAlsoShowsThatTheJobRuns() {
        CellJobListener listener = new CellJobListener(output, "s", 1 << 20, false);
        listener.onStatus(view(JobState.PENDING, "waiting for a free core"));
        listener.onEvent(null, event("{\"t\":\"start\"}"));
        assertTrue(statusLines().get(statusLines().size() - 1).contains(": RUNNING"), shown.toString());
    }

    @Test
    void aRequeuedJobIsPendingAgainUntilItsNewRunShowsOutput() {
        CellJobListener listener = new CellJobListener(output, "s", 1 << 20, false);
        listener.onStream(null, "stdout", "run 1\n");
        listener.onStatus(view(JobState.PENDING, "requeued"));
        assertTrue(statusLines().get(statusLines().size() - 1).contains("PENDING (requeued)"), shown.toString());
        listener.onStream(null, "stdout", "run 2\n");
        assertTrue(statusLines().get(statusLines().size() - 1).contains(": RUNNING"), shown.toString());
    }

    @Test
    void theStderrTailKeepsTheLastTwentyLinesLabelledByTask() {
        CellJobListener listener = new CellJobListener(output, "s", 1 << 20, true);
        for (int i = 1; i <= 60; i++) listener.onStream(i % 2, i % 3 == 0 ? "stdout" : "stderr", "line " + i + "\n");
        List<String> tail = listener.stderrTail();
        assertEquals(CellJobListener.STDERR_TAIL_LINES, tail.size());
        assertEquals("[1] line 31", tail.get(0));
        assertFalse(tail.stream().anyMatch(l -> l.endsWith("line 57")), "stdout is not stderr: " + tail);
        assertEquals("[1] line 59", tail.get(tail.size() - 1));
    }

    @Test
    void anArrayTasksUnfinishedLineIsNotCutByAnotherTask() {
        CellJobListener listener = new CellJobListener(output, "s", 1 << 20, true);
        listener.onStream(1, "stdout", "n=");
        listener.onStream(2, "stdout", "n=");
        listener.onStream(2, "stdout", "2 done\nn=");
        listener.onStream(1, "stdout", "1 done\n");
        listener.onStream(1, "stdout", "tail without newline");
        listener.flushPartialLines();
        assertEquals(List.of("stdout:[2] n=2 done\n", "stdout:[1] n=1 done\n", "stdout:[1] tail without newline", "stdout:[2] n="),
                shown.stream().filter(s -> s.startsWith("stdout:")).toList());
    }
}
