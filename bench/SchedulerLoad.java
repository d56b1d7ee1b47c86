import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.CellPayload;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.ClusterSession;
import org.hpckernel.hpc.JobListener;
import org.hpckernel.hpc.JobMonitor;
import org.hpckernel.hpc.JobOutcome;
import org.hpckernel.hpc.JobPackage;
import org.hpckernel.hpc.JobPackager;
import org.hpckernel.hpc.Submitter;
import org.hpckernel.hpc.TrackedJob;
import org.hpckernel.hpc.options.HpcArguments;
import org.hpckernel.hpc.JobSpecs;
import org.hpckernel.hpc.scheduler.Schedulers;
import org.hpckernel.hpc.transport.LocalTransport;

/**
 * Scheduler politeness: submits N short jobs at once through the kernel's own submit and monitor
 * code and follows them all to the end. Run with counting wrappers first on PATH (bench/run-scheduler-load.sh);
 * prints the per-job seconds spent pending so the caller can compare commands per job with the target.
 *
 *   java -cp kernel/target/hpc-kernel.jar bench/SchedulerLoad.java SCHEDULER WORKDIR N SECONDS
 */
public class SchedulerLoad {
    public static void main(String[] args) throws Exception {
        String scheduler = args[0];
        String workdir = args[1];
        int n = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        ClusterProfile profile = new ClusterProfile("bench", scheduler, workdir, "java", List.of(), Map.of(), null,
                ClusterProfile.Monitoring.defaults());
        ClusterSession cluster = new ClusterSession(profile, Schedulers.create(scheduler), new LocalTransport());
        JobMonitor monitor = new JobMonitor(Duration.ofMillis(100));
        List<TrackedJob> jobs = new ArrayList<>();
        List<Instant> submitted = new ArrayList<>();
        Map<String, Instant> started = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = JobPackager.newKey();
            String dir = JobPackager.jobDir(workdir, key);
            var spec = JobSpecs.build(HpcArguments.parse(List.of("--time", "5")), profile, "hpc-" + key, dir);
            var request = new JobPackager.Request(profile, cluster.scheduler(),
                    CellPayload.of("#!/bin/bash\nsleep " + seconds + "\necho done"), "", List.of(), List.of(), List.of(), "", Map.of());
            JobPackage pkg = JobPackager.write(cluster.transport(), request, spec, key);
            String id = Submitter.standard().submit(cluster, pkg, taken -> false);
            submitted.add(Instant.now());
            jobs.add(monitor.follow(id, cluster, dir, null, JobListener.statusOnly(v -> {
                if (v.state() == org.hpckernel.hpc.scheduler.JobState.RUNNING) started.putIfAbsent(id, Instant.now());
            })));
        }
        double pendingSeconds = 0;
        int ok = 0;
        for (int i = 0; i < jobs.size(); i++) {
            JobOutcome o = jobs.get(i).outcome().get();
            jobs.get(i).accounted().get();
            if (o.succeeded()) ok++;
            Instant s = started.getOrDefault(jobs.get(i).id(), Instant.now());
            pendingSeconds += Math.max(0, Duration.between(submitted.get(i), s).toMillis() / 1000.0);
        }
        monitor.close();
        System.out.printf("jobs=%d ok=%d pending_seconds_total=%.1f%n", n, ok, pendingSeconds);
    }
}
