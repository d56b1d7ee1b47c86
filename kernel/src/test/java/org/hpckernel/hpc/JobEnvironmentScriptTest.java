package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hpckernel.hpc.environment.ContainerRuntime;
import org.hpckernel.hpc.environment.EnvironmentScript;
import org.hpckernel.hpc.environment.JobEnvironment;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.LocalScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The container and Guix parts of job.sh, rendered and run by a real bash. Apptainer, Singularity
 * and Guix cannot be installed here: stand-ins on the PATH (test resources "standins/") accept only
 * the syntax their documentation gives, log their argv and run the command as the real tools would
 * (in a cleared environment for --cleanenv). What is under test is the command line job.sh builds
 * and what reaches the payload; Charliecloud and Lmod run for real in tests/hpc/test_software_environment.py.
 */
class JobEnvironmentScriptTest {
    @TempDir
    Path work;
    Path jobDir;
    Path bin;
    Path log;

    @BeforeEach
    void setUp() throws Exception {
        jobDir = Files.createDirectories(work.resolve("jobs/k1"));
        bin = Files.createDirectories(work.resolve("bin"));
        log = work.resolve("standin.log");
        for (String name : List.of("apptainer", "guix")) install(name, name);
        install("apptainer", "singularity");
    }

    private void install(String resource, String as) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/standins/" + resource)) {
            Files.write(bin.resolve(as), in.readAllBytes());
        }
        bin.resolve(as).toFile().setExecutable(true);
    }

    private JobSpec spec(JobEnvironment env, Map<String, String> vars) {
        return JobSpec.builder().jobName("hpc-test").cluster("dahu").jobDir(jobDir.toString()).time(Duration.ofMinutes(5))
                .env(vars).environment(env).build();
    }

    private Process runShebang(JobSpec spec, String payload) throws Exception {
        String script = BatchScript.render(new LocalScheduler(2), spec, work.toString(), List.of(), new BatchScript.ShebangPayload(), "t");
        Files.writeString(jobDir.resolve("payload"), payload);
        jobDir.resolve("payload").toFile().setExecutable(true);
        return run(script);
    }

    private Process run(String script) throws Exception {
        Files.writeString(jobDir.resolve("job.sh"), script);
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", jobDir.resolve("job.sh").toString());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("STANDIN_LOG", log.toString());
        pb.environment().put("LEAKED_FROM_SUBMIT", "host-only"); // what the scheduler exports into every job
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p;
    }

    private String file(String name) throws Exception {
        Path f = jobDir.resolve(name);
        return Files.exists(f) ? Files.readString(f) : "";
    }

    private JsonObject environmentJson() throws Exception {
        return JsonParser.parseString(file("environment.json")).getAsJsonObject();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static final String SHOW_ENV = "#!/bin/bash\necho \"in=$STANDIN_CONTAINER pwd=$PWD job=$HPC_JOB_DIR cluster=$HPC_CLUSTER"
            + " run=$HPC_JOB_RUN mine=$MINE leak=${LEAKED_FROM_SUBMIT:-none}\"\n";

    @ParameterizedTest
    @EnumSource(value = ContainerRuntime.class, names = {"APPTAINER", "SINGULARITY"})
    void apptainerAndSingularityRunThePayloadCleanlyWithTheDocumentedCommandLine(ContainerRuntime runtime) throws Exception {
        byte[] imageBytes = "a SIF image".getBytes(StandardCharsets.UTF_8);
        Path image = Files.write(work.resolve("app.sif"), imageBytes);
        Path extra = Files.createDirectories(work.resolve("data"));
        JobEnvironment env = new JobEnvironment(null,
                new JobEnvironment.Container(runtime, image.toString(), List.of(extra.toString(), "/tmp:/scratch"), true, null), null);
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("MINE", "it's $mine");
        Process p = runShebang(spec(env, vars), SHOW_ENV);
        assertEquals(0, p.exitValue(), file("stderr"));
        assertEquals("in=" + image + " pwd=" + jobDir + " job=" + jobDir + " cluster=dahu run=1 mine=it's $mine leak=none\n", file("stdout"));
        String cmd = runtime.command();
        List<String> calls = Files.readAllLines(log);
        assertEquals(cmd + " exec --cleanenv --pwd " + jobDir + " --bind " + work + " --bind " + extra + " --bind /tmp:/scratch --nv "
                + image + " " + jobDir + "/payload", calls.get(calls.size() - 1), String.join("\n", calls));
        JsonObject c = environmentJson().getAsJsonObject("container");
        assertEquals(cmd, c.get("runtime").getAsString());
        assertEquals(image.toString(), c.get("image").getAsString());
        assertEquals("sha256:" + sha256(imageBytes), c.get("digest").getAsString());
        assertEquals("image file", c.get("digestOf").getAsString());
        assertTrue(c.get("runtimeVersion").getAsString().contains("standin"), c.toString());
    }

    @Test
    void anImageTheRuntimePullsIsPassedAsGivenAndHasNoDigest() throws Exception {
        JobEnvironment env = new JobEnvironment(null,
                new JobEnvironment.Container(ContainerRuntime.APPTAINER, "docker://debian:12", List.of(), false, null), null);
        Process p = runShebang(spec(env, Map.of()), SHOW_ENV);
        assertEquals(0, p.exitValue(), file("stderr"));
        assertTrue(file("stdout").startsWith("in=docker://debian:12 "), file("stdout"));
        JsonObject c = environmentJson().getAsJsonObject("container");
        assertEquals("docker://debian:12", c.get("image").getAsString());
        assertEquals("", c.get("digest").getAsString());
    }

    @Test
    void aJavaCellRunsTheImagesJavaInsideTheContainerWithoutTheHostsClassDataArchive() throws Exception {
        Path image = Files.write(work.resolve("app.sif"), new byte[] {1});
        // The "java inside the image": a script that says where it ran and what it was given.
        Path java = work.resolve("image-java");
        Files.writeString(java, "#!/bin/bash\necho \"java in=$STANDIN_CONTAINER args=$*\"\n");
        java.toFile().setExecutable(true);
        byte[] jar = "runner".getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(work.resolve("runner"));
        Files.write(work.resolve("runner/r.jar"), jar);
        byte[] cell = "cell".getBytes(StandardCharsets.UTF_8);
        Files.write(work.resolve("runner/c.jar"), cell);
        JobEnvironment env = new JobEnvironment(null,
                new JobEnvironment.Container(ContainerRuntime.APPTAINER, image.toString(), List.of(), false, java.toString()), null);
        String script = BatchScript.render(new LocalScheduler(2), spec(env, Map.of()), work.toString(), List.of(),
                new BatchScript.JavaPayload("/host/jdk/bin/java", BatchScript.RUNNER_JVM_OPTIONS, work + "/runner/r.jar", sha256(jar),
                        work + "/runner/c.jar", sha256(cell)), "t");
        assertFalse(script.contains("/host/jdk/bin/java"), script);
        Process p = run(script);
        assertEquals(0, p.exitValue(), file("stderr"));
        String out = file("stdout");
        assertTrue(out.startsWith("java in=" + image + " args=-Djava.awt.headless=true -Dfile.encoding=UTF-8 -jar " + work
                + "/runner/r.jar " + jobDir), out);
        assertFalse(out.contains("SharedArchive") || out.contains("ArchiveClassesAtExit"), out);
        // One JVM per job: the runner reports its own version into the record (RunnerMainTest), job.sh starts no `java -version`.
        assertEquals(1, out.lines().filter(l -> l.startsWith("java in=")).count(), out);
        JsonObject j = environmentJson().getAsJsonObject("java");
        assertEquals(java.toString(), j.get("command").getAsString());
        assertFalse(j.has("version"), j.toString());
    }

    @Test
    void aMissingImageOrRuntimeFailsTheJobBeforeThePayloadNamingIt() throws Exception {
        JobEnvironment missing = new JobEnvironment(null,
                new JobEnvironment.Container(ContainerRuntime.APPTAINER, work + "/nope.sif", List.of(), false, null), null);
        Process p = runShebang(spec(missing, Map.of()), "#!/bin/bash\necho payload-ran\n");
        assertEquals(EnvironmentScript.SETUP_FAILED, p.exitValue());
        assertTrue(file("stderr").contains("--container: the image " + work + "/nope.sif does not exist on"), file("stderr"));
        assertFalse(file("stdout").contains("payload-ran"));
        assertTrue(file("exit").startsWith(EnvironmentScript.SETUP_FAILED + " "), file("exit"));

        Files.delete(bin.resolve("singularity"));
        Path image = Files.write(work.resolve("app.sif"), new byte[] {1});
        JobEnvironment noRuntime = new JobEnvironment(null,
                new JobEnvironment.Container(ContainerRuntime.SINGULARITY, image.toString(), List.of(), false, null), null);
        p = runShebang(spec(noRuntime, Map.of()), "#!/bin/bash\necho payload-ran\n");
        assertEquals(EnvironmentScript.SETUP_FAILED, p.exitValue());
        assertTrue(file("stderr").contains("--container: singularity is not on the PATH of"), file("stderr"));
        assertFalse(file("stdout").contains("payload-ran"));
    }

    @Test
    void guixShellRunsThePayloadAndItsDescribeIsRecorded() throws Exception {
        Path manifest = Files.writeString(work.resolve("manifest.scm"), "(specifications->manifest '(\"hello\"))\n");
        Process p = runShebang(spec(new JobEnvironment(null, null, new JobEnvironment.Guix(manifest.toString(), null)), Map.of()),
                "#!/bin/bash\necho \"guix=$GUIX_ENVIRONMENT manifest=$STANDIN_MANIFEST job=$HPC_JOB_DIR\"\n");
        assertEquals(0, p.exitValue(), file("stderr"));
        assertEquals("guix=/gnu/store/standin-profile manifest=" + manifest + " job=" + jobDir + "\n", file("stdout"));
        List<String> calls = Files.readAllLines(log);
        assertTrue(calls.contains("guix describe"), calls.toString());
        assertEquals("guix shell -m " + manifest + " -- " + jobDir + "/payload", calls.get(calls.size() - 1));
        JsonObject g = environmentJson().getAsJsonObject("guix");
        assertEquals(manifest.toString(), g.get("manifest").getAsString());
        assertTrue(g.get("describe").getAsString().contains("commit: 0123abcdef"), g.toString());
    }

    @Test
    void guixTimeMachinePinsTheChannelsForThePayloadAndTheRecord() throws Exception {
        Path manifest = Files.writeString(work.resolve("manifest.scm"), "()\n");
        Path channels = Files.writeString(work.resolve("channels.scm"), "()\n");
        Process p = runShebang(spec(new JobEnvironment(null, null,
                new JobEnvironment.Guix(manifest.toString(), channels.toString())), Map.of()), "#!/bin/bash\necho \"guix=$GUIX_ENVIRONMENT\"\n");
        assertEquals(0, p.exitValue(), file("stderr"));
        assertEquals("guix=/gnu/store/standin-profile\n", file("stdout"));
        List<String> calls = Files.readAllLines(log);
        assertTrue(calls.contains("guix time-machine -C " + channels + " -- describe"), calls.toString());
        assertTrue(calls.contains("guix time-machine -C " + channels + " -- shell -m " + manifest + " -- " + jobDir + "/payload"),
                calls.toString());
        assertEquals(channels.toString(), environmentJson().getAsJsonObject("guix").get("channels").getAsString());
    }

    @Test
    void withoutEnvironmentOptionsTheRecordHasTheHostAndNoWrapperIsUsed() throws Exception {
        Process p = runShebang(spec(JobEnvironment.NONE, Map.of()), SHOW_ENV);
        assertEquals(0, p.exitValue(), file("stderr"));
        assertTrue(file("stdout").contains("leak=host-only"), file("stdout")); // no container: the job's environment as before
        JsonObject e = environmentJson();
        assertEquals(java.net.InetAddress.getLocalHost().getHostName().split("\\.")[0],
                e.get("hostname").getAsString().split("\\.")[0]);
        assertEquals("1", e.get("run").getAsString());
        assertFalse(e.has("container") || e.has("guix") || e.has("java"), e.toString());
        assertFalse(Files.exists(log), "no stand-in was called");
    }

    @Test
    void recordedTextIsValidJsonWhateverTheModulesAndHostSay() throws Exception {
        // A site's setup lines can leave anything in LOADEDMODULES; the record stays parseable.
        String script = BatchScript.render(new LocalScheduler(2), spec(JobEnvironment.NONE, Map.of()), work.toString(),
                List.of("export LOADEDMODULES='a/1:we\"ird\\\\x:tab\there'"), new BatchScript.ShebangPayload(), "t");
        Files.writeString(jobDir.resolve("payload"), "#!/bin/bash\ntrue\n");
        jobDir.resolve("payload").toFile().setExecutable(true);
        Process p = run(script);
        assertEquals(0, p.exitValue(), file("stderr"));
        var modules = environmentJson().getAsJsonArray("modules");
        assertEquals(List.of("a/1", "we\"ird\\\\x", "tab\there"), modules.asList().stream().map(m -> m.getAsString()).toList());
    }
}
