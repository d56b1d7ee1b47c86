package org.hpckernel.install;

import static org.hpckernel.install.InstallTestSupport.argv;
import static org.hpckernel.install.InstallTestSupport.install;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.hpckernel.install.InstallTestSupport.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real JVMs on a tiny jar that stands in for hpc-kernel.jar and its {@code warmup} command. */
class CdsArchiveTest {
    @TempDir Path root;
    InstallEnvironment env;
    Path marker;

    @BeforeEach
    void setUp() {
        env = InstallTestSupport.environment(root);
        marker = root.resolve("warmup-ran");
    }

    @Test
    void installBuildsAnArchiveThatTheKernelCommandUses() throws Exception {
        Path jar = tinyJar("java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + marker + "\"), \"ran\");");

        Result r = install(env, jar);

        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(marker), "warmup ran");
        Path dir = root.resolve("data/kernels/java-hpc");
        Path archive = dir.resolve("hpc-kernel.jsa");
        assertTrue(Files.size(archive) > 0);
        List<String> argv = argv(dir);
        int jarAt = argv.indexOf("-jar");
        assertEquals(CdsArchive.runtimeOptions(archive), argv.subList(jarAt - 2, jarAt));
        assertFalse(r.out().contains("CDS skipped"), r.out());

        // Started the way Jupyter would: quiet, and TinyMain comes from the dynamic archive.
        assertEquals("kernel conn.json\n", runKernel(argv, List.of()));
        String classLoading = runKernel(argv, List.of("-Xlog:class+load=info"));
        assertTrue(classLoading.lines().anyMatch(l -> l.contains("TinyMain") && l.contains("shared objects file")),
                classLoading);
    }

    @Test
    void aBrokenArchiveIsIgnoredSilently() throws Exception {
        assertEquals(0, install(env, tinyJar("")).exit());
        Path dir = root.resolve("data/kernels/java-hpc");
        Path archive = dir.resolve("hpc-kernel.jsa");
        List<String> argv = argv(dir);

        Files.delete(archive);
        Files.write(archive, new byte[4096]);
        assertEquals("kernel conn.json\n", runKernel(argv, List.of()));
        Files.delete(archive);
        assertEquals("kernel conn.json\n", runKernel(argv, List.of()));
    }

    @Test
    void noCdsSkipsTheWarmup() throws Exception {
        Path jar = tinyJar("java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + marker + "\"), \"ran\");");

        Result r = install(env, jar, "--no-cds");

        assertEquals(0, r.exit(), r.err());
        assertFalse(Files.exists(marker));
        assertFalse(Files.exists(root.resolve("data/kernels/java-hpc/hpc-kernel.jsa")));
        assertTrue(argv(root.resolve("data/kernels/java-hpc")).stream().noneMatch(a -> a.contains("SharedArchiveFile")));
    }

    @Test
    void aFailingWarmupStillInstallsAndSaysWhy() throws Exception {
        Path jar = tinyJar("System.err.println(\"boom: no evaluator\"); System.exit(3);");

        Result r = install(env, jar);

        assertEquals(0, r.exit(), r.err());
        List<String> skipped = r.out().lines().filter(l -> l.contains("CDS skipped")).toList();
        assertEquals(1, skipped.size(), r.out());
        assertTrue(skipped.get(0).contains("exited with code 3: boom: no evaluator"), skipped.get(0));
        Path dir = root.resolve("data/kernels/java-hpc");
        assertFalse(Files.exists(dir.resolve("hpc-kernel.jsa")));
        assertTrue(argv(dir).stream().noneMatch(a -> a.contains("SharedArchiveFile") || a.startsWith("-Xlog")));
    }

    @Test
    void aJarThatIsNotAJar() throws IOException {
        Path jar = InstallTestSupport.fakeJar(root, "not a zip");
        Path archive = root.resolve("x.jsa");

        CdsArchive.Outcome outcome = new CdsArchive(CdsArchive.DEFAULT_TIMEOUT)
                .create(JavaExecutable.running(), JvmOptions.DEFAULTS, jar, archive);

        assertFalse(outcome.created());
        assertTrue(outcome.reason().startsWith("warmup exited with code 1"), outcome.reason());
        assertFalse(Files.exists(archive));
    }

    @Test
    void aHangingWarmupIsKilledAtTheTimeout() throws Exception {
        Path jar = tinyJar("Thread.sleep(120_000);");
        long start = System.nanoTime();

        CdsArchive.Outcome outcome = new CdsArchive(Duration.ofSeconds(2))
                .create(JavaExecutable.running(), JvmOptions.DEFAULTS, jar, root.resolve("x.jsa"));

        assertFalse(outcome.created());
        assertEquals("warmup did not finish within 2 s", outcome.reason());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30));
    }

    @Test
    void aWarmupReadingStdinSeesEndOfInput() throws Exception {
        Path jar = tinyJar("if (System.in.read() != -1) System.exit(5);");

        CdsArchive.Outcome outcome = new CdsArchive(Duration.ofSeconds(30))
                .create(JavaExecutable.running(), JvmOptions.DEFAULTS, jar, root.resolve("x.jsa"));

        assertTrue(outcome.created(), outcome.reason());
    }

    /** The kernel command line from kernel.json, with extra JVM flags just before -jar; returns stdout+stderr. */
    private static String runKernel(List<String> argv, List<String> extraJvmFlags) throws Exception {
        List<String> command = new ArrayList<>(argv);
        command.addAll(command.indexOf("-jar"), extraJvmFlags);
        command.replaceAll(a -> a.equals("{connection_file}") ? "conn.json" : a);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    /** A runnable jar whose {@code warmup} runs {@code warmupBody} and whose {@code kernel X} prints "kernel X". */
    private Path tinyJar(String warmupBody) throws IOException {
        Path src = Files.createDirectories(root.resolve("src"));
        Path classes = Files.createDirectories(root.resolve("classes"));
        Files.writeString(src.resolve("TinyMain.java"), String.join("\n",
                "public class TinyMain {",
                "  public static void main(String[] args) throws Exception {",
                "    if (args[0].equals(\"warmup\")) { " + warmupBody + " }",
                "    else System.out.println(\"kernel \" + args[1]);",
                "  }",
                "}"));
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "--release", "17", "-d", classes.toString(), src.resolve("TinyMain.java").toString());
        assertEquals(0, status, "compiling TinyMain");

        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "TinyMain");
        Path jar = root.resolve("build/hpc-kernel-test.jar");
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("TinyMain.class"));
            out.write(Files.readAllBytes(classes.resolve("TinyMain.class")));
            out.closeEntry();
        }
        return jar;
    }
}
