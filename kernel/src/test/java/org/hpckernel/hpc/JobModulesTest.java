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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * --module against the two module systems centres run, both real and from Debian: Lmod (the
 * {@code lmod} package, installed by scripts/setup.sh under CI) and Environment Modules (the
 * {@code environment-modules} package, which conflicts with Lmod, so unpacked privately by
 * scripts/modules/environment-modules.sh and initialised through the profile's "moduleInit").
 * job.sh runs as a batch job would: bash without a login, so without {@code module} until job.sh
 * initialises it. The module files are written here. A missing system skips, except under CI.
 */
class JobModulesTest {
    /** How each system is set up, what its module files look like, and how it says a module is unknown. */
    enum ModuleSystem {
        LMOD(null, "Lmod has detected the following error: The following module\\(s\\) are unknown:\\s+\"nosuch/9\""),
        ENVIRONMENT_MODULES(System.getenv().getOrDefault("HPC_TEST_ENV_MODULES", "/var/tmp/hpc-kernel-env-modules")
                + "/usr/share/modules/init/bash", "ERROR: Unable to locate a modulefile for 'nosuch/9'");

        final String init;
        final String unknown;

        ModuleSystem(String init, String unknown) {
            this.init = init;
            this.unknown = unknown;
        }

        Path present() {
            return Path.of(init != null ? init : "/usr/share/lmod/lmod/init/bash");
        }

        /** A module file that sets DEMO_HOME, or raises an error with {@code failure}. */
        String moduleFile(String demoHome, String failure) {
            // Tcl module files: both systems read them (Lmod as well as its own Lua).
            return "#%Module\n" + (failure != null ? "error \"" + failure + "\"\n" : "setenv DEMO_HOME " + demoHome + "\n");
        }
    }

    @TempDir
    Path work;
    Path jobDir;
    Path modules;
    ModuleSystem system;

    void setUp(ModuleSystem system) throws Exception {
        this.system = system;
        if (!Files.isRegularFile(system.present())) {
            String what = system + " is not there (" + system.present() + "): scripts/setup.sh provides it under CI";
            if ("true".equals(System.getenv("CI"))) fail(what);
            Assumptions.abort(what);
        }
        jobDir = Files.createDirectories(work.resolve("jobs/k1"));
        modules = work.resolve("modulefiles");
        Files.createDirectories(modules.resolve("demo"));
        Files.createDirectories(modules.resolve("broken"));
        Files.writeString(modules.resolve("demo/1.0"), system.moduleFile("/opt/demo-1.0", null));
        Files.writeString(modules.resolve("demo/2.0"), system.moduleFile("/opt/demo-2.0", null));
        Files.writeString(modules.resolve("broken/1.0"), system.moduleFile(null, "needs a licence server"));
        Files.writeString(jobDir.resolve("payload"), "#!/bin/bash\necho \"payload ran DEMO_HOME=$DEMO_HOME\"\n");
        jobDir.resolve("payload").toFile().setExecutable(true);
    }

    /** Runs job.sh as a scheduler would: plain bash, no login files, no module function inherited. */
    private Process run(List<String> mods, String moduleInit) throws Exception {
        JobSpec spec = JobSpec.builder().jobName("hpc-test").cluster("dahu").jobDir(jobDir.toString()).time(Duration.ofMinutes(5))
                .modules(mods).environment(new JobEnvironment(moduleInit, null, null)).build();
        String script = BatchScript.render(new LocalScheduler(2), spec, work.toString(),
                List.of("export MODULEPATH=" + modules), new BatchScript.ShebangPayload(), "t");
        Files.writeString(jobDir.resolve("job.sh"), script);
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/env", "-i", "PATH=/usr/bin:/bin", "HOME=" + work, "USER=" + System.getProperty("user.name"),
                "/bin/bash", jobDir.resolve("job.sh").toString());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p;
    }

    private Process run(List<String> mods) throws Exception {
        return run(mods, system.init);
    }

    private String file(String name) throws Exception {
        Path f = jobDir.resolve(name);
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @ParameterizedTest
    @EnumSource(ModuleSystem.class)
    void modulesLoadInANonLoginBatchShellAndAreRecorded(ModuleSystem system) throws Exception {
        setUp(system);
        Process p = run(List.of("demo/1.0"));
        assertEquals(0, p.exitValue(), file("stderr"));
        assertEquals("payload ran DEMO_HOME=/opt/demo-1.0\n", file("stdout"));
        var json = JsonParser.parseString(file("environment.json")).getAsJsonObject();
        assertEquals("[\"demo/1.0\"]", json.get("modules").toString());
    }

    @ParameterizedTest
    @EnumSource(ModuleSystem.class)
    void aModuleNamedWithoutVersionLoadsItsDefault(ModuleSystem system) throws Exception {
        setUp(system);
        Process p = run(List.of("demo"));
        assertEquals(0, p.exitValue(), file("stderr"));
        assertEquals("payload ran DEMO_HOME=/opt/demo-2.0\n", file("stdout"));
    }

    @ParameterizedTest
    @EnumSource(ModuleSystem.class)
    void anUnknownModuleFailsTheJobBeforeThePayloadWithTheSystemsMessage(ModuleSystem system) throws Exception {
        setUp(system);
        Process p = run(List.of("demo/1.0", "nosuch/9"));
        assertEquals(EnvironmentScript.SETUP_FAILED, p.exitValue());
        String err = file("stderr");
        assertTrue(java.util.regex.Pattern.compile(system.unknown).matcher(err).find(), err);
        assertTrue(err.contains("hpc-kernel: module load nosuch/9 failed (the module system's message is above); the payload was not run"), err);
        assertFalse(file("stdout").contains("payload ran"), file("stdout"));
        assertFalse(Files.exists(jobDir.resolve("environment.json")), "the record is written only once the environment is set up");
        assertTrue(file("exit").startsWith(EnvironmentScript.SETUP_FAILED + " "), file("exit"));
    }

    @ParameterizedTest
    @EnumSource(ModuleSystem.class)
    void aModuleThatRaisesAnErrorFailsTheJobWithItsText(ModuleSystem system) throws Exception {
        setUp(system);
        Process p = run(List.of("broken/1.0"));
        assertEquals(EnvironmentScript.SETUP_FAILED, p.exitValue());
        // Lmod wraps its message at the terminal width it assumes: compared with whitespace collapsed.
        assertTrue(file("stderr").replaceAll("\\s+", " ").contains("needs a licence server"), file("stderr"));
        assertFalse(file("stdout").contains("payload ran"));
    }

    @Test
    void lmodIsFoundWithoutAnInitScriptAndAGivenOneIsUsedOrNamed() throws Exception {
        setUp(ModuleSystem.LMOD);
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
