package org.hpckernel.install;

import static org.hpckernel.install.InstallTestSupport.argv;
import static org.hpckernel.install.InstallTestSupport.fakeJar;
import static org.hpckernel.install.InstallTestSupport.install;
import static org.hpckernel.install.InstallTestSupport.kernelJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hpckernel.install.InstallTestSupport.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallCommandTest {
    @TempDir Path root;
    InstallEnvironment env;
    Path jar;
    Path kernels;

    @BeforeEach
    void setUp() throws IOException {
        env = InstallTestSupport.environment(root);
        jar = fakeJar(root, "jar bytes v1");
        kernels = root.resolve("data").resolve("kernels");
    }

    @Test
    void writesTheKernelspecLayout() throws IOException {
        Result r = install(env, jar, "--no-cds");

        assertEquals(0, r.exit(), r.err());
        Path dir = kernels.resolve("java-hpc");
        assertEquals("jar bytes v1", Files.readString(dir.resolve("hpc-kernel.jar")));
        for (String logo : KernelspecFiles.LOGOS) {
            assertTrue(Files.size(dir.resolve(logo)) > 0, logo);
        }
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'},
                java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("logo-64x64.png")), 4));
        assertFalse(Files.exists(dir.resolve("hpc-kernel.jsa")));
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
        assertTrue(r.out().contains("Installed kernelspec java-hpc"), r.out());
        assertTrue(r.out().contains(dir.toString()), r.out());
    }

    @Test
    void installedFilesHaveOrdinaryPermissions() throws IOException {
        assertEquals(0, install(env, jar, "--no-cds").exit());
        Path dir = kernels.resolve("java-hpc");
        // Whatever the umask gives a new file: a shared --prefix install must stay readable by others.
        var ordinary = Files.getPosixFilePermissions(Files.createFile(root.resolve("probe")));

        assertEquals(ordinary, Files.getPosixFilePermissions(dir.resolve("kernel.json")));
        assertEquals(ordinary, Files.getPosixFilePermissions(dir.resolve("hpc-kernel.jar")));
    }

    @Test
    void kernelJsonRunsTheCopiedJarWithTheDefaultOptions() throws IOException {
        assertEquals(0, install(env, jar, "--no-cds").exit());
        Path dir = kernels.resolve("java-hpc");

        List<String> expected = new ArrayList<>();
        expected.add(JavaExecutable.running().toString());
        expected.addAll(JvmOptions.DEFAULTS);
        expected.addAll(List.of("-jar", dir.resolve("hpc-kernel.jar").toString(), "kernel", "{connection_file}"));
        assertEquals(expected, argv(dir));
        assertTrue(Path.of(expected.get(0)).isAbsolute());

        JsonObject json = kernelJson(dir);
        assertEquals("Java (HPC)", json.get("display_name").getAsString());
        assertEquals("java", json.get("language").getAsString());
        assertEquals("message", json.get("interrupt_mode").getAsString());
        assertFalse(json.getAsJsonObject("metadata").get("debugger").getAsBoolean());
        assertFalse(Files.readString(dir.resolve("kernel.json")).contains("\\u003d"), "'=' must not be escaped");
    }

    @Test
    void userJvmOptionsComeAfterTheDefaults() throws IOException {
        assertEquals(0, install(env, jar, "--no-cds", "--jvm-opt", "-Xmx2g", "--jvm-opt=-XX:+UseG1GC").exit());

        List<String> argv = argv(kernels.resolve("java-hpc"));
        int lastDefault = argv.indexOf(JvmOptions.DEFAULTS.get(JvmOptions.DEFAULTS.size() - 1));
        assertEquals(List.of("-Xmx2g", "-XX:+UseG1GC"), argv.subList(lastDefault + 1, lastDefault + 3));
        assertEquals("-jar", argv.get(lastDefault + 3));
    }

    @Test
    void nameAndDisplayName() throws IOException {
        Result r = install(env, jar, "--no-cds", "--name", "Java-HPC.big_2", "--display-name", "Java \"big\" — 16 GB");

        assertEquals(0, r.exit(), r.err());
        Path dir = kernels.resolve("java-hpc.big_2"); // lower-cased, as jupyter kernelspec install does
        assertEquals("Java \"big\" — 16 GB", kernelJson(dir).get("display_name").getAsString());
    }

    @Test
    void prefixLocation() throws IOException {
        Path prefix = root.resolve("venv");
        assertEquals(0, install(env, jar, "--no-cds", "--prefix", prefix.toString()).exit());
        assertTrue(Files.exists(prefix.resolve("share/jupyter/kernels/java-hpc/kernel.json")));
    }

    @Test
    void explicitJavaIsUsedAsAnAbsolutePath() throws IOException {
        Path java = executable(root.resolve("jdk/bin/java"));

        assertEquals(0, install(env, jar, "--no-cds", "--java", java.toString()).exit());
        assertEquals(java.toAbsolutePath().toString(), argv(kernels.resolve("java-hpc")).get(0));
    }

    @Test
    void aJdkHomeIsAcceptedForJava() throws IOException {
        Path java = executable(root.resolve("jdk/bin/java"));

        assertEquals(0, install(env, jar, "--no-cds", "--java", root.resolve("jdk").toString()).exit());
        assertEquals(java.toString(), argv(kernels.resolve("java-hpc")).get(0));
    }

    @Test
    void reinstallReplacesJarKernelJsonAndStaleArchive() throws IOException {
        assertEquals(0, install(env, jar, "--no-cds", "--display-name", "first").exit());
        Path dir = kernels.resolve("java-hpc");
        Files.writeString(dir.resolve("hpc-kernel.jsa"), "archive of the old jar");
        Files.writeString(jar, "jar bytes v2");

        Result r = install(env, jar, "--no-cds", "--display-name", "second");

        assertEquals(0, r.exit(), r.err());
        assertEquals("second", kernelJson(dir).get("display_name").getAsString());
        assertEquals("jar bytes v2", Files.readString(dir.resolve("hpc-kernel.jar")));
        assertFalse(Files.exists(dir.resolve("hpc-kernel.jsa")));
    }

    @Test
    void reinstallFromTheInstalledJarItself() throws IOException {
        assertEquals(0, install(env, jar, "--no-cds").exit());
        Path installed = kernels.resolve("java-hpc/hpc-kernel.jar");

        Result r = install(env, installed, "--no-cds", "--display-name", "again");

        assertEquals(0, r.exit(), r.err());
        assertEquals("jar bytes v1", Files.readString(installed));
    }

    @Test
    void refusesToOverwriteSomeoneElsesKernel() throws IOException {
        Path foreign = kernels.resolve("java-hpc");
        Files.createDirectories(foreign);
        String python = "{\"argv\": [\"python3\", \"-m\", \"ipykernel_launcher\", \"-f\", \"{connection_file}\"]}";
        Files.writeString(foreign.resolve("kernel.json"), python);

        Result r = install(env, jar, "--no-cds");

        assertEquals(1, r.exit());
        assertTrue(r.err().contains("refusing to overwrite"), r.err());
        assertTrue(r.err().contains("--name"), r.err());
        assertEquals(python, Files.readString(foreign.resolve("kernel.json")));
        assertFalse(Files.exists(foreign.resolve("hpc-kernel.jar")));
    }

    @Test
    void failsClearlyWhenNotRunningFromAJar() {
        Result r = install(env, null, "--no-cds");

        assertEquals(1, r.exit());
        assertTrue(r.err().contains("not running from hpc-kernel.jar"), r.err());
        assertFalse(Files.exists(kernels));
    }

    @Test
    void sysPrefixWithoutPythonIsAnError() {
        Result r = install(env, jar, "--no-cds", "--sys-prefix");

        assertEquals(1, r.exit());
        assertTrue(r.err().contains("--sys-prefix"), r.err());
    }

    @Test
    void helpPrintsUsage() {
        Result r = install(env, jar, "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("usage:"), r.out());
    }

    static Path executable(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        Files.writeString(path, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }
}
