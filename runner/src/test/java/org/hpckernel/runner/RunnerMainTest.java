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
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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

    /** The runner's, the engine's and Gson's classes only: what the node jar holds, nothing of the test classpath. */
    private static String nodeClasspath() {
        List<String> parts = new ArrayList<>();
        for (Class<?> c : List.of(RunnerMain.class, org.hpckernel.display.Display.class, com.google.gson.Gson.class)) {
            parts.add(CompiledCells.location(c));
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    static Process start(Path jobDir, String arrayIndex, String... jvmOptions) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // java.se is what a JRE has: no compiler, no JShell. A runner that needed them would fail here.
        List<String> command = new ArrayList<>(List.of(java, "--limit-modules", "java.se", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", nodeClasspath(), RunnerMain.class.getName()));
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

    /**
     * A job directory {@code dir/job} of a work directory {@code dir} whose cell runs {@code body}
     * ({@code run(io)}'s body), with notebook classes beside it (file name to source, package nb).
     */
    static Path job(Path dir, String body, Map<String, String> notebook) throws IOException {
        Path job = Files.createDirectories(dir.resolve("jobs").resolve("job"));
        Map<String, String> sources = new java.util.LinkedHashMap<>(notebook);
        sources.put("Cell.java", CompiledCells.cell(body));
        CompiledCells.ship(dir, job, sources);
        return job;
    }

    static Path job(Path dir, String body) throws IOException {
        return job(dir, body, Map.of());
    }

    static final Map<String, String> POINT = Map.of("Point.java",
            "package nb;\npublic record Point(int x, int y) {\n    public int sum() { return x + y; }\n}\n");

    static Run run(Path dir) throws Exception {
        return finish(start(dir, null), dir.resolve(JobLayout.events(null)));
    }

    /** Like {@link #start}, with the runner's working directory set (the cell finds files there). */
    static Process startIn(Path workingDir, Path jobDir, String arrayIndex) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "--limit-modules", "java.se", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", nodeClasspath(), RunnerMain.class.getName(), jobDir.toString())
                .directory(workingDir.toFile());
        builder.environment().remove(RunnerMain.ARRAY_INDEX_ENV);
        if (arrayIndex != null) {
            builder.environment().put(RunnerMain.ARRAY_INDEX_ENV, arrayIndex);
        }
        return builder.start();
    }

    @Test
    void runsACompiledCell(@TempDir Path dir) throws Exception {
        Path job = job(dir, """
                System.out.println("sum " + new Point(1, 2).sum() + " é");
                System.err.println("careful");
                var image = new java.awt.image.BufferedImage(3, 2, java.awt.image.BufferedImage.TYPE_INT_RGB);
                display(image);
                display("<b>x</b>", "text/html");
                clearOutput(true);
                return new Point(4, 5);
                """, POINT);
        long before = System.currentTimeMillis();
        Run run = run(job);
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

        assertEquals("sum 3 é\n", run.stream("stdout"));
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
        assertFalse(Files.exists(job.resolve(JobLayout.outputs(null))), "no --out, no outputs file");
    }

    /**
     * job.sh records the java command; the runner, which is that JVM, adds its version as
     * {@code java -version} prints it, its vendor and its home (job.sh no longer starts a JVM to ask).
     */
    @Test
    void theRunnerPutsItsOwnJvmIntoTheTasksEnvironmentRecord(@TempDir Path dir) throws Exception {
        Path job = job(dir, "return CellIO.NO_VALUE;");
        Path record = job.resolve(JobLayout.environment(2));
        Files.writeString(record, "{\n  \"recorded\": \"2026-12-03T09:00:00Z\",\n  \"hostname\": \"n1\",\n  \"run\": \"1\",\n"
                + "  \"modules\": [\"java/17\"],\n  \"java\": {\"command\": \"/opt/jdk/bin/java\"}\n}\n");
        Run run = finish(start(job, "2"), job.resolve(JobLayout.events(2)));
        assertEquals(0, run.code(), run.stderr());

        Map<String, Object> written = StrictJson.object(Files.readString(record));
        assertEquals(List.of("recorded", "hostname", "run", "modules", "java"), new ArrayList<>(written.keySet()));
        assertEquals(List.of("java/17"), written.get("modules"));
        Map<?, ?> java = (Map<?, ?>) written.get("java");
        assertEquals("/opt/jdk/bin/java", java.get("command"));
        // The same JVM with the same options, asked the usual way: the text the user saw before.
        Process version = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--limit-modules", "java.se", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-version")
                .redirectErrorStream(true).start();
        String expected = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(version.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(expected, java.get("version"));
        assertEquals(System.getProperty("java.vendor"), java.get("vendor"));
        assertEquals(System.getProperty("java.home"), java.get("home"));
        try (Stream<Path> left = Files.list(job)) {
            assertEquals(List.of(), left.filter(f -> f.getFileName().toString().startsWith(".")).toList(), "temporary files left");
        }
        assertFalse(Files.exists(job.resolve(JobLayout.environment(null))), "another task's record was written");
    }

    @Test
    void aCellWithoutAFinalValueHasNoResultAndANullValueIsShown(@TempDir Path dir) throws Exception {
        Run none = run(job(dir, "System.out.print(\"done\");\nreturn CellIO.NO_VALUE;"));
        assertEquals(0, none.code(), none.stderr());
        assertEquals(List.of("start", "stream", "exit"), none.types());

        Run nothing = run(job(dir.resolve("second"), "return null;"));
        assertEquals(Map.of("text/plain", "null"), nothing.first("result").get("data"));
    }

    @Test
    void inputsAreDecodedAsTheCellsTypesAndOutputsWrittenWhenItCompletes(@TempDir Path dir) throws Exception {
        Path job = job(dir, """
                List<Point> points = io.input("points", new TypeCapture<List<Point>>() {});
                int shift = io.input("shift", new TypeCapture<Integer>() {});
                Map<String, Double> weights = io.input("weights", new TypeCapture<Map<String, Double>>() {});
                List<Point> moved = new ArrayList<>();
                for (Point p : points) {
                    moved.add(new Point(p.x() + shift, p.y()));
                }
                io.output("moved", moved);
                io.output("total", moved.stream().mapToInt(Point::sum).sum() * weights.get("w"));
                io.output("nothing", null);
                return moved.size();
                """, POINT);
        Files.writeString(job.resolve(JobLayout.INPUTS),
                "{\"points\": [{\"x\": 1, \"y\": 2}, {\"x\": 3, \"y\": 4}], \"shift\": 10, \"weights\": {\"w\": 0.5}}");
        Run run = run(job);
        assertEquals(0, run.code(), run.toString());
        assertEquals(Map.of("text/plain", "2"), run.first("result").get("data"));
        String outputs = Files.readString(job.resolve(JobLayout.outputs(null)));
        assertEquals("{\"moved\":[{\"x\":11,\"y\":2},{\"x\":13,\"y\":4}],\"total\":15.0,\"nothing\":null}", outputs);
        try (Stream<Path> files = Files.list(job)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().contains(".tmp")).toList(),
                    "no temporary file left");
        }
    }

    @Test
    void theOutputsFileAppearsOnlyWhenTheCellHasCompletedAndByRename(@TempDir Path dir) throws Exception {
        Path job = job(dir, """
                io.output("answer", 42);
                java.nio.file.Path go = java.nio.file.Path.of(System.getProperty("user.dir"), "go");
                java.nio.file.Files.writeString(java.nio.file.Path.of(System.getProperty("user.dir"), "waiting"), "");
                while (!java.nio.file.Files.exists(go)) {
                    Thread.sleep(10);
                }
                return CellIO.NO_VALUE;
                """);
        Path outputs = job.resolve(JobLayout.outputs(null));
        try (WatchService watcher = job.getFileSystem().newWatchService()) {
            job.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            Process process = startIn(job, job, null);
            awaitFile(job.resolve("waiting"), process);
            // io.output was called, but the cell has not completed: nothing may be there yet.
            assertFalse(Files.exists(outputs));
            Files.writeString(job.resolve("go"), "");
            Run run = finish(process, job.resolve(JobLayout.events(null)));
            assertEquals(0, run.code(), run.toString());
            assertEquals("{\"answer\":42}", Files.readString(outputs));

            List<String> changes = new ArrayList<>();
            for (WatchKey key = watcher.poll(10, TimeUnit.SECONDS); key != null; key = watcher.poll(200, TimeUnit.MILLISECONDS)) {
                for (WatchEvent<?> event : key.pollEvents()) {
                    changes.add(event.kind().name() + " " + event.context());
                }
                key.reset();
                if (changes.contains("ENTRY_CREATE " + JobLayout.outputs(null))) {
                    break;
                }
            }
            int temporary = indexOf(changes, "ENTRY_CREATE ." + JobLayout.outputs(null) + ".tmp-");
            int renamed = changes.indexOf("ENTRY_CREATE " + JobLayout.outputs(null));
            assertTrue(temporary >= 0 && renamed > temporary, "written under a temporary name, then renamed: " + changes);
            assertFalse(changes.contains("ENTRY_MODIFY " + JobLayout.outputs(null)), "never written in place: " + changes);
        }
    }

    private static int indexOf(List<String> changes, String prefix) {
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static void awaitFile(Path file, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!Files.exists(file) && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(file), "the cell did not start");
    }

    @Test
    void aTracebackPointsAtTheLinesTheUserWrote(@TempDir Path dir) throws Exception {
        // Compiled by the kernel's own compiler, so the jar carries its line table.
        var notebook = new org.hpckernel.translate.NotebookSnapshot(List.of(), List.of(new org.hpckernel.translate.NotebookSnapshot
                .Declaration(org.hpckernel.translate.NotebookSnapshot.Kind.METHOD, "check",
                        "int check(int x) {\n    if (x > 1) throw new IllegalStateException(\"too big: \" + x);\n    return x;\n}")),
                List.of());
        var compiled = new org.hpckernel.translate.CellCompiler(List.of()).compile(notebook,
                "int a = 1;\n// a comment\ncheck(a + 1);\n", List.of(), null);
        Path job = Files.createDirectories(dir.resolve("jobs").resolve("job"));
        Path jar = dir.resolve(JobLayout.CLASSES_DIR).resolve(JobLayout.cellJar(compiled.jarSha256()));
        Files.createDirectories(jar.getParent());
        Files.write(jar, compiled.jar());
        CompiledCells.program(job, compiled.mainClass(), jar, compiled.jarSha256());
        List<?> traceback = (List<?>) run(job).first("error").get("traceback");
        assertEquals("java.lang.IllegalStateException: too big: 2", traceback.get(0));
        assertEquals("\tat Notebook.check (declaration check, line 2)", traceback.get(1), traceback.toString());
        assertEquals("\tat Cell.run (cell, line 4)", traceback.get(2), "counted from the %%hpc line: " + traceback);
    }

    @Test
    void aFailingCellEndsWithAnErrorCode1AndWritesNoOutputs(@TempDir Path dir) throws Exception {
        Path job = job(dir, """
                io.output("partial", List.of(1, 2));
                System.out.println("before");
                int zero = io.arrayIndex() + 1;
                return new Point(1, 10 / zero).sum();
                """, POINT);
        Run run = run(job);
        assertEquals(1, run.code());
        assertEquals(List.of("start", "stream", "error", "exit"), run.types());
        assertEquals("before\n", run.stream("stdout"));
        Map<String, Object> error = run.first("error");
        assertEquals("java.lang.ArithmeticException", error.get("ename"));
        assertEquals("/ by zero", error.get("evalue"));
        List<?> traceback = (List<?>) error.get("traceback");
        assertEquals("java.lang.ArithmeticException: / by zero", traceback.get(0));
        assertTrue(traceback.get(1).toString().matches("\tat Cell\\.run \\(the cell, Cell\\.java line \\d+ as compiled\\)"),
                traceback.toString());
        assertEquals(2, traceback.size(), "no runner or reflection frames: " + traceback);
        assertEquals(1L, run.first("exit").get("code"));
        try (Stream<Path> files = Files.list(job)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().contains("outputs")).toList());
        }
    }

    @Test
    void anExceptionInNotebookCodeNamesTheNotebookClass(@TempDir Path dir) throws Exception {
        Path job = job(dir, "return Checks.positive(-1);", Map.of("Checks.java", """
                package nb;
                public class Checks {
                    public static int positive(int x) {
                        if (x <= 0) {
                            throw new NotPositive("got " + x);
                        }
                        return x;
                    }
                    public static class NotPositive extends RuntimeException {
                        NotPositive(String message) { super(message); }
                    }
                }
                """));
        Run run = run(job);
        assertEquals(1, run.code());
        Map<String, Object> error = run.first("error");
        assertEquals("Checks$NotPositive", error.get("ename"));
        List<?> traceback = (List<?>) error.get("traceback");
        assertTrue(traceback.get(1).toString().startsWith("\tat Checks.positive (notebook Checks, Checks.java line 5"),
                traceback.toString());
        assertTrue(traceback.get(2).toString().startsWith("\tat Cell.run (the cell"), traceback.toString());
    }

    @Test
    void aFailingStaticInitializerIsTheCellsError(@TempDir Path dir) throws Exception {
        Path job = Files.createDirectories(dir.resolve("jobs").resolve("job"));
        CompiledCells.ship(dir, job, Map.of("Cell.java", CompiledCells.cell("return LIMIT;")
                .replace("public class Cell implements CellProgram {",
                        "public class Cell implements CellProgram {\n    static final int LIMIT = 10 / Integer.parseInt(\"0\");")));
        Run run = run(job);
        assertEquals(1, run.code(), run.toString());
        assertEquals("java.lang.ArithmeticException", run.first("error").get("ename"));
        assertTrue(((List<?>) run.first("error").get("traceback")).get(1).toString().startsWith("\tat Cell.<clinit> (the cell"),
                run.toString());
    }

    @Test
    void anOutputThatCannotTravelFailsTheCell(@TempDir Path dir) throws Exception {
        Path job = job(dir, "io.output(\"worker\", new Thread(() -> {}));\nreturn 1;");
        Run run = run(job);
        assertEquals(1, run.code());
        Map<String, Object> error = run.first("error");
        assertEquals("org.hpckernel.values.NotShippableException", error.get("ename"));
        assertTrue(error.get("evalue").toString().startsWith("cannot ship `worker`: it is a java.lang.Thread"), error.toString());
        assertFalse(Files.exists(job.resolve(JobLayout.outputs(null))));
    }

    @Test
    void anInputThatDoesNotDecodeFailsTheCellNamingIt(@TempDir Path dir) throws Exception {
        Path job = job(dir, "return io.input(\"n\", new TypeCapture<Integer>() {}) + io.input(\"m\", new TypeCapture<Integer>() {});");
        Files.writeString(job.resolve(JobLayout.INPUTS), "{\"n\": \"seven\"}");
        Run run = run(job);
        assertEquals(1, run.code());
        assertEquals("org.hpckernel.values.MalformedValueException", run.first("error").get("ename"));
        assertTrue(run.first("error").get("evalue").toString().startsWith("cannot read `n` as java.lang.Integer: expected a"),
                run.toString());
        List<?> traceback = (List<?>) run.first("error").get("traceback");
        assertEquals(2, traceback.size(), traceback.toString());
        assertTrue(traceback.get(1).toString().startsWith("\tat Cell.run (the cell"), traceback.toString());

        Files.writeString(job.resolve(JobLayout.INPUTS), "{\"n\": 1}");
        Files.delete(job.resolve(JobLayout.events(null)));
        Run missing = run(job);
        assertTrue(missing.first("error").get("evalue").toString().contains("the job has no value for `m`"),
                missing.toString());

        Files.writeString(job.resolve(JobLayout.INPUTS), "{\"n\": 1");
        Files.delete(job.resolve(JobLayout.events(null)));
        Run truncated = run(job);
        assertEquals(2, truncated.code());
        assertTrue(truncated.stderr().contains(JobLayout.INPUTS), truncated.stderr());
    }

    @Test
    void arrayTasksGetTheirIndexAndWriteTheirOwnFiles(@TempDir Path dir) throws Exception {
        Path job = job(dir, "io.output(\"index\", io.arrayIndex());\nreturn io.arrayIndex();");
        Run run = finish(start(job, "3"), job.resolve("events.3.jsonl"));
        assertEquals(0, run.code(), run.stderr());
        assertEquals(Map.of("text/plain", "3"), run.first("result").get("data"));
        assertEquals("{\"index\":3}", Files.readString(job.resolve("outputs.3.json")));
        assertFalse(Files.exists(job.resolve("events.jsonl")));
        assertFalse(Files.exists(job.resolve("outputs.json")));

        Run single = finish(start(job, ""), job.resolve("events.jsonl"));
        assertEquals(0, single.code(), single.stderr());
        assertEquals(Map.of("text/plain", "-1"), single.first("result").get("data"));
        assertEquals("{\"index\":-1}", Files.readString(job.resolve("outputs.json")));
    }

    @Test
    void aForArrayOnASchedulerCountingFromOneSeesTheElementIndexAndKeepsTheTaskIdInFileNames(@TempDir Path dir)
            throws Exception {
        // Grid Engine runs a 3-element --for as tasks 1..3 with HPC_ARRAY_BASE=1: task 3 is element 2.
        Path job = job(dir, "io.output(\"index\", io.arrayIndex());\nreturn io.arrayIndex();");
        Run run = finish(startTask(job, "3", "1"), job.resolve("events.3.jsonl"));
        assertEquals(0, run.code(), run.stderr());
        assertEquals(Map.of("text/plain", "2"), run.first("result").get("data"));
        assertEquals("{\"index\":2}", Files.readString(job.resolve("outputs.3.json")));
        assertFalse(Files.exists(job.resolve("outputs.2.json")));

        Process bad = startTask(job, "0", "1");
        bad.getOutputStream().close();
        String stderr = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(RunnerMain.SETUP_FAILED, bad.waitFor());
        assertTrue(stderr.contains("HPC_ARRAY_BASE") && stderr.contains("\"1\""), stderr);
    }

    /** The runner as an array task: HPC_ARRAY_INDEX and HPC_ARRAY_BASE set. */
    static Process startTask(Path jobDir, String index, String base) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", nodeClasspath(),
                RunnerMain.class.getName(), jobDir.toString());
        builder.environment().put(RunnerMain.ARRAY_INDEX_ENV, index);
        builder.environment().put(RunnerMain.ARRAY_BASE_ENV, base);
        return builder.start();
    }

    @Test
    void theRunnerNeedsNeitherJShellNorACompiler(@TempDir Path dir) throws Exception {
        Path job = job(dir, "return io.input(\"p\", new TypeCapture<Point>() {}).sum();", POINT);
        Files.writeString(job.resolve(JobLayout.INPUTS), "{\"p\": {\"x\": 20, \"y\": 22}}");
        Path loaded = dir.resolve("classes.log");
        Run run = finish(start(job, null, "-Xlog:class+load=info:file=" + loaded), job.resolve(JobLayout.events(null)));
        assertEquals(0, run.code(), run.toString());
        assertEquals(Map.of("text/plain", "42"), run.first("result").get("data"));
        String log = Files.readString(loaded);
        assertTrue(log.contains("org.hpckernel.values.ValueCodec"), "the log lists the classes loaded");
        for (String forbidden : List.of("jdk.jshell", "org.hpckernel.eval.JavaEvaluator", "javax.tools", "com.sun.tools")) {
            assertFalse(log.contains(forbidden), forbidden + " was loaded");
        }
    }

    @Test
    void updatesCarryTheDisplayId(@TempDir Path dir) throws Exception {
        Run run = run(job(dir, "String id = display(\"one\");\nupdateDisplay(id, \"two\");\nSystem.out.print(id);\n"
                + "return CellIO.NO_VALUE;"));
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
    void readingInputFailsClearly(@TempDir Path dir) throws Exception {
        Run run = run(job(dir, "return readLine(\"name? \");"));
        assertEquals(1, run.code());
        String evalue = (String) run.first("error").get("evalue");
        assertTrue(evalue.contains(FileCellOutput.NO_INPUT), evalue);

        Run raw = run(job(dir.resolve("stdin"), "try {\n    System.in.read();\n} catch (java.io.IOException e) {\n"
                + "    System.out.println(e.getMessage());\n}\nreturn CellIO.NO_VALUE;"));
        assertEquals(0, raw.code(), raw.toString());
        assertTrue(raw.stream("stdout").contains(FileCellOutput.NO_INPUT), raw.toString());
    }

    @Test
    void outputIsInTheFileWhileTheCellStillRuns(@TempDir Path dir) throws Exception {
        Path job = job(dir, "System.out.println(\"first\");\nThread.sleep(2000);\nSystem.out.println(\"second\");\n"
                + "return CellIO.NO_VALUE;");
        Path file = job.resolve(JobLayout.events(null));
        Process process = start(job, null);
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
        Run run = run(job(dir, "var t = new Thread(() -> { for (int i = 0; i < 2000; i++) System.out.println(\"line \" + i); });\n"
                + "t.start();\nt.join();\nreturn CellIO.NO_VALUE;"));
        assertEquals(0, run.code(), run.stderr());
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            expected.append("line ").append(i).append('\n');
        }
        assertEquals(expected.toString(), run.stream("stdout"));
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
    void aMissingProgramIsASetupProblemReportedInTheEventsToo(@TempDir Path dir) throws Exception {
        Run run = run(dir);
        assertEquals(2, run.code());
        assertTrue(run.stderr().contains(JobLayout.PROGRAM), run.stderr());
        assertEquals(List.of("start", "error", "exit"), run.types());
        assertEquals("RunnerError", run.first("error").get("ename"));
        assertEquals(2L, run.first("exit").get("code"));
    }

    @Test
    void classesThatAreNotWhatTheKernelCompiledAreNotRun(@TempDir Path dir) throws Exception {
        Path job = job(dir, "System.out.println(\"must not run\");\nreturn 1;");
        Path jar;
        try (Stream<Path> jars = Files.list(dir.resolve(JobLayout.CLASSES_DIR))) {
            jar = jars.findFirst().orElseThrow();
        }
        CompiledCells.program(job, CompiledCells.MAIN_CLASS, jar, "0".repeat(64));
        Run run = run(job);
        assertEquals(2, run.code());
        assertTrue(run.stderr().contains("not what the kernel compiled"), run.stderr());
        assertEquals("", run.stream("stdout"));

        String sha = jar.getFileName().toString().replace("cell-", "").replace(".jar", "");
        CompiledCells.program(job, "nb.Missing", jar, sha);
        Run missingClass = run(job);
        assertEquals(2, missingClass.code());
        assertTrue(missingClass.stderr().contains("nb.Missing cannot be loaded"), missingClass.stderr());

        CompiledCells.program(job, CompiledCells.MAIN_CLASS, dir.resolve("gone.jar"), sha);
        Run gone = run(job);
        assertEquals(2, gone.code());
        assertTrue(gone.stderr().contains("not on this node"), gone.stderr());

        Files.writeString(job.resolve(JobLayout.PROGRAM), "{\"mainClass\": \"nb.Cell\"}");
        Run incomplete = run(job);
        assertEquals(2, incomplete.code());
        assertTrue(incomplete.stderr().contains("\"jar\" must be a non-empty string"), incomplete.stderr());
    }

    @Test
    void systemExitInTheCellKeepsTheOutputAndSaysWhatHappened(@TempDir Path dir) throws Exception {
        Run run = run(job(dir, "System.out.print(\"partial\");\nSystem.exit(5);\nreturn 1;"));
        assertEquals(5, run.code());
        assertEquals(List.of("start", "stream", "error"), run.types());
        assertEquals("partial", run.stream("stdout"));
        assertEquals("RunnerStopped", run.first("error").get("ename"));
    }

    @Test
    void aMissingClasspathEntryIsAWarningNotAFailure(@TempDir Path dir) throws Exception {
        Path job = job(dir, "return 1 + 1;");
        Files.writeString(job.resolve(JobLayout.CLASSPATH), "/no/such/lib.jar\n");
        Run run = run(job);
        assertEquals(0, run.code(), run.stderr());
        assertTrue(run.stream("stderr").contains("/no/such/lib.jar"), run.toString());
        assertEquals(Map.of("text/plain", "2"), run.first("result").get("data"));
    }
}
