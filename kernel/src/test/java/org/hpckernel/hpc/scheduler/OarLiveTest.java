package org.hpckernel.hpc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.hpckernel.hpc.BatchScript;
import org.hpckernel.hpc.transport.CommandResult;
import org.hpckernel.hpc.transport.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * OarScheduler against a real OAR 2.5: the kernel's own job.sh (BatchScript) submitted with our
 * argv, polled with our status command, cancelled, timed out, as an array. Runs only with
 * HPC_TEST_OAR=1, as root, after scripts/cluster/oar-up.sh: OAR refuses jobs from root, so every
 * command runs as the plain user $OAR_TEST_USER (hpcuser) through {@code runuser -u USER --}
 * ({@link AsUser}, argv only, no shell). Takes ~2 min (the walltime test waits for OAR's ~70 s kill).
 * The cluster has 2 cores; the tests run one after the other and leave nothing running.
 */
@EnabledIfEnvironmentVariable(named = "HPC_TEST_OAR", matches = "1")
class OarLiveTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final String USER = Optional.ofNullable(System.getenv("OAR_TEST_USER")).orElse("hpcuser");

    private static AsUser transport;
    private static Path work;

    private final OarScheduler oar = new OarScheduler();

    /**
     * The tiny test-only transport: commands run as USER through runuser; files are written by this
     * (root) JVM and handed to USER.
     */
    static final class AsUser implements Transport {
        private final String user;
        private final UserPrincipal owner;

        AsUser(String user) throws IOException {
            this.user = user;
            this.owner = Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        }

        @Override
        public String describe() {
            return "local, as " + user;
        }

        @Override
        public CommandResult run(List<String> argv, String stdin, Duration timeout) throws IOException {
            List<String> full = new ArrayList<>(List.of("runuser", "-u", user, "--"));
            full.addAll(argv);
            File out = File.createTempFile("oar-live", ".out");
            File err = File.createTempFile("oar-live", ".err");
            try {
                Process p = new ProcessBuilder(full)
                        .directory(work.toFile())
                        .redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                                : ProcessBuilder.Redirect.PIPE)
                        .redirectOutput(out)
                        .redirectError(err)
                        .start();
                if (stdin != null) {
                    try (OutputStream in = p.getOutputStream()) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!done) {
                    p.destroyForcibly().waitFor();
                }
                return new CommandResult(argv, done ? p.exitValue() : -1,
                        Files.readString(out.toPath(), StandardCharsets.UTF_8),
                        Files.readString(err.toPath(), StandardCharsets.UTF_8), !done);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } finally {
                out.delete();
                err.delete();
            }
        }

        @Override
        public String home() {
            return work.toString();
        }

        @Override
        public void makePrivateDirectory(String path) throws IOException {
            Path dir = Files.createDirectories(Path.of(path));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Files.setOwner(dir, owner);
        }

        @Override
        public void writeFile(String path, byte[] content, boolean executable) throws IOException {
            Path file = Path.of(path);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, content);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(executable ? "rwx------" : "rw-------"));
            Files.setOwner(tmp, owner);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }

        @Override
        public Optional<byte[]> readFile(String path) throws IOException {
            Path p = Path.of(path);
            return Files.exists(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
        }

        @Override
        public byte[] readFrom(String path, long offset, int maxBytes) throws IOException {
            Path p = Path.of(path);
            if (!Files.exists(p)) {
                return new byte[0];
            }
            try (var ch = Files.newByteChannel(p, StandardOpenOption.READ)) {
                ch.position(offset);
                var buf = java.nio.ByteBuffer.allocate(maxBytes);
                int n = Math.max(0, ch.read(buf));
                return java.util.Arrays.copyOf(buf.array(), n);
            }
        }

        @Override
        public long size(String path) throws IOException {
            Path p = Path.of(path);
            return Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? Files.size(p) : -1;
        }

        @Override
        public void delete(String path) throws IOException {
            Path p = Path.of(path);
            if (Files.exists(p)) {
                try (Stream<Path> all = Files.walk(p)) {
                    for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(x);
                    }
                }
            }
        }

        @Override
        public void close() {}
    }

    @BeforeAll
    static void setUp() throws IOException {
        work = Files.createTempDirectory(Path.of("/tmp"), "hk-oar-live-");
        transport = new AsUser(USER);
        transport.makePrivateDirectory(work.toString());
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (transport != null && !"1".equals(System.getenv("HPC_TEST_KEEP"))) {
            transport.delete(work.toString());
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String uniqueName() {
        return "hk-live-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JobSpec spec(String name, String partition, Duration time, Integer ntasks, String array) {
        return JobSpec.builder().jobName(name).cluster("live")
                .jobDir(work.resolve("jobs").resolve(name).toString()).partition(partition).time(time)
                .ntasks(ntasks).array(array).env(Map.of("HK_GREETING", "hello oar")).build();
    }

    /** job.sh exactly as the kernel renders it, and a shebang payload. */
    private String write(JobSpec spec, String... payload) throws Exception {
        transport.makePrivateDirectory(work.resolve("jobs").toString());
        transport.makePrivateDirectory(spec.jobDir());
        transport.writeFile(spec.jobDir() + "/payload",
                ("#!/bin/bash\n" + String.join("\n", payload) + "\n").getBytes(StandardCharsets.UTF_8), true);
        String script = BatchScript.render(oar, spec, work.toString(), List.of(), new BatchScript.ShebangPayload(),
                "OarLiveTest");
        String path = spec.jobDir() + "/job.sh";
        transport.writeFile(path, script.getBytes(StandardCharsets.UTF_8), true);
        return path;
    }

    private String submit(JobSpec spec, String... payload) throws Exception {
        CommandResult r = transport.run(oar.submitCommand(spec, write(spec, payload)), COMMAND_TIMEOUT);
        return oar.parseJobId(r, spec);
    }

    private JobStatus status(String id) throws Exception {
        return oar.parseStatus(transport.run(oar.statusCommand(List.of(id)), COMMAND_TIMEOUT), List.of(id)).get(id);
    }

    /** Polls every 200 ms; the states seen on the way are appended to {@code seen} (each once, in order). */
    private JobStatus waitFor(String id, Predicate<JobState> until, Duration timeout, List<JobState> seen)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobStatus last = null;
        while (System.nanoTime() < deadline) {
            last = status(id);
            if (last != null && seen != null && (seen.isEmpty() || seen.get(seen.size() - 1) != last.state())) {
                seen.add(last.state());
            }
            if (last != null && until.test(last.state())) {
                return last;
            }
            Thread.sleep(200);
        }
        return fail("job " + id + " still " + last + " after " + timeout);
    }

    private JobStatus waitFor(String id, Predicate<JobState> until, Duration timeout) throws Exception {
        return waitFor(id, until, timeout, null);
    }

    private void cancelQuietly(String id) {
        try {
            transport.run(oar.cancelCommand(id), COMMAND_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    private static String read(JobSpec spec, String file) throws IOException {
        Path p = Path.of(spec.jobDir(), file);
        return Files.exists(p) ? Files.readString(p) : "(missing " + p + ")";
    }

    private static String readEventually(JobSpec spec, String file, String needle) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!read(spec, file).contains(needle) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        return read(spec, file);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void versions() throws Exception {
        for (List<String> argv : oar.versionCommands()) {
            CommandResult r = transport.run(argv, COMMAND_TIMEOUT);
            assertTrue(r.ok(), r.output());
            assertTrue(r.stdout().startsWith("OAR version : 2.5"), r.stdout());
        }
    }

    /** A blocker holds both cores, so the job waits; the blocker is cancelled, the job runs and completes. */
    @Test
    void waitingRunningTerminatedAndCancelRunning() throws Exception {
        JobSpec blockerSpec = spec(uniqueName(), null, Duration.ofMinutes(5), 2, null);
        String blocker = submit(blockerSpec, "sleep 300");
        String job = null;
        try {
            waitFor(blocker, s -> s == JobState.RUNNING, Duration.ofSeconds(60));
            JobSpec spec = spec(uniqueName(), "default", Duration.ofMinutes(2), null, null);
            job = submit(spec, "echo \"$HK_GREETING from $HPC_JOB_ID [$HPC_ARRAY_INDEX]\"", "sleep 3", "exit 0");
            assertEquals(Optional.of(job), oar.parseFindByName(transport.run(oar.findByNameCommand(spec.jobName()),
                    COMMAND_TIMEOUT), spec.jobName()));
            List<JobState> seen = new ArrayList<>();
            assertEquals(JobState.PENDING, waitFor(job, s -> true, Duration.ofSeconds(10), seen).state());

            CommandResult c = transport.run(oar.cancelCommand(blocker), COMMAND_TIMEOUT);
            assertTrue(c.ok(), c.output());
            JobStatus cancelled = waitFor(blocker, JobState::isFinal, Duration.ofSeconds(60));
            assertEquals(new JobStatus(JobState.CANCELLED, "FRAG_JOB_REQUEST", cancelled.node(), null), cancelled);
            assertNotNull(cancelled.node());
            assertEquals(JobState.CANCELLED, oar.parseAccounting(transport.run(oar.accountingCommand(blocker)
                    .orElseThrow(), COMMAND_TIMEOUT), blocker).orElseThrow().state());
            assertTrue(readEventually(blockerSpec, "scheduler.out", "KILLED").contains("Job " + blocker + " KILLED"),
                    read(blockerSpec, "scheduler.out"));
            // OAR kills every process of the job with SIGKILL at once (oarexec kill_children): no
            // TERM, so job.sh's EXIT trap cannot write an exit marker; the kernel has the scheduler's word.
            assertEquals("(missing " + Path.of(blockerSpec.jobDir(), "exit") + ")", read(blockerSpec, "exit"));

            JobStatus done = waitFor(job, JobState::isFinal, Duration.ofSeconds(60), seen);
            assertEquals(List.of(JobState.PENDING, JobState.RUNNING, JobState.COMPLETED), seen);
            assertEquals(new JobStatus(JobState.COMPLETED, null, done.node(), 0), done);
            assertEquals("hello oar from " + job + " []\n", read(spec, "stdout"));
            assertTrue(read(spec, "exit").startsWith("0 "), read(spec, "exit"));
            JobAccounting a = oar.parseAccounting(transport.run(oar.accountingCommand(job).orElseThrow(),
                    COMMAND_TIMEOUT), job).orElseThrow();
            assertEquals(JobState.COMPLETED, a.state());
            assertEquals(0, a.exitCode());
            // whole seconds, from OAR's own start and stop stamps (seen: 2 s for "sleep 3")
            assertTrue(a.elapsed().compareTo(Duration.ofSeconds(1)) >= 0, a.toString());
        } finally {
            cancelQuietly(blocker);
            if (job != null) {
                cancelQuietly(job);
            }
        }
    }

    @Test
    void aFailingExitCode() throws Exception {
        JobSpec spec = spec(uniqueName(), null, Duration.ofMinutes(2), null, null);
        String id = submit(spec, "echo failing >&2", "exit 3");
        JobStatus s = waitFor(id, JobState::isFinal, Duration.ofSeconds(60));
        assertEquals(new JobStatus(JobState.FAILED, "exit code 3", s.node(), 3), s);
        JobAccounting a = oar.parseAccounting(transport.run(oar.accountingCommand(id).orElseThrow(), COMMAND_TIMEOUT),
                id).orElseThrow();
        assertEquals(JobState.FAILED, a.state());
        assertEquals(3, a.exitCode());
        assertEquals(0, a.signal());
        assertEquals("failing\n", read(spec, "stderr"));
        assertTrue(read(spec, "exit").startsWith("3 "), read(spec, "exit"));
    }

    @Test
    void aBadQueueIsRefusedVerbatim() throws Exception {
        SchedulerException e = assertThrows(SchedulerException.class,
                () -> submit(spec(uniqueName(), "nope", null, null, null), "true"));
        assertEquals("ERROR : The queue nope does not exist (from --partition nope)", e.getMessage());
    }

    @Test
    void walltimeExceeded() throws Exception {
        JobSpec spec = spec(uniqueName(), null, Duration.ofMinutes(1), null, null);
        String id = submit(spec, "sleep 300");
        try {
            waitFor(id, s -> s == JobState.RUNNING, Duration.ofSeconds(60));
            long t0 = System.nanoTime();
            JobStatus s = waitFor(id, JobState::isFinal, Duration.ofSeconds(150));
            System.out.printf("OarLiveTest: walltime 60 s job ended %.1f s after it was seen running%n",
                    (System.nanoTime() - t0) / 1e9);
            assertEquals(new JobStatus(JobState.TIMEOUT, "WALLTIME", s.node(), null), s);
            JobAccounting a = oar.parseAccounting(transport.run(oar.accountingCommand(id).orElseThrow(),
                    COMMAND_TIMEOUT), id).orElseThrow();
            assertEquals(JobState.TIMEOUT, a.state());
            assertTrue(a.elapsed().compareTo(Duration.ofSeconds(60)) >= 0, a.toString());
            assertTrue(readEventually(spec, "scheduler.out", "KILLED").contains("Job " + id + " KILLED"),
                    read(spec, "scheduler.out"));
            // SIGKILL again: no exit marker, the kernel has only OAR's word (TIMEOUT) for it
            assertEquals("(missing " + Path.of(spec.jobDir(), "exit") + ")", read(spec, "exit"));
            assertTrue(Files.exists(Path.of(spec.jobDir(), "started")));
        } finally {
            cancelQuietly(id);
        }
    }

    /** --array 0-3: OAR runs subjobs 1..4, the job sees 0..3, one set of files per index. */
    @Test
    void anArrayWithTheIndicesAskedFor() throws Exception {
        JobSpec spec = spec(uniqueName(), null, Duration.ofMinutes(2), null, "0-3");
        String id = submit(spec, "echo \"task $HPC_ARRAY_INDEX of $HPC_JOB_ID\"", "exit $((HPC_ARRAY_INDEX == 2 ? 5 : 0))");
        try {
            JobStatus s = waitFor(id, JobState::isFinal, Duration.ofSeconds(90));
            // subjob index 2 exits 5: the array failed
            assertEquals(JobState.FAILED, s.state(), s.toString());
            Map<Integer, JobState> subjobs = oar.subjobStates(transport.run(oar.statusCommand(List.of(id)),
                    COMMAND_TIMEOUT), id);
            assertEquals(Map.of(1, JobState.COMPLETED, 2, JobState.COMPLETED, 3, JobState.FAILED, 4, JobState.COMPLETED),
                    subjobs);
            for (int i = 0; i < 4; i++) {
                assertEquals("task " + i + " of " + id + "\n", read(spec, "stdout." + i));
                assertTrue(read(spec, "exit." + i).startsWith((i == 2 ? "5" : "0") + " "), read(spec, "exit." + i));
            }
            assertEquals("(missing " + Path.of(spec.jobDir(), "stdout") + ")", read(spec, "stdout"));
            JobAccounting a = oar.parseAccounting(transport.run(oar.accountingCommand(id).orElseThrow(),
                    COMMAND_TIMEOUT), id).orElseThrow();
            assertEquals(JobState.FAILED, a.state());
            assertEquals(5, a.exitCode());
        } finally {
            cancelQuietly(id);
        }
    }

    /** Submit to start, as the kernel would see it (oarstat every 200 ms): printed, not asserted. */
    @Test
    void submitToStartLatency() throws Exception {
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JobSpec spec = spec(uniqueName(), null, Duration.ofMinutes(1), null, null);
            String script = write(spec, "true");
            long t0 = System.nanoTime();
            String id = oar.parseJobId(transport.run(oar.submitCommand(spec, script), COMMAND_TIMEOUT), spec);
            waitFor(id, s -> s == JobState.RUNNING || s.isFinal(), Duration.ofSeconds(60));
            seconds.add((System.nanoTime() - t0) / 1e9);
            waitFor(id, JobState::isFinal, Duration.ofSeconds(60));
        }
        System.out.println("OarLiveTest: submit -> running (s): " + seconds);
    }
}
