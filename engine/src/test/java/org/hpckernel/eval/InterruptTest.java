package org.hpckernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stopping running cells, and using the session while a cell runs. Cells call
 * {@code CellHooks.started.countDown()} so the test knows user code is running; the timeouts
 * only guard against a hang.
 */
class InterruptTest extends SharedSession {
    private static final long HANG_GUARD_SECONDS = 20;
    private static final String STARTED = "org.hpckernel.eval.CellHooks.started.countDown();";

    private final ExecutorService kernelThread = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void declare() {
        assertNull(evaluator.eval("int n = 0;").error());
        assertNull(evaluator.eval("long spin() {\n    long k = 0;\n    while (true) { k++; }\n}").error());
    }

    @AfterEach
    void stopKernelThread() {
        kernelThread.shutdownNow();
    }

    private CellResult interruptWhileRunning(String cell) throws Exception {
        CountDownLatch started = CellHooks.reset();
        Future<CellResult> running = kernelThread.submit(() -> evaluator.eval(cell));
        assertTrue(started.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS), "cell never started");
        evaluator.interrupt();
        return running.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
    }

    private void assertInterruptedAndUsable(CellResult result) {
        CellError error = result.error();
        assertNotNull(error, "cell was not interrupted");
        assertEquals("Interrupted", error.ename());
        assertEquals("Execution interrupted by the user", error.evalue());
        CellResult after = evaluator.eval("n >= 0 ? \"usable\" : \"usable\"");
        assertNull(after.error());
        assertEquals("usable", after.value());
    }

    @Test
    void aBusyLoopOnAVariableFromAnEarlierCellStops() throws Exception {
        assertInterruptedAndUsable(interruptWhileRunning(STARTED + "\nwhile (true) { n++; }"));
    }

    @Test
    void aBusyLoopInsideAMethodFromAnEarlierCellStops() throws Exception {
        assertInterruptedAndUsable(interruptWhileRunning(STARTED + "\nspin();"));
    }

    @Test
    void aValueCellStopsAndLeavesNoVariable() throws Exception {
        // No ';': the call runs as the initializer of a value declaration (ValueDeclaration).
        assertInterruptedAndUsable(interruptWhileRunning(STARTED + "\nspin()"));
        assertFalse(evaluator.variableNames().stream().anyMatch(name -> name.startsWith("$")), evaluator.variableNames().toString());
    }

    @Test
    void aLongSleepStops() throws Exception {
        assertInterruptedAndUsable(interruptWhileRunning(STARTED + "\nThread.sleep(600000);"));
    }

    @Test
    void codeThatSwallowsInterruptionStillStops() throws Exception {
        assertInterruptedAndUsable(interruptWhileRunning(STARTED
                + "\nwhile (true) { try { Thread.sleep(10); } catch (InterruptedException e) { } }"));
    }

    @Test
    void aPendingReadLineGivesUp() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        output.setInput((prompt, password) -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "too late";
        });
        try {
            assertInterruptedAndUsable(interruptWhileRunning(STARTED + "\nString answer = readLine(\"? \");"));
        } finally {
            never.countDown();
        }
    }

    @Test
    void laterSnippetsOfAnInterruptedCellDoNotRun() throws Exception {
        CellResult result = interruptWhileRunning(STARTED + "\nThread.sleep(600000);\nSystem.out.println(\"ran on\");");
        assertInterruptedAndUsable(result);
        capture.flush();
        assertFalse(output.text("stdout").contains("ran on"));
    }

    /**
     * The interrupt's stops must not reach the next cell: a fast next cell once ended with no value
     * and no error, 2 times in 40, because a late stop killed its thread as it started. Repeated
     * because it is a race; each round is short.
     */
    @Test
    void theCellAfterAnInterruptedOneRunsInFull() throws Exception {
        for (int round = 0; round < 60; round++) {
            CellResult interrupted = interruptWhileRunning(STARTED + "\nThread.sleep(600000);");
            assertEquals("Interrupted", interrupted.error().ename());
            CellResult next = evaluator.eval("n >= 0 ? \"ran\" : \"ran\"");
            assertNull(next.error(), "round " + round);
            assertEquals("ran", next.value(), "round " + round);
        }
    }

    @Test
    void interruptWithNothingRunningIsHarmless() {
        evaluator.interrupt();
        assertEquals(2, evaluator.eval("1 + 1").value());
    }

    @Test
    void completionAndInspectionAnswerWhileACellSleeps() throws Exception {
        CountDownLatch started = CellHooks.reset();
        Future<CellResult> sleeping = kernelThread.submit(() -> evaluator.eval(STARTED + "\nThread.sleep(5000);"));
        assertTrue(started.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS));

        long begin = System.nanoTime();
        Completion completion = evaluator.complete("Math.ma", 7);
        Inspection inspection = evaluator.inspect("Math.max", 8, 0);
        IsComplete complete = evaluator.isComplete("for (;;) {");
        long millis = (System.nanoTime() - begin) / 1_000_000;

        assertFalse(sleeping.isDone(), "answers waited for the cell");
        assertTrue(completion.matches().contains("max("));
        assertTrue(inspection.found());
        assertEquals("incomplete", complete.status());
        capture.originalErr().println("InterruptTest: complete+inspect+isComplete during a running cell took " + millis + " ms");
        evaluator.interrupt();
        assertEquals("Interrupted", sleeping.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS).error().ename());
    }
}
