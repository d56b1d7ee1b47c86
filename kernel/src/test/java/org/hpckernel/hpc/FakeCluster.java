package org.hpckernel.hpc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.JobStatus;
import org.hpckernel.hpc.scheduler.Scheduler;
import org.hpckernel.hpc.scheduler.SchedulerException;
import org.hpckernel.hpc.transport.CommandResult;
import org.hpckernel.hpc.transport.Transport;

/**
 * A cluster in memory for unit tests of the shared monitoring flow: a file system the test writes
 * the job's files into, a scheduler whose answers the test sets, and faults on demand (a dropped
 * connection, a status command that cannot run). Counts file operations and bytes transferred.
 */
final class FakeCluster {
    final Files files = new Files();
    final FakeScheduler scheduler = new FakeScheduler();
    final ClusterSession session;

    FakeCluster(String name, ClusterProfile.Monitoring monitoring) {
        ClusterProfile profile = new ClusterProfile(name, "fake", "/work", "java", List.of(), Map.of(), null, monitoring);
        session = new ClusterSession(profile, scheduler, files);
    }

    FakeCluster(String name) {
        this(name, ClusterProfile.Monitoring.defaults());
    }

    static String text(String... lines) {
        return String.join("", Arrays.stream(lines).map(l -> l + "\n").toList());
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** The transport: files in a map; reads fail while {@link #down} is set. */
    static class Files implements Transport {
        final Map<String, ByteArrayOutputStream> content = new ConcurrentHashMap<>();
        final AtomicInteger operations = new AtomicInteger();
        final AtomicLong bytesRead = new AtomicLong();
        final List<List<String>> commands = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile boolean down;
        /** Fails this many more file reads, then works again. */
        final AtomicInteger failNext = new AtomicInteger();
        /** Answers commands (argv) or throws; default: exit 0, no output. */
        volatile CommandAnswer answer = argv -> new CommandResult(argv, 0, "", "", false);

        interface CommandAnswer {
            CommandResult run(List<String> argv) throws IOException;
        }

        void append(String path, String text) {
            append(path, text.getBytes(StandardCharsets.UTF_8));
        }

        void append(String path, byte[] bytes) {
            content.computeIfAbsent(path, p -> new ByteArrayOutputStream()).writeBytes(bytes);
        }

        void write(String path, String text) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            content.put(path, b);
        }

        void remove(String path) {
            content.remove(path);
        }

        private void check(String what) throws IOException {
            operations.incrementAndGet();
            if (down) throw new IOException("connection lost (" + what + ")");
            if (failNext.get() > 0 && failNext.getAndDecrement() > 0) throw new IOException("connection reset (" + what + ")");
        }

        @Override
        public String describe() {
            return "fake";
        }

        @Override
        public CommandResult run(List<String> argv, String stdin, Duration timeout) throws IOException {
            commands.add(argv);
            return answer.run(argv);
        }

        @Override
        public String home() {
            return "/home/user";
        }

        @Override
        public void makePrivateDirectory(String path) {}

        @Override
        public void writeFile(String path, byte[] content, boolean executable) {
            append(path, content);
        }

        @Override
        public Optional<byte[]> readFile(String path) throws IOException {
            check(path);
            ByteArrayOutputStream b = content.get(path);
            if (b == null) return Optional.empty();
            byte[] data = b.toByteArray();
            bytesRead.addAndGet(data.length);
            return Optional.of(data);
        }

        @Override
        public byte[] readFrom(String path, long offset, int maxBytes) throws IOException {
            check(path);
            ByteArrayOutputStream b = content.get(path);
            if (b == null) return new byte[0];
            byte[] all = b.toByteArray();
            if (offset >= all.length) return new byte[0];
            int n = (int) Math.min(maxBytes, all.length - offset);
            bytesRead.addAndGet(n);
            return Arrays.copyOfRange(all, (int) offset, (int) offset + n);
        }

        @Override
        public long size(String path) throws IOException {
            check(path);
            ByteArrayOutputStream b = content.get(path);
            return b == null ? -1 : b.size();
        }

        @Override
        public void delete(String path) {
            content.remove(path);
        }

        @Override
        public void close() {}
    }

    /** Says what the test set: a state per job id, nothing (forgotten), or a failure. */
    static final class FakeScheduler implements Scheduler {
        final Map<String, JobStatus> states = new ConcurrentHashMap<>();
        volatile SchedulerException failure;
        final AtomicInteger statusCalls = new AtomicInteger();

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public List<String> directives(JobSpec spec) {
            return List.of();
        }

        @Override
        public String jobIdVariable() {
            return "$FAKE_JOB_ID";
        }

        @Override
        public String arrayIndexVariable() {
            return "$FAKE_TASK";
        }

        @Override
        public List<String> submitCommand(JobSpec spec, String scriptPath) {
            return List.of("submit", scriptPath);
        }

        @Override
        public String parseJobId(CommandResult result, JobSpec spec) {
            return result.stdout().strip();
        }

        @Override
        public List<String> statusCommand(Collection<String> jobIds) {
            List<String> argv = new ArrayList<>(List.of("status"));
            argv.addAll(jobIds);
            return argv;
        }

        @Override
        public Map<String, JobStatus> parseStatus(CommandResult result, Collection<String> jobIds) throws SchedulerException {
            statusCalls.incrementAndGet();
            if (failure != null) throw failure;
            Map<String, JobStatus> out = new HashMap<>();
            for (String id : jobIds) if (states.containsKey(id)) out.put(id, states.get(id));
            return out;
        }

        @Override
        public List<String> cancelCommand(String jobId) {
            return List.of("cancel", jobId);
        }

        @Override
        public List<String> findByNameCommand(String jobName) {
            return List.of("find", jobName);
        }

        @Override
        public Optional<String> parseFindByName(CommandResult result, String jobName) {
            return Optional.empty();
        }

        @Override
        public boolean isTransient(CommandResult result) {
            return result.output().contains("try again");
        }

        @Override
        public List<List<String>> versionCommands() {
            return List.of();
        }
    }
}
