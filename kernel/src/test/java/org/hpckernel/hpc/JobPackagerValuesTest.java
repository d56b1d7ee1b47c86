package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.LocalScheduler;
import org.hpckernel.hpc.transport.LocalTransport;
import org.hpckernel.translate.CompiledCell;
import org.hpckernel.translate.NotebookSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job directory of a cell with values, written by the real local transport: the compiled
 * classes content-addressed in the work directory (uploaded once), program.json and inputs.json
 * for the runner, a script's --in files, and a manifest naming every value with its size and hash.
 */
class JobPackagerValuesTest {
    @TempDir
    Path work;
    final LocalTransport local = new LocalTransport();
    ClusterProfile profile;

    @BeforeEach
    void setUp() {
        profile = new ClusterProfile("here", "local", work.toString(), "java", List.of(), Map.of(), null,
                ClusterProfile.Monitoring.defaults());
    }

    @AfterEach
    void close() {
        local.close();
    }

    private static final byte[] JAR = "compiled classes".getBytes(StandardCharsets.UTF_8);
    private static final String JAR_SHA = EncodedValue.sha256(JAR);

    private static CompiledCell compiled() {
        return new CompiledCell("hpc.cell.Cell_1", JAR, JAR_SHA, List.of(new NotebookSnapshot.Variable("p", "Point"),
                new NotebookSnapshot.Variable("n", "int")), List.of(new NotebookSnapshot.Variable("best", "Point")),
                Map.of("Cell_1.java", "class Cell_1 {}"));
    }

    private JobPackage write(CellPayload payload, CellValues values, String key) throws Exception {
        String dir = JobPackager.jobDir(work.toString(), key);
        JobSpec spec = JobSpec.builder().jobName("hpc-t").cluster("here").jobDir(dir).build();
        JobPackager.Request request = new JobPackager.Request(profile, new LocalScheduler(1), payload, "%%hpc --out best\n...",
                List.of("--out", "best"), List.of("/lib/a.jar"), "hash", Map.of(), values);
        return JobPackager.write(local, request, spec, key);
    }

    @Test
    void aJavaCellShipsItsClassesProgramAndInputs() throws Exception {
        List<EncodedValue> inputs = List.of(new EncodedValue("p", "Point", "{\"x\":1,\"y\":2}"), new EncodedValue("n", "int", "42"));
        CellValues values = new CellValues(compiled(), inputs, new ReturnPlan(false, List.of(new ReturnPlan.Output("best", "Point")), null));
        JobPackage job = write(CellPayload.of("var best = p;\n"), values, "k1");
        Path dir = Path.of(job.jobDir());
        Path jar = work.resolve("classes/cell-" + JAR_SHA + ".jar");
        assertTrue(Files.exists(jar));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("classes"))));

        JsonObject program = JsonParser.parseString(Files.readString(dir.resolve("program.json"))).getAsJsonObject();
        assertEquals("hpc.cell.Cell_1", program.get("mainClass").getAsString());
        assertEquals(jar.toString(), program.get("jar").getAsString());
        assertEquals(JAR_SHA, program.get("jarSha256").getAsString());
        assertEquals("{\"p\":{\"x\":1,\"y\":2},\"n\":42}", Files.readString(dir.resolve("inputs.json")));
        assertFalse(Files.exists(dir.resolve("cell.jsh")), "the node runs the compiled classes, not JShell");
        assertFalse(Files.exists(dir.resolve("declarations.jsh")));
        assertTrue(job.script().contains("hpc_cell_jar=" + jar), job.script());
        assertTrue(job.script().contains(JAR_SHA), "job.sh checks the classes' hash");

        JsonObject manifest = JsonParser.parseString(Files.readString(dir.resolve("manifest.json"))).getAsJsonObject();
        JsonArray shipped = manifest.getAsJsonArray("inputs");
        assertEquals(2, shipped.size());
        JsonObject p = shipped.get(0).getAsJsonObject();
        assertEquals("p", p.get("name").getAsString());
        assertEquals("Point", p.get("type").getAsString());
        assertEquals(13, p.get("bytes").getAsLong());
        assertEquals(EncodedValue.sha256("{\"x\":1,\"y\":2}".getBytes(StandardCharsets.UTF_8)), p.get("sha256").getAsString());
        assertEquals(values.returns(), ReturnPlan.fromManifest(manifest));
        assertEquals("class Cell_1 {}", manifest.getAsJsonObject("sources").get("Cell_1.java").getAsString());
        assertFalse(manifest.has("declarations"));
    }

    @Test
    void programJsonCarriesTheBinaryValueLimitsOfTheCellsCaps() throws Exception {
        ReturnPlan none = new ReturnPlan(false, List.of(), null);
        JsonObject defaults = program(write(CellPayload.of("int x = 1;\n"), new CellValues(compiled(), List.of(), none), "k4"));
        assertEquals(64L << 20, defaults.get("maxInputBytes").getAsLong(), "a 1 MiB input cap leaves the default stream limit");
        assertEquals(64L << 20, defaults.get("maxOutputBytes").getAsLong());

        profile = new ClusterProfile("here", "local", work.toString(), "java", List.of(), Map.of(), null,
                ClusterProfile.Monitoring.defaults(), org.hpckernel.hpc.scheduler.SchedulerSettings.none(),
                org.hpckernel.hpc.environment.ProfileEnvironment.NONE, new org.hpckernel.hpc.config.ValueCaps(1L << 20, 300L << 20));
        JsonObject raised = program(write(CellPayload.of("int x = 1;\n"), new CellValues(compiled(), List.of(), none, 100L << 20), "k5"));
        assertEquals(100L << 20, raised.get("maxInputBytes").getAsLong(), "--max-input raises the input stream limit");
        assertEquals(300L << 20, raised.get("maxOutputBytes").getAsLong(), "maxOutputBytes raises the output stream limit");
    }

    private static JsonObject program(JobPackage job) throws Exception {
        return JsonParser.parseString(Files.readString(Path.of(job.jobDir()).resolve("program.json"))).getAsJsonObject();
    }

    @Test
    void theClassesAreUploadedOnlyWhenMissingOrWrong() throws Exception {
        CellValues values = new CellValues(compiled(), List.of(), new ReturnPlan(false, List.of(), null));
        write(CellPayload.of("1;\n"), values, "k1");
        Path jar = work.resolve("classes/cell-" + JAR_SHA + ".jar");
        java.nio.file.attribute.FileTime first = Files.getLastModifiedTime(jar);
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(first.toMillis() - 60_000));
        write(CellPayload.of("1;\n"), values, "k2");
        assertEquals(first.toMillis() - 60_000, Files.getLastModifiedTime(jar).toMillis(), "same name, same size: left in place");
        Files.writeString(jar, "truncated");
        write(CellPayload.of("1;\n"), values, "k3");
        assertEquals("compiled classes", Files.readString(jar), "a wrong one of the user's is replaced");
    }

    @Test
    void aScriptsInputsAreFilesInItsInputsDirectory() throws Exception {
        CellValues values = new CellValues(null, List.of(new EncodedValue("xs", "List<Double>", "[1.0,2.5]")),
                new ReturnPlan(true, List.of(new ReturnPlan.Output("total", "double")), null));
        JobPackage job = write(CellPayload.of("#!/usr/bin/env python3\nprint(1)\n"), values, "k1");
        Path dir = Path.of(job.jobDir());
        assertEquals("[1.0,2.5]", Files.readString(dir.resolve("inputs/xs.json")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("inputs"))));
        assertFalse(Files.exists(dir.resolve("program.json")));
        assertFalse(Files.exists(work.resolve("classes").resolve("cell-" + JAR_SHA + ".jar")));
        assertTrue(job.script().contains("export HPC_INPUTS=\"$HPC_JOB_DIR/inputs\""), job.script());
        assertTrue(job.script().contains("export HPC_OUTPUTS=\"$HPC_JOB_DIR/outputs$hpc_suffix\""), job.script());
        JsonObject manifest = JsonParser.parseString(Files.readString(dir.resolve("manifest.json"))).getAsJsonObject();
        assertEquals("xs", manifest.getAsJsonArray("inputs").get(0).getAsJsonObject().get("name").getAsString());
        assertEquals(values.returns(), ReturnPlan.fromManifest(manifest));
    }
}
