package org.hpckernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hpckernel.hpc.ClusterSession;
import org.hpckernel.hpc.JobOutcome;
import org.hpckernel.hpc.NotebookValues;
import org.hpckernel.hpc.ReturnPlan;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.ledger.LedgerEntry;
import org.hpckernel.hpc.scheduler.JobState;
import org.hpckernel.hpc.scheduler.LocalScheduler;
import org.hpckernel.hpc.transport.LocalTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Binding a job's outputs in the notebook when it ends (a job directory on disk, a notebook that
 * records what it is asked to bind): a completed job binds every --out, a failed job binds
 * nothing and says so, an array binds its completed tasks with null where one failed and the cell
 * fails naming the failed indexes.
 */
class ReturnedValuesTest {
    @TempDir
    Path dir;
    final LocalTransport local = new LocalTransport();
    ClusterSession cluster;
    LedgerEntry entry;
    final List<List<String>> bound = new ArrayList<>();

    final NotebookValues notebook = new NotebookValues() {
        @Override
        public Set<String> names() {
            return Set.of();
        }

        @Override
        public Optional<String> typeOf(String name) {
            return Optional.empty();
        }

        @Override
        public Object valueOf(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void bind(String name, String type, String json) throws Failure {
            if (type.equals("Unknown")) throw new Failure("cannot find symbol: class Unknown");
            bound.add(List.of(name, type, json));
        }
    };

    @BeforeEach
    void setUp() {
        ClusterProfile.Monitoring m = new ClusterProfile.Monitoring(Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMillis(100), 1 << 20, Duration.ofMillis(200));
        cluster = new ClusterSession(new ClusterProfile("here", "local", dir.toString(), "java", List.of(), Map.of(), null, m),
                new LocalScheduler(1), local);
        entry = new LedgerEntry("42", "here", "k", dir.toString(), List.of(), "h", null, null, "s", true, List.of(0, 1, 2),
                "COMPLETED", 0, "t", "t", "hpc-k", dir + "/job.sh");
    }

    @AfterEach
    void close() {
        local.close();
    }

    private static JobOutcome outcome(JobState state, Integer exit, Map<Integer, Integer> tasks) {
        return new JobOutcome("42", state, exit, null, "n1", Duration.ofSeconds(1), null, null, tasks);
    }

    private static final ReturnPlan PLAIN = new ReturnPlan(false, List.of(new ReturnPlan.Output("a", "int"),
            new ReturnPlan.Output("names", "List<String>")), null);

    @Test
    void aCompletedJobBindsEveryOutputWithItsType() throws Exception {
        Files.writeString(dir.resolve("outputs.json"), "{\"a\": 1, \"names\": [\"x\", \"y\"]}");
        Files.writeString(dir.resolve("manifest.json"), "{\"key\": \"k\"}");
        assertNull(ReturnedValues.bind(notebook, cluster, entry, PLAIN, outcome(JobState.COMPLETED, 0, Map.of()), null));
        assertEquals(List.of(List.of("a", "int", "1"), List.of("names", "List<String>", "[\"x\", \"y\"]")), bound);
        com.google.gson.JsonObject manifest = com.google.gson.JsonParser.parseString(Files.readString(dir.resolve("manifest.json")))
                .getAsJsonObject();
        assertEquals("k", manifest.get("key").getAsString());
        com.google.gson.JsonObject names = manifest.getAsJsonArray("returned").get(1).getAsJsonObject();
        assertEquals("names", names.get("name").getAsString());
        assertEquals("List<String>", names.get("type").getAsString());
        assertEquals(10, names.get("bytes").getAsLong());
        assertEquals(org.hpckernel.hpc.EncodedValue.sha256("[\"x\", \"y\"]".getBytes()), names.get("sha256").getAsString());
    }

    @Test
    void aFailedJobBindsNothingAndItsErrorSaysSo() throws Exception {
        Files.writeString(dir.resolve("outputs.json"), "{\"a\": 1, \"names\": []}"); // an earlier run's: not trusted
        MagicException jobError = new MagicException("JobFailed", "job 42 on here ended FAILED with exit code 1.", List.of("JobFailed: x"));
        MagicException e = ReturnedValues.bind(notebook, cluster, entry, PLAIN, outcome(JobState.FAILED, 1, Map.of()), jobError);
        assertEquals(List.of(), bound);
        assertEquals("JobFailed", e.ename());
        assertEquals("job 42 on here ended FAILED with exit code 1. Nothing was bound: --out a, names come back only from a job"
                + " that completed.", e.getMessage());
        assertEquals(List.of("JobFailed: x", "Nothing was bound: --out a, names come back only from a job that completed."), e.traceback());
    }

    @Test
    void anArrayBindsItsCompletedTasksAndFailsNamingTheFailedIndexes() throws Exception {
        Files.writeString(dir.resolve("outputs.0.json"), "{\"r\": 0}");
        Files.writeString(dir.resolve("outputs.2.json"), "{\"r\": 4}");
        ReturnPlan plan = new ReturnPlan(false, List.of(new ReturnPlan.Output("r", "int")), List.of(0, 1, 2));
        MagicException jobError = new MagicException("JobFailed", "job 42 on here ended FAILED: failed array tasks: [1].",
                List.of("JobFailed: failed array tasks: [1]"));
        MagicException e = ReturnedValues.bind(notebook, cluster, entry, plan,
                outcome(JobState.FAILED, 1, Map.of(0, 0, 1, 1, 2, 0)), jobError);
        assertEquals(List.of(List.of("r", "List<Integer>", "[0,null,4]")), bound);
        assertEquals("JobFailed", e.ename());
        assertTrue(e.getMessage().endsWith("Array tasks [1] failed: r has null at their index; the other tasks' values were bound."),
                e.getMessage());
    }

    @Test
    void anArrayTaskThatCompletedWithoutItsFileFailsTheCellAfterBindingTheOthers() throws Exception {
        Files.writeString(dir.resolve("outputs.0.json"), "{\"r\": 0}");
        Files.writeString(dir.resolve("outputs.1.json"), "{\"r\": 1}");
        ReturnPlan plan = new ReturnPlan(false, List.of(new ReturnPlan.Output("r", "long")), List.of(0, 1, 2));
        MagicException e = ReturnedValues.bind(notebook, cluster, entry, plan, outcome(JobState.COMPLETED, 0, Map.of()), null);
        assertEquals(List.of(List.of("r", "List<Long>", "[0,1,null]")), bound);
        assertEquals("ArrayTasksFailed", e.ename());
        assertTrue(e.getMessage().startsWith("Array tasks [2] failed: r has null at their index"), e.getMessage());
        assertTrue(e.traceback().get(1).contains("task 2: the job completed but its output " + dir.resolve("outputs.2.json")
                + " is not there"), e.traceback().toString());
    }

    @Test
    void aValueTheNotebookCannotBindFailsTheCellNamingIt() throws Exception {
        Files.writeString(dir.resolve("outputs.json"), "{\"p\": {}}");
        ReturnPlan plan = new ReturnPlan(false, List.of(new ReturnPlan.Output("p", "Unknown")), null);
        MagicException e = ReturnedValues.bind(notebook, cluster, entry, plan, outcome(JobState.COMPLETED, 0, Map.of()), null);
        assertEquals("OutputNotBound", e.ename());
        assertEquals("--out p (Unknown) of job 42 cannot be bound: cannot find symbol: class Unknown; if the notebook lacks a type"
                + " it names, run the cells that declare it, then %hpc attach 42 binds the job's outputs again", e.getMessage());
    }
}
