import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.hpckernel.hpc.CellPayload;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.ClusterSession;
import org.hpckernel.hpc.JobListener;
import org.hpckernel.hpc.JobMonitor;
import org.hpckernel.hpc.JobPackager;
import org.hpckernel.hpc.Submitter;
import org.hpckernel.hpc.options.HpcArguments;
import org.hpckernel.hpc.JobSpecs;
import org.hpckernel.hpc.scheduler.Schedulers;
import org.hpckernel.hpc.transport.CommandResult;
import org.hpckernel.hpc.transport.CredentialPrompt;
import org.hpckernel.hpc.transport.SshSettings;
import org.hpckernel.hpc.transport.SshTransport;
import org.hpckernel.hpc.transport.Transport;

/**
 * SSH cost of a job through the kernel's own path: round trips (commands and file operations,
 * output following excluded) and bytes uploaded, per job, once the runner jar is in place.
 *
 *   java -cp kernel/target/hpc-kernel.jar bench/SshCost.java HOST PORT USER KEY KNOWN_HOSTS WORKDIR N
 */
public class SshCost {
    static final AtomicLong commands = new AtomicLong(), fileOps = new AtomicLong(), following = new AtomicLong(), bytesUp = new AtomicLong();

    public static void main(String[] a) throws Exception {
        var ssh = new SshSettings(a[0], Integer.parseInt(a[1]), a[2], a[3], a[4], null, false);
        ClusterProfile profile = new ClusterProfile("bench", "slurm", a[5], "java", List.of(),
                Map.of(org.hpckernel.hpc.options.HpcOption.PARTITION, "debug"), ssh, ClusterProfile.Monitoring.defaults());
        int n = Integer.parseInt(a[6]);
        Transport real = SshTransport.connect("bench", ssh, CredentialPrompt::none);
        Transport counted = new Counting(real);
        ClusterSession cluster = new ClusterSession(profile, Schedulers.create("slurm"), counted);
        JobMonitor monitor = new JobMonitor(Duration.ofMillis(100));
        run(cluster, monitor, "System.out.println(1);", profile); // stages the runner jar once
        reset();
        for (int i = 0; i < n; i++) run(cluster, monitor, i % 2 == 0 ? "#!/bin/bash\necho hi" : "System.out.println(\"hi\");", profile);
        System.out.printf("jobs=%d round_trips_per_job=%.2f (commands %.2f, file ops %.2f) upload_bytes_per_job=%.0f following_ops_per_job=%.1f%n",
                n, (commands.get() + fileOps.get()) / (double) n, commands.get() / (double) n, fileOps.get() / (double) n,
                bytesUp.get() / (double) n, following.get() / (double) n);
        monitor.close();
        real.close();
    }

    static void reset() {
        commands.set(0); fileOps.set(0); following.set(0); bytesUp.set(0);
    }

    static void run(ClusterSession cluster, JobMonitor monitor, String body, ClusterProfile profile) throws Exception {
        String key = JobPackager.newKey();
        String dir = JobPackager.jobDir(profile.workdir(), key);
        var spec = JobSpecs.build(HpcArguments.parse(List.of()), profile, "hpc-" + key, dir);
        var request = new JobPackager.Request(profile, cluster.scheduler(), CellPayload.of(body), body, List.of(),
                List.of("record Point(int x, int y) {}"), List.of(), "h", Map.of());
        var pkg = JobPackager.write(cluster.transport(), request, spec, key);
        String id = Submitter.standard().submit(cluster, pkg, taken -> false);
        var job = monitor.follow(id, cluster, dir, null, JobListener.statusOnly(v -> {}));
        job.outcome().get();
        job.accounted().get();
    }

    /** Counts what crosses the connection; reads of output and marker files are "following". */
    record Counting(Transport t) implements Transport {
        public String describe() { return t.describe(); }
        public CommandResult run(List<String> argv, String stdin, Duration timeout) throws IOException {
            commands.incrementAndGet();
            if (stdin != null) bytesUp.addAndGet(stdin.length());
            return t.run(argv, stdin, timeout);
        }
        public String home() throws IOException { fileOps.incrementAndGet(); return t.home(); }
        public void makePrivateDirectory(String p) throws IOException { fileOps.incrementAndGet(); t.makePrivateDirectory(p); }
        public void writeFile(String p, byte[] c, boolean x) throws IOException { fileOps.incrementAndGet(); bytesUp.addAndGet(c.length); t.writeFile(p, c, x); }
        public void writeDirectory(String d, Map<String, byte[]> f, Set<String> x) throws IOException {
            // One command carrying the gzipped tar, base64: measure it by building the same archive.
            commands.incrementAndGet();
            java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
            try (var gz = new java.util.zip.GZIPOutputStream(tar)) {
                for (Map.Entry<String, byte[]> e : f.entrySet()) {
                    gz.write(new byte[512]);
                    gz.write(e.getValue());
                    gz.write(new byte[(512 - e.getValue().length % 512) % 512]);
                }
                gz.write(new byte[1024]);
            }
            bytesUp.addAndGet((tar.size() + 2) / 3 * 4);
            t.writeDirectory(d, f, x);
        }
        public Optional<byte[]> readFile(String p) throws IOException { following.incrementAndGet(); return t.readFile(p); }
        public byte[] readFrom(String p, long o, int m) throws IOException { following.incrementAndGet(); return t.readFrom(p, o, m); }
        public long size(String p) throws IOException { fileOps.incrementAndGet(); return t.size(p); }
        public void delete(String p) throws IOException { fileOps.incrementAndGet(); t.delete(p); }
        public void close() { }
    }
}
