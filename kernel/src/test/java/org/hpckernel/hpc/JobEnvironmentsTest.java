package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.config.ClusterConfig;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.config.ConfigException;
import org.hpckernel.hpc.environment.ContainerRuntime;
import org.hpckernel.hpc.environment.JobEnvironment;
import org.hpckernel.hpc.environment.ProfileEnvironment;
import org.hpckernel.hpc.options.HpcArguments;
import org.hpckernel.hpc.options.HpcOption;
import org.hpckernel.hpc.options.OptionException;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.LocalScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** --container, --bind, --nv, --guix, --channels and the profile's environment keys: validated, combined, rendered. */
class JobEnvironmentsTest {
    private static ClusterProfile profile(ProfileEnvironment env) {
        return new ClusterProfile("dahu", "slurm", "/scratch/me", "java", List.of(), Map.of(), null,
                ClusterProfile.Monitoring.defaults(), null, env, null);
    }

    private static JobSpec build(List<String> words, ProfileEnvironment env) throws OptionException {
        return JobSpecs.build(HpcArguments.parse(words), profile(env), "cell-3", "/scratch/me/jobs/k1");
    }

    private static String error(List<String> words, ProfileEnvironment env) {
        return assertThrows(OptionException.class, () -> build(words, env)).getMessage();
    }

    private static ProfileEnvironment runtime(ContainerRuntime r, String image) {
        return new ProfileEnvironment(List.of(), null, image, r, null, List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/img/a'b.sif", "/img/$(id).sif", "/img/`id`.sif", "/img/a b.sif", "/img/a;id", "/img/a\"b",
        "relative.sif", "~root/x.sif", "$HOME/x.sif", "/img/a,b", "-x", "/img/a\nb"})
    void shellTextOrAnUnusablePathIsRefusedNamingTheOption(String evil) {
        for (HpcOption o : List.of(HpcOption.CONTAINER, HpcOption.BIND, HpcOption.GUIX, HpcOption.CHANNELS, HpcOption.MODULE)) {
            if (o == HpcOption.MODULE && evil.matches("[A-Za-z0-9_./+-]+")) continue; // a fine module name, though not a path
            OptionException e = assertThrows(OptionException.class, () -> HpcArguments.parse(List.of(o.longName() + "=" + evil)));
            assertTrue(e.getMessage().startsWith(o.longName() + ": "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void plainPathsHomePathsUrisAndBindPairsAreAccepted() throws OptionException {
        HpcArguments a = HpcArguments.parse(List.of("--container", "~/images/app-1.2.sif", "--bind", "/scratch", "--bind",
                "/data/in:/in", "--nv"));
        assertEquals("~/images/app-1.2.sif", a.value(HpcOption.CONTAINER).orElseThrow());
        assertEquals(List.of("/scratch", "/data/in:/in"), a.list(HpcOption.BIND));
        assertTrue(a.has(HpcOption.NV));
        assertEquals("docker://debian:12", HpcArguments.parse(List.of("--container=docker://debian:12")).value(HpcOption.CONTAINER).orElseThrow());
        assertThrows(OptionException.class, () -> HpcArguments.parse(List.of("--bind", "/data:relative")));
        assertThrows(OptionException.class, () -> HpcArguments.parse(List.of("--bind", "/data:/in:ro:x")));
    }

    @Test
    void theCellsContainerReplacesTheProfilesAndBindsAddUp() throws OptionException {
        ProfileEnvironment p = new ProfileEnvironment(List.of(), null, "/img/default.sif", ContainerRuntime.SINGULARITY,
                "/opt/jdk/bin/java", List.of("/scratch"));
        JobEnvironment.Container c = build(List.of(), p).environment().container();
        assertEquals("/img/default.sif", c.image());
        assertEquals(ContainerRuntime.SINGULARITY, c.runtime());
        assertEquals("/opt/jdk/bin/java", c.java());
        c = build(List.of("--container", "/img/mine.sif", "--bind", "/data", "--nv"), p).environment().container();
        assertEquals("/img/mine.sif", c.image());
        assertEquals(List.of("/scratch", "/data"), c.binds());
        assertTrue(c.nv());
        assertEquals(ContainerRuntime.APPTAINER, build(List.of("--container", "/i.sif"), ProfileEnvironment.NONE)
                .environment().container().runtime(), "apptainer by default");
        assertNull(build(List.of(), ProfileEnvironment.NONE).environment().container());
    }

    @Test
    void combinationsThatCannotRunAreRefusedWithWhatToChange() {
        assertEquals("--bind applies to a container: give --container IMAGE (or set the cluster's \"container\")",
                error(List.of("--bind", "/data"), ProfileEnvironment.NONE));
        assertEquals("--nv applies to a container: give --container IMAGE (or set the cluster's \"container\")",
                error(List.of("--nv"), ProfileEnvironment.NONE));
        assertEquals("--channels pins the packages of a Guix manifest: give --guix MANIFEST with it",
                error(List.of("--channels", "/c.scm"), ProfileEnvironment.NONE));
        assertEquals("--guix and a container (--container) both wrap the payload: choose one",
                error(List.of("--guix", "/m.scm", "--container", "/i.sif"), ProfileEnvironment.NONE));
        assertEquals("--guix and a container (the cluster's \"container\") both wrap the payload: choose one",
                error(List.of("--guix", "/m.scm"), runtime(ContainerRuntime.APPTAINER, "/i.sif")));
        assertTrue(error(List.of("--nv"), runtime(ContainerRuntime.CHARLIECLOUD, "/img/dir"))
                .startsWith("--nv: cluster \"dahu\" runs containers with Charliecloud, which has no --nv"));
        assertTrue(error(List.of("--container", "docker://debian:12"), runtime(ContainerRuntime.CHARLIECLOUD, null))
                .contains("Charliecloud, which runs a directory or SquashFS image on the cluster, not a URI"));
    }

    @Test
    void modulesComeFromTheCellElseTheProfile() throws OptionException {
        ProfileEnvironment p = new ProfileEnvironment(List.of("java/17", "gcc/12"), "/etc/profile.d/lmod.sh", null, null, null, List.of());
        assertEquals(List.of("java/17", "gcc/12"), build(List.of(), p).modules());
        assertEquals(List.of("python/3"), build(List.of("--module", "python/3"), p).modules());
        assertEquals("/etc/profile.d/lmod.sh", build(List.of(), p).environment().moduleInit());
    }

    @Test
    void theScriptShowsEveryEnvironmentLineAndQuotesWhatItWasGiven() throws Exception {
        JobSpec spec = build(List.of("--module", "java/17", "--container", "~/img/app.sif", "--bind", "/data:/in", "--nv"),
                new ProfileEnvironment(List.of(), "/etc/site/modules.sh", null, null, null, List.of()));
        String script = BatchScript.render(new LocalScheduler(2), spec, "/scratch/me", List.of(), new BatchScript.ShebangPayload(), "t");
        assertTrue(script.contains("\n. /etc/site/modules.sh\n"), script);
        assertTrue(script.contains("\nmodule load java/17 || hpc_env_fail "), script);
        assertTrue(script.contains("\nhpc_image=\"$HOME\"/img/app.sif\n"), script);
        assertTrue(script.contains(" \"$hpc_runtime\" exec --cleanenv --pwd \"$HPC_JOB_DIR\" --bind /scratch/me --bind /data:/in --nv \"$hpc_image\")"),
                script);
        assertTrue(script.contains("\n\"${hpc_wrap[@]}\" \"$HPC_JOB_DIR/payload\" & wait $!"), script);
        // The record comes after the environment is set up and before the payload.
        assertTrue(script.indexOf("module load java/17") < script.indexOf("hpc_env_record >")
                && script.indexOf("hpc_env_record >") < script.indexOf("\"$HPC_JOB_DIR/payload\" &"), script);
    }

    @Test
    void theManifestKeepsWhatWasAsked() throws OptionException {
        JobSpec spec = build(List.of("--module", "java/17", "--container", "/i.sif", "--bind", "/d"), ProfileEnvironment.NONE);
        Map<String, Object> asked = spec.environment().asked(spec.modules());
        assertEquals(List.of("java/17"), asked.get("modules"));
        assertEquals(Map.of("runtime", "apptainer", "image", "/i.sif", "binds", List.of("/d"), "nv", false, "java", "java"),
                asked.get("container"));
    }

    @TempDir
    Path home;

    private String configError(String cluster) throws Exception {
        Path file = home.resolve(".config/hpc-kernel/clusters.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"clusters\": {\"dahu\": {\"scheduler\": \"slurm\", \"workdir\": \"/w\", " + cluster + "}}}");
        return assertThrows(ConfigException.class, () -> ClusterConfig.load(Map.of(), home)).getMessage();
    }

    private ProfileEnvironment loaded(String cluster) throws Exception {
        Path file = home.resolve(".config/hpc-kernel/clusters.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"clusters\": {\"dahu\": {\"scheduler\": \"slurm\", \"workdir\": \"/w\", " + cluster + "}}}");
        return ClusterConfig.load(Map.of(), home).get("dahu").environment();
    }

    @Test
    void profileKeysAreReadAndCheckedLikeTheOptions() throws Exception {
        ProfileEnvironment p = loaded("\"modules\": [\"java/17\"], \"moduleInit\": \"/etc/profile.d/lmod.sh\", \"container\": \"/img/d\","
                + " \"containerRuntime\": \"charliecloud\", \"containerJava\": \"/usr/lib/jvm/java-17/bin/java\", \"binds\": [\"/scratch\"]");
        assertEquals(new ProfileEnvironment(List.of("java/17"), "/etc/profile.d/lmod.sh", "/img/d", ContainerRuntime.CHARLIECLOUD,
                "/usr/lib/jvm/java-17/bin/java", List.of("/scratch")), p);
        assertTrue(configError("\"container\": \"/img/$(id)\"").contains("\"container\" must be the image every job runs in"));
        assertTrue(configError("\"modules\": [\"java/17; rm -rf ~\"]").contains("\"modules\": \"java/17; rm -rf ~\" is not a module name"));
        assertTrue(configError("\"containerRuntime\": \"docker\"").contains("\"containerRuntime\" must be one of apptainer, singularity, charliecloud"));
        assertTrue(configError("\"containerJava\": \"java 17\"").contains("\"containerJava\" must be a command name"));
        assertTrue(configError("\"moduleInit\": \"lmod.sh\"").contains("\"moduleInit\" must be the script that initialises module"));
        assertTrue(configError("\"defaults\": {\"container\": \"/i.sif\"}").contains("is not a default: set the cluster's \"container\" key instead"));
        assertTrue(configError("\"defaults\": {\"guix\": \"/m.scm\"}").contains("cannot be a default: give --guix in the cell"));
        assertTrue(configError("\"modules\": [\"a\"], \"defaults\": {\"module\": \"b\"}").contains("give the modules once"));
    }
}
