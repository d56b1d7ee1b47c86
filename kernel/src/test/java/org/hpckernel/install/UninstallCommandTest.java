package org.hpckernel.install;

import static org.hpckernel.install.InstallTestSupport.fakeJar;
import static org.hpckernel.install.InstallTestSupport.install;
import static org.hpckernel.install.InstallTestSupport.uninstall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hpckernel.install.InstallTestSupport.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UninstallCommandTest {
    @TempDir Path root;
    InstallEnvironment env;
    Path kernels;

    @BeforeEach
    void setUp() {
        env = InstallTestSupport.environment(root);
        kernels = root.resolve("data").resolve("kernels");
    }

    @Test
    void removesWhatInstallWrote() throws IOException {
        assertEquals(0, install(env, fakeJar(root, "jar"), "--no-cds", "--name", "tmp-k").exit());
        Path dir = kernels.resolve("tmp-k");
        Files.writeString(dir.resolve("hpc-kernel.jsa"), "archive");

        Result r = uninstall(env, "--name", "tmp-k");

        assertEquals(0, r.exit(), r.err());
        assertFalse(Files.exists(dir));
        assertTrue(r.out().contains("Removed kernelspec tmp-k from " + dir), r.out());
    }

    @Test
    void removesFromAPrefix() throws IOException {
        Path prefix = root.resolve("venv");
        assertEquals(0, install(env, fakeJar(root, "jar"), "--no-cds", "--prefix", prefix.toString()).exit());

        assertEquals(0, uninstall(env, "--prefix", prefix.toString()).exit());
        assertFalse(Files.exists(prefix.resolve("share/jupyter/kernels/java-hpc")));
    }

    @Test
    void aMissingKernelspecIsExitOne() {
        Result r = uninstall(env, "--name", "nope");

        assertEquals(1, r.exit());
        assertTrue(r.err().contains("no kernelspec 'nope' in " + kernels), r.err());
        assertTrue(r.err().contains("jupyter kernelspec list"), r.err());
    }

    @Test
    void neverDeletesAForeignKernel() throws IOException {
        Path python = kernels.resolve("java-hpc");
        Files.createDirectories(python);
        Files.writeString(python.resolve("kernel.json"), "{\"argv\": [\"python3\", \"-m\", \"ipykernel\"]}");

        Result r = uninstall(env);

        assertEquals(1, r.exit());
        assertTrue(r.err().contains("refusing to remove " + python), r.err());
        assertTrue(Files.exists(python.resolve("kernel.json")));
    }

    @Test
    void neverDeletesADirectoryWithoutKernelJson() throws IOException {
        Path other = kernels.resolve("java-hpc");
        Files.createDirectories(other);
        Files.writeString(other.resolve("notes.txt"), "mine");

        assertEquals(1, uninstall(env).exit());
        assertTrue(Files.exists(other.resolve("notes.txt")));
    }

    @Test
    void corruptKernelJsonIsNotOurs() throws IOException {
        Path dir = kernels.resolve("java-hpc");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kernel.json"), "{\"argv\": [\"hpc-kernel.jar\"");

        assertEquals(1, uninstall(env).exit());
        assertTrue(Files.exists(dir));
    }

    @Test
    void doesNotFollowSymlinksOutOfTheKernelspec() throws IOException {
        assertEquals(0, install(env, fakeJar(root, "jar"), "--no-cds").exit());
        Path precious = Files.createDirectories(root.resolve("precious"));
        Files.writeString(precious.resolve("data.txt"), "keep");
        Files.createSymbolicLink(kernels.resolve("java-hpc/link"), precious);

        assertEquals(0, uninstall(env).exit());
        assertEquals("keep", Files.readString(precious.resolve("data.txt")));
    }

    @Test
    void usageErrors() {
        Result unknown = uninstall(env, "--display-name", "x");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown option '--display-name'"), unknown.err());
        assertTrue(unknown.err().contains("usage: java -jar hpc-kernel.jar uninstall"), unknown.err());

        Result badName = uninstall(env, "--name", "a b");
        assertEquals(2, badName.exit());
        assertTrue(badName.err().contains("--name 'a b'"), badName.err());
    }
}
