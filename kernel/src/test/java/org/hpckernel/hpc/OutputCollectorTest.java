package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.transport.LocalTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading what a job returned from its real job directory: the runner's outputs[.I].json, a
 * script's $HPC_OUTPUTS files, arrays in task order with null for failed tasks, the cap, and the
 * shared file system's lag (the "pause" makes the file appear, as the lagging file system would).
 */
class OutputCollectorTest {
    @TempDir
    Path dir;
    final LocalTransport local = new LocalTransport();
    final List<Duration> pauses = new ArrayList<>();

    @AfterEach
    void close() {
        local.close();
    }

    private OutputCollector collector(long cap, Duration lag, Runnable onPause) {
        return new OutputCollector(local, dir.toString(), cap, lag, d -> {
            pauses.add(d);
            onPause.run();
        });
    }

    private OutputCollector collector() {
        return collector(1 << 20, Duration.ofSeconds(5), () -> { });
    }

    private static ReturnPlan java(List<Integer> tasks, String... namesAndTypes) {
        List<ReturnPlan.Output> outs = new ArrayList<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) outs.add(new ReturnPlan.Output(namesAndTypes[i], namesAndTypes[i + 1]));
        return new ReturnPlan(false, outs, tasks);
    }

    @Test
    void aJavaCellsOutputsAreBoundWithTheirDeclaredTypes() throws Exception {
        Files.writeString(dir.resolve("outputs.json"), "{\"n\": 3, \"best\": {\"x\": 1.5, \"y\": -2}, \"names\": [\"a\", null]}");
        OutputCollector.Collected c = collector().collect(java(null, "n", "int", "best", "Point", "names", "List<String>"), t -> true);
        // Each value as the runner wrote it (the session decodes it once, as its declared type).
        assertEquals(List.of(new OutputCollector.Binding("n", "int", "3"),
                new OutputCollector.Binding("best", "Point", "{\"x\": 1.5, \"y\": -2}"),
                new OutputCollector.Binding("names", "List<String>", "[\"a\", null]")), c.bindings());
        assertEquals(List.of(), c.failedTasks());
        assertEquals(List.of(), pauses, "the file was there: no waiting");
    }

    @Test
    void aFailedPlainJobIsNotEvenRead() throws Exception {
        OutputCollector.Collected c = collector().collect(java(null, "n", "int"), t -> false);
        assertEquals(List.of(), c.bindings());
    }

    @Test
    void anArrayGivesAListInTaskOrderWithNullWhereATaskFailed() throws Exception {
        Files.writeString(dir.resolve("outputs.3.json"), "{\"r\": 9}");
        Files.writeString(dir.resolve("outputs.1.json"), "{\"r\": 1}");
        Files.writeString(dir.resolve("outputs.2.json"), "{\"r\": 666}"); // a failed task's leftover is not trusted
        OutputCollector.Collected c = collector().collect(java(List.of(1, 2, 3), "r", "int"), t -> t != 2);
        assertEquals(List.of(new OutputCollector.Binding("r", "List<Integer>", "[1,null,9]")), c.bindings());
        assertEquals(List.of(2), c.failedTasks());
    }

    @Test
    void anArraysValuesInBinaryFormAreGatheredInTaskOrderWithNullWhereATaskFailed() throws Exception {
        Files.writeString(dir.resolve("outputs.0.json"), "{\"n\": 0, \"@serialized\": {\"b\": \"rO0ABQ==\"}}");
        Files.writeString(dir.resolve("outputs.2.json"), "{\"n\": 2, \"@serialized\": {\"b\": \"rO0ABg==\"}}");
        Files.writeString(dir.resolve("outputs.3.json"), "{\"n\": 3, \"b\": null}"); // a task may return null, as JSON: null at its index too
        OutputCollector.Collected c = collector().collect(java(List.of(0, 1, 2, 3), "n", "int", "b", "BitSet"), t -> t != 1);
        assertEquals(List.of(new OutputCollector.Binding("n", "List<Integer>", "[0,null,2,3]"),
                new OutputCollector.Binding("b", "List<BitSet>",
                        "java-serialized-list:[\"java-serialized:rO0ABQ==\",null,\"java-serialized:rO0ABg==\",null]")), c.bindings());
        assertEquals(List.of(1), c.failedTasks());
    }

    @Test
    void anArraysValueInBinaryFormAndAsJsonAtOnceIsRefused() throws Exception {
        Files.writeString(dir.resolve("outputs.0.json"), "{\"b\": 1, \"@serialized\": {\"b\": \"rO0ABQ==\"}}");
        Files.writeString(dir.resolve("outputs.1.json"), "{\"@serialized\": {\"b\": 7}}");
        Files.writeString(dir.resolve("outputs.2.json"), "{\"@serialized\": {\"b\": \"rO0ABQ==\"}}");
        OutputCollector.Collected c = collector().collect(java(List.of(0, 1, 2), "b", "Object"), t -> true);
        assertEquals(List.of(0, 1), c.failedTasks());
        assertTrue(c.problems().get(0).startsWith("task 0: ") && c.problems().get(0).contains("holds --out b twice"), c.problems().toString());
        assertTrue(c.problems().get(1).contains("is not an object of base64 strings by name"), c.problems().toString());
        assertEquals(List.of(new OutputCollector.Binding("b", "List<Object>", "java-serialized-list:[null,null,\"java-serialized:rO0ABQ==\"]")),
                c.bindings());
    }

    @Test
    void anArrayWhereEveryTaskFailedBindsNothing() throws Exception {
        OutputCollector.Collected c = collector().collect(java(List.of(0, 1), "r", "double"), t -> false);
        assertEquals(List.of(), c.bindings());
        assertEquals(List.of(0, 1), c.failedTasks());
    }

    @Test
    void aFileTheSharedFileSystemShowsLateIsWaitedFor() throws Exception {
        Path out = dir.resolve("outputs.json");
        OutputCollector.Collected c = collector(1 << 20, Duration.ofSeconds(5), () -> {
            if (pauses.size() == 3) write(out, "{\"n\": 7}");
        }).collect(java(null, "n", "long"), t -> true);
        assertEquals("7", c.bindings().get(0).json());
        assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200)), pauses, "growing pauses");
    }

    @Test
    void aFileThatNeverComesFailsAfterTheLagWithBoundedLooks() {
        ValueRefusal e = assertThrows(ValueRefusal.class,
                () -> collector(1 << 20, Duration.ofSeconds(3), () -> { }).collect(java(null, "n", "int"), t -> true));
        assertEquals("OutputMissing", e.name());
        assertTrue(e.getMessage().contains(dir.resolve("outputs.json") + " is not there (looked for 3000 ms"), e.getMessage());
        assertEquals(Duration.ofSeconds(3), pauses.stream().reduce(Duration.ZERO, Duration::plus), "waits exactly the lag");
        assertTrue(pauses.stream().allMatch(d -> d.compareTo(OutputCollector.MAX_PAUSE) <= 0), pauses.toString());
    }

    @Test
    void outputsAboveTheCapAreNotReadAndTheFileIsNamed() throws Exception {
        Files.writeString(dir.resolve("outputs.json"), "{\"s\": \"" + "x".repeat(2000) + "\"}");
        ValueRefusal e = assertThrows(ValueRefusal.class, () -> collector(1000, Duration.ofSeconds(1), () -> { })
                .collect(java(null, "s", "String"), t -> true));
        assertEquals("OutputTooLarge", e.name());
        assertTrue(e.getMessage().startsWith("the job's output " + dir.resolve("outputs.json") + " is 2.0 KiB (2009 bytes), above"
                + " what is left of the outputs' cap (1000 bytes): nothing was bound. The file is kept there"), e.getMessage());
    }

    @Test
    void theCapCountsEveryTaskTogether() throws Exception {
        for (int t = 0; t < 3; t++) Files.writeString(dir.resolve("outputs." + t + ".json"), "{\"s\": \"" + "x".repeat(400) + "\"}");
        ValueRefusal e = assertThrows(ValueRefusal.class, () -> collector(1000, Duration.ofSeconds(1), () -> { })
                .collect(java(List.of(0, 1, 2), "s", "String"), t -> true));
        assertTrue(e.getMessage().contains("outputs.2.json"), e.getMessage());
    }

    @Test
    void malformedOrIncompleteOutputsAreRefused() throws Exception {
        Files.writeString(dir.resolve("outputs.json"), "{\"n\": ");
        assertEquals("OutputMalformed", assertThrows(ValueRefusal.class,
                () -> collector().collect(java(null, "n", "int"), t -> true)).name());
        Files.writeString(dir.resolve("outputs.json"), "{\"m\": 1}");
        ValueRefusal e = assertThrows(ValueRefusal.class, () -> collector().collect(java(null, "n", "int"), t -> true));
        assertEquals("OutputMissing", e.name());
        assertTrue(e.getMessage().endsWith("has no value for --out n"), e.getMessage());
        Files.writeString(dir.resolve("outputs.json"), "[1]");
        assertEquals("OutputMalformed", assertThrows(ValueRefusal.class,
                () -> collector().collect(java(null, "n", "int"), t -> true)).name());
    }

    @Test
    void aScriptsOutputsTakeTheirTypeFromTheirJsonUnlessOneIsAsked() throws Exception {
        Files.createDirectories(dir.resolve("outputs"));
        Map<String, String> files = Map.of("d", "2.5", "s", "\"hi\"", "b", "true", "l", "[1, \"a\"]", "m", "{\"k\": [1]}",
                "z", "null", "typed", "[1, 2]");
        for (var f : files.entrySet()) Files.writeString(dir.resolve("outputs/" + f.getKey() + ".json"), f.getValue());
        ReturnPlan plan = new ReturnPlan(true, List.of(new ReturnPlan.Output("d", null), new ReturnPlan.Output("s", null),
                new ReturnPlan.Output("b", null), new ReturnPlan.Output("l", null), new ReturnPlan.Output("m", null),
                new ReturnPlan.Output("z", null), new ReturnPlan.Output("typed", "List<Double>")), null);
        List<String> types = collector().collect(plan, t -> true).bindings().stream().map(OutputCollector.Binding::type).toList();
        assertEquals(List.of("double", "String", "boolean", "List<Object>", "Map<String, Object>", "Object", "List<Double>"), types);
    }

    @Test
    void aScriptArrayReadsEachTasksOwnDirectory() throws Exception {
        for (int t : List.of(0, 2)) {
            Files.createDirectories(dir.resolve("outputs." + t));
            Files.writeString(dir.resolve("outputs." + t + "/r.json"), String.valueOf(t * 10));
        }
        ReturnPlan plan = new ReturnPlan(true, List.of(new ReturnPlan.Output("r", null)), List.of(0, 1, 2));
        OutputCollector.Collected c = collector().collect(plan, t -> t != 1);
        assertEquals(List.of(new OutputCollector.Binding("r", "List<Double>", "[0,null,20]")), c.bindings());
        assertEquals(List.of(1), c.failedTasks());
    }

    @Test
    void theReturnPlanSurvivesTheManifest() {
        ReturnPlan plan = new ReturnPlan(true, List.of(new ReturnPlan.Output("a", "List<Double>"), new ReturnPlan.Output("b", null)),
                List.of(0, 1));
        com.google.gson.JsonObject manifest = new com.google.gson.JsonObject();
        manifest.add("returns", plan.toJson());
        assertEquals(plan, ReturnPlan.fromManifest(manifest));
        com.google.gson.JsonObject hostile = com.google.gson.JsonParser.parseString(
                "{\"returns\": {\"kind\": \"java\", \"outputs\": [{\"name\": \"x\", \"type\": \"int; System.exit(1)\"}]}}").getAsJsonObject();
        assertThrows(IllegalArgumentException.class, () -> ReturnPlan.fromManifest(hostile));
        assertTrue(ReturnPlan.fromManifest(new com.google.gson.JsonObject()).isEmpty(), "a manifest from before issue 11");
    }

    private static void write(Path p, String s) {
        try {
            Files.writeString(p, s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
