package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hpckernel.hpc.environment.EnvironmentScript;
import org.hpckernel.hpc.environment.JobEnvironment;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.LocalScheduler;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --module against a real Lmod (Debian's lmod, installed by scripts/setup.sh under CI), in the
 * shell a batch job gets: bash without a login, so without the {@code module} function until
 * job.sh initialises it. The module files are written here. Missing Lmod skips, except under CI.
 */
class JobModulesTest {
    @TempDir
    Path work;
    Path jobDir;
    Path modules;

    @BeforeEach
    void setUp() throws Exception {
        if (!Files.isRegularFile(Path.of("/usr/share/lmod/lmod/init/bash"))) {
            if ("true".equals(System.getenv("CI"))) fail("Lmod is not installed (CI must have it: scripts/setup.sh installs lmod)");
            Assumptions.abort("Lmod is not installed (apt-get install lmod)");
        }
        jobDir = Files.createDirectories(work.resolve("jobs/k1"));
        modules = Files.createDirectories(work.resolve("modulefiles/demo"));
        Files.writeString(modules.resolve("1.0.lua"), "setenv(\"DEMO_HOME\", \"/opt/demo-1.0\")\nprepend_path(\"PATH\", \"/opt/demo-1.0/bin\")\n");
        Files.writeString(modules.resolve("2.0.lua"), "setenv(\"DEMO_HOME\", \"/opt/demo-2.0\")\n");
        Files.writeString(modules.resolve("broken.lua"), "LmodError(\"demo/broken needs a licence server\")\n");
        Files.writeString(jobDir.resolve("payload"), "#!/bin/bash\necho \"payload ran DEMO_HOME=$DEMO_HOME\"\n");
        jobDir.resolve("payload").toFile().setExecutable(true);
    }

    /** Runs job.sh as a scheduler would: plain bash, no login files, no module function inherited. */
    private Process run(List<String> mods, String moduleInit) throws Exception {
        JobSpec spec = JobSpec.builder().jobName("hpc-test").cluster("dahu").jobDir(jobDir.toString()).time(Duration.ofMinutes(5))
                .modules(mods).environment(new JobEnvironment(moduleInit, null, null)).build();
        String script = BatchScript.render(new LocalScheduler(2), spec, work.toString(),
                List.of("export MODULEPATH=" + work.resolve("modulefiles")), new BatchScript.ShebangPayload(), "t");
        Files.writeString(jobDir.resolve("job.sh"), script);
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/env", "-i", "PATH=/usr/bin:/bin", "HOME=" + work, "USER=" + System.getProperty("user.name"),
                "/bin/bash", jobDir.resolve("job.sh").toString());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p;
    }

    private String file(String name) throws Exception {
        Path f = jobDir.resolve(name);
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Test
    void modulesLoadInANonLoginBatchShellAndAreRecorded() throws Exception {
        Process p = run(List.of("demo/1.0"), null);
        assertEquals(0, p.exitValue(), file("stderr"));
        assertEquals("payload ran DEMO_HOME=/opt/demo-1.0\n", file("stdout"));
        var json = JsonParser.parseString(file("environment.json")).getAsJsonObject();
        assertEquals("[\"demo/1.0\"]", json.get("modules").toString());
    }

    @Test
    void aModuleNamedWithoutVersionLoadsItsDefault() throws Exception {
        Process p = run(List.of("demo"), null);
        assertEquals(0, p.exitValue(), file("stderr"));
        assertEquals("payload ran DEMO_HOME=/opt/demo-2.0\n", file("stdout"));
    }

    @Test
    void anUnknownModuleFailsTheJobBeforeThePayloadWithLmodsMessage() throws Exception {
        Process p = run(List.of("demo/1.0", "nosuch/9"), null);
        assertEquals(EnvironmentScript.SETUP_FAILED, p.exitValue());
        String err = file("stderr");
        assertTrue(err.matches("(?s).*Lmod has detected the following error: The following module\\(s\\) are unknown:\\s+\"nosuch/9\".*"), err);
        assertTrue(err.contains("hpc-kernel: module load nosuch/9 failed (the module system's message is above); the payload was not run"), err);
        assertFalse(file("stdout").contains("payload ran"), file("stdout"));
        assertFalse(Files.exists(jobDir.resolve("environment.json")), "the record is written only once the environment is set up");
        assertTrue(file("exit").startsWith(EnvironmentScript.SETUP_FAILED + " "), file("exit"));
    }

    @Test
    void aModuleThatRaisesAnErrorFailsTheJobWithItsText() throws Exception {
        Process p = run(List.of("demo/broken"), null);
        assertEquals(EnvironmentScript.SETUP_FAILED, p.exitValue());
        assertTrue(file("stderr").contains("demo/broken needs a licence server"), file("stderr"));
        assertFalse(file("stdout").contains("payload ran"));
    }

    @Test
    void theProfilesInitScriptIsUsedAndAMissingOneIsNamed() throws Exception {
        Process p = run(List.of("demo/1.0"), "/usr/share/lmod/lmod/init/bash");
        assertEquals(0, p.exitValue(), file("stderr"));
        assertEquals("payload ran DEMO_HOME=/opt/demo-1.0\n", file("stdout"));
        Files.delete(jobDir.resolve("stdout"));
        p = run(List.of("demo/1.0"), "/etc/site/no-such-init.sh");
        assertEquals(EnvironmentScript.SETUP_FAILED, p.exitValue());
        assertTrue(file("stderr").contains("moduleInit /etc/site/no-such-init.sh is not a readable file on"), file("stderr"));
        assertFalse(file("stdout").contains("payload ran"));
    }
}
