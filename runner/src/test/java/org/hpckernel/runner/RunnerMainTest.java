package org.hpckernel.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner as a compute node starts it: a separate JVM on a job directory. */
class RunnerMainTest {
    private static final long TIMEOUT_SECONDS = 60;

    /** A finished runner process: exit code, its stderr, and the parsed events. */
    record Run(int code, String stderr, List<Map<String, Object>> events) {
        List<String> types() {
            return events.stream().map(e -> (String) e.get("t")).collect(Collectors.toList());
        }

        Map<String, Object> first(String type) {
            return events.stream().filter(e -> type.equals(e.get("t"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + type + " event in " + events));
        }

        String stream(String name) {
            return events.stream().filter(e -> "stream".equals(e.get("t")) && name.equals(e.get("name")))
                    .map(e -> (String) e.get("text")).collect(Collectors.joining());
        }
    }

    /** The runner's and the engine's classes only: what the node jar holds, nothing of the test classpath. */
    private static String nodeClasspath() {
        List<String> parts = new ArrayList<>();
        for (Class<?> c : List.of(RunnerMain.class, org.hpckernel.display.Display.class)) {
            try {
                parts.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    static Process start(Path jobDir, String arrayIndex) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", nodeClasspath(), RunnerMain.class.getName()));
        if (jobDir != null) {
            command.add(jobDir.toString());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().remove(RunnerMain.ARRAY_INDEX_ENV);
        if (arrayIndex != null) {
            builder.environment().put(RunnerMain.ARRAY_INDEX_ENV, arrayIndex);
        }
        return builder.start();
    }

    static Run finish(Process process, Path events) throws Exception {
        process.getOutputStream().close();
        byte[] stderr = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "runner did not finish");
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("", stdout, "the runner's own stdout stays empty");
        return new Run(process.exitValue(), new String(stderr, StandardCharsets.UTF_8), events(events));
    }

    static List<Map<String, Object>> events(Path file) throws IOException {
        List<Map<String, Object>> events = new ArrayList<>();
        if (!Files.exists(file)) {
            return events;
        }
        String content = Files.readString(file);
        assertTrue(content.isEmpty() || content.endsWith("\n"), "whole lines only");
        for (String line : content.split("\n")) {
            if (!line.isEmpty()) {
                events.add(StrictJson.object(line));
            }
        }
        return events;
    }

    static Path job(Path dir, String cell, String declarations) throws IOException {
        Files.writeString(dir.resolve(JobLayout.CELL), cell);
        if (declarations != null) {
            Files.writeString(dir.resolve(JobLayout.DECLARATIONS), declarations);
        }
        return dir;
    }

    static Run run(Path dir) throws Exception {
        return finish(start(dir, null), dir.resolve(JobLayout.events(null)));
    }

    @Test
    void runsACellWithTheNotebooksDeclarations(@TempDir Path dir) throws Exception {
        job(dir, "System.out.println(\"sum \" + twice(new Point(1, 2).sum()) + \" é\");\n"
                        + "System.err.println(\"careful\");\n"
                        + "var image = new java.awt.image.BufferedImage(3, 2, java.awt.image.BufferedImage.TYPE_INT_RGB);\n"
                        + "display(image);\n"
                        + "display(\"<b>x</b>\", \"text/html\");\n"
                        + "clearOutput(true);\n"
                        + "new Point(twice(2), 5)\n",
                "import java.time.LocalDate;\n\nrecord Point(int x, int y) {\n    int sum() { return x + y; }\n}\n\n"
                        + "int twice(int v) {\n    return 2 * v;\n}\n");
        long before = System.currentTimeMillis();
        Run run = run(dir);
        assertEquals(0, run.code(), run.stderr());
        assertEquals(List.of("start", "stream", "stream", "display", "display", "clear", "result", "exit"), run.types());

        Map<String, Object> start = run.events().get(0);
        assertEquals(Runtime.version().toString(), start.get("java"));
        assertFalse(((String) start.get("node")).isEmpty());
        assertTrue((Long) start.get("pid") > 0);
        assertTrue((Long) start.get("ts") >= before);
        long previous = 0;
        for (Map<String, Object> event : run.events()) {
            long ts = (Long) event.get("ts");
            assertTrue(ts >= previous, "timestamps ascend");
            previous = ts;
        }

        assertEquals("sum 6 é\n", run.stream("stdout"));
        assertEquals("careful\n", run.stream("stderr"));

        Map<String, Object> image = run.events().get(3);
        assertEquals(false, image.get("update"));
        assertNotNull(image.get("id"));
        Map<?, ?> data = (Map<?, ?>) image.get("data");
        byte[] png = Base64.getDecoder().decode((String) data.get("image/png"));
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
        assertEquals(Map.of("image/png", Map.of("width", 3L, "height", 2L)), image.get("metadata"));

        assertEquals(Map.of("text/html", "<b>x</b>"), run.events().get(4).get("data"));
        assertEquals(true, run.first("clear").get("wait"));
        assertEquals(Map.of("text/plain", "Point[x=4, y=5]"), run.first("result").get("data"));
        assertEquals(Map.of(), run.first("result").get("metadata"));
        assertEquals(0L, run.first("exit").get("code"));
    }

    @Test
    void updatesCarryTheDisplayId(@TempDir Path dir) throws Exception {
        job(dir, "String id = display(\"one\");\nupdateDisplay(id, \"two\");\nSystem.out.print(id);", null);
        Run run = run(dir);
        assertEquals(0, run.code(), run.stderr());
        assertEquals(List.of("start", "display", "display", "stream", "exit"), run.types());
        String id = run.stream("stdout");
        assertEquals(id, run.events().get(1).get("id"));
        assertEquals(false, run.events().get(1).get("update"));
        assertEquals(id, run.events().get(2).get("id"));
        assertEquals(true, run.events().get(2).get("update"));
        assertEquals(Map.of("text/plain", "two"), run.events().get(2).get("data"));
    }

    @Test
    void aFailingCellEndsWithAnErrorAndCode1(@TempDir Path dir) throws Exception {
        job(dir, "System.out.println(\"before\");\nint boom(int x) { return 10 / x; }\nboom(0);\nSystem.out.println(\"after\");",
                "int unused() { return 0; }\n");
        Run run = run(dir);
        assertEquals(1, run.code());
        assertEquals(List.of("start", "stream", "error", "exit"), run.types());
        assertEquals("before\n", run.stream("stdout"));
        Map<String, Object> error = run.first("error");
        assertEquals("java.lang.ArithmeticException", error.get("ename"));
        assertEquals("/ by zero", error.get("evalue"));
        assertTrue(((List<?>) error.get("traceback")).stream().anyMatch(l -> l.toString().contains("cell line 2")),
                error.toString());
        assertEquals(1L, run.first("exit").get("code"));
    }

    @Test
    void aNotebookVariableIsNotShippedSoUsingItIsACompileError(@TempDir Path dir) throws Exception {
        job(dir, "seed * 2", "int twice(int x) { return 2 * x; }\n");
        Run run = run(dir);
        assertEquals(1, run.code());
        assertEquals(List.of("start", "error", "exit"), run.types());
        assertEquals("CompilationError", run.first("error").get("ename"));
        assertTrue(run.first("error").get("evalue").toString().contains("seed"), run.first("error").toString());
    }

    @Test
    void aFailingDeclarationIsReportedAsAReplayError(@TempDir Path dir) throws Exception {
        job(dir, "System.out.println(\"must not run\");",
                "record Point(int x, int y) {}\n\nimport org.example.notonthisnode.Shape;\n\nint area(Shape s) {\n    return s.size();\n}\n");
        Run run = run(dir);
        assertEquals(1, run.code());
        assertEquals(List.of("start", "error", "exit"), run.types());
        String evalue = (String) run.first("error").get("evalue");
        assertTrue(evalue.startsWith("while replaying the notebook's declarations:"), evalue);
        assertTrue(evalue.contains("import org.example.notonthisnode.Shape;"), evalue);
        assertEquals("", run.stream("stdout"));
    }

    @Test
    void readingInputFailsClearly(@TempDir Path dir) throws Exception {
        job(dir, "readLine(\"name? \")", null);
        Run run = run(dir);
        assertEquals(1, run.code());
        String evalue = (String) run.first("error").get("evalue");
        assertTrue(evalue.contains(FileCellOutput.NO_INPUT), evalue);

        Path second = Files.createDirectory(dir.resolve("stdin"));
        job(second, "try {\n    System.in.read();\n} catch (java.io.IOException e) {\n    System.out.println(e.getMessage());\n}", null);
        Run raw = run(second);
        assertEquals(0, raw.code(), raw.toString());
        assertTrue(raw.stream("stdout").contains(FileCellOutput.NO_INPUT), raw.toString());
    }

    @Test
    void outputIsInTheFileWhileTheCellStillRuns(@TempDir Path dir) throws Exception {
        job(dir, "System.out.println(\"first\");\nThread.sleep(2000);\nSystem.out.println(\"second\");", null);
        Path file = dir.resolve(JobLayout.events(null));
        Process process = start(dir, null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        String content = "";
        while (!content.contains("first") && System.nanoTime() < deadline && process.isAlive()) {
            Thread.sleep(10);
            content = Files.exists(file) ? Files.readString(file) : "";
        }
        assertTrue(content.contains("\"text\":\"first\\n\""), content);
        assertFalse(content.contains("second"), content);
        assertTrue(content.endsWith("\n"), "whole lines only");
        Run run = finish(process, file);
        assertEquals(0, run.code(), run.stderr());
        List<Map<String, Object>> streams = run.events().stream().filter(e -> "stream".equals(e.get("t"))).toList();
        assertEquals(2, streams.size());
        long gap = (Long) streams.get(1).get("ts") - (Long) streams.get(0).get("ts");
        assertTrue(gap >= 1500, "first line written ~2 s before the second, not at the end: " + gap);
    }

    @Test
    void backgroundThreadsOutputIsCapturedInOrder(@TempDir Path dir) throws Exception {
        job(dir, "var t = new Thread(() -> { for (int i = 0; i < 2000; i++) System.out.println(\"line \" + i); });\n"
                + "t.start();\nt.join();", null);
        Run run = run(dir);
        assertEquals(0, run.code(), run.stderr());
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            expected.append("line ").append(i).append('\n');
        }
        assertEquals(expected.toString(), run.stream("stdout"));
    }

    @Test
    void arrayTasksWriteTheirOwnEventsFile(@TempDir Path dir) throws Exception {
        job(dir, "System.getenv(\"HPC_ARRAY_INDEX\")", null);
        Run run = finish(start(dir, "3"), dir.resolve("events.3.jsonl"));
        assertEquals(0, run.code(), run.stderr());
        assertEquals(Map.of("text/plain", "3"), run.first("result").get("data"));
        assertFalse(Files.exists(dir.resolve("events.jsonl")));

        Run empty = finish(start(dir, ""), dir.resolve("events.jsonl"));
        assertEquals(0, empty.code(), empty.stderr());
        assertEquals(List.of("start", "result", "exit"), empty.types());
    }

    @Test
    void aMissingJobDirectoryIsASetupProblem(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope");
        Run run = finish(start(missing, null), missing.resolve("events.jsonl"));
        assertEquals(2, run.code());
        assertTrue(run.stderr().contains("job directory not found") && run.stderr().contains(missing.toString()),
                run.stderr());
        assertFalse(Files.exists(missing));

        Run noArgs = finish(start(null, null), missing.resolve("events.jsonl"));
        assertEquals(2, noArgs.code());
        assertTrue(noArgs.stderr().contains("usage"), noArgs.stderr());

        Run badIndex = finish(start(dir, "x"), dir.resolve("events.jsonl"));
        assertEquals(2, badIndex.code());
        assertTrue(badIndex.stderr().contains("HPC_ARRAY_INDEX"), badIndex.stderr());
    }

    @Test
    void aMissingCellIsASetupProblemReportedInTheEventsToo(@TempDir Path dir) throws Exception {
        Run run = run(dir);
        assertEquals(2, run.code());
        assertTrue(run.stderr().contains("cell.jsh"), run.stderr());
        assertEquals(List.of("start", "error", "exit"), run.types());
        assertEquals("RunnerError", run.first("error").get("ename"));
        assertEquals(2L, run.first("exit").get("code"));
    }

    @Test
    void systemExitInTheCellKeepsTheOutputAndSaysWhatHappened(@TempDir Path dir) throws Exception {
        job(dir, "System.out.print(\"partial\");\nSystem.exit(5);", null);
        Run run = run(dir);
        assertEquals(5, run.code());
        assertEquals(List.of("start", "stream", "error"), run.types());
        assertEquals("partial", run.stream("stdout"));
        assertEquals("RunnerStopped", run.first("error").get("ename"));
    }

    @Test
    void aMissingClasspathEntryIsAWarningNotAFailure(@TempDir Path dir) throws Exception {
        job(dir, "1 + 1", null);
        Files.writeString(dir.resolve(JobLayout.CLASSPATH), "/no/such/lib.jar\n");
        Run run = run(dir);
        assertEquals(0, run.code(), run.stderr());
        assertTrue(run.stream("stderr").contains("/no/such/lib.jar"), run.toString());
        assertEquals(Map.of("text/plain", "2"), run.first("result").get("data"));
    }
}
