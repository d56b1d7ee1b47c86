import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.hpckernel.hpc.options.ArraySpec;
import org.hpckernel.hpc.CellPayload;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.ClusterSession;
import org.hpckernel.hpc.JobListener;
import org.hpckernel.hpc.JobMonitor;
import org.hpckernel.hpc.JobOutcome;
import org.hpckernel.hpc.JobPackager;
import org.hpckernel.hpc.JobView;
import org.hpckernel.hpc.Submitter;
import org.hpckernel.hpc.TrackedJob;
import org.hpckernel.hpc.options.HpcArguments;
import org.hpckernel.hpc.JobSpecs;
import org.hpckernel.hpc.scheduler.Schedulers;
import org.hpckernel.hpc.transport.LocalTransport;

/**
 * Scale: JOBS plain jobs and one array of TASKS tasks submitted at once through the kernel's own
 * submit and monitor code (one JobMonitor, as in a kernel), all followed to the end. Job i and
 * array task i exit 3 when i % FAIL_EVERY == 0, else 0. Prints {@code READY} before the first
 * submission, {@code SUBMITTED} after the last, then {@code RESULT <json>} and waits for a line on
 * stdin, so that the caller can read this process's CPU time from /proc at each point.
 *
 *   java -cp kernel/target/hpc-kernel.jar bench/ScaleRun.java SCHEDULER WORKDIR JOBS TASKS FAIL_EVERY TIMEOUT_S
 */
public class ScaleRun {
    public static void main(String[] args) throws Exception {
        String scheduler = args[0];
        String workdir = args[1];
        int jobs = Integer.parseInt(args[2]);
        int tasks = Integer.parseInt(args[3]);
        int failEvery = Integer.parseInt(args[4]);
        long timeoutSeconds = Long.parseLong(args[5]);
        ClusterProfile profile = new ClusterProfile("scale", scheduler, workdir, "java", List.of(), Map.of(), null,
                ClusterProfile.Monitoring.defaults());
        ClusterSession cluster = new ClusterSession(profile, Schedulers.create(scheduler), new LocalTransport());
        JobMonitor monitor = new JobMonitor(Duration.ofMillis(100));   // the kernel's own tick (HpcSession)
        System.out.println("READY");
        System.out.flush();

        Instant t0 = Instant.now();
        List<TrackedJob> plain = new ArrayList<>();
        for (int i = 1; i <= jobs; i++) {
            String body = "#!/bin/bash\necho \"job " + i + "\"\nexit " + (i % failEvery == 0 ? 3 : 0) + "\n";
            plain.add(submit(monitor, cluster, profile, body, List.of("--time", "5"), null, JobListener.statusOnly(v -> {})));
        }
        TrackedJob array = null;
        AtomicReference<JobView> lastArrayView = new AtomicReference<>();
        if (tasks > 0) {
            String spec = "1-" + tasks;
            String body = "#!/bin/bash\necho \"task $HPC_ARRAY_INDEX\"\n"
                    + "[ $((HPC_ARRAY_INDEX % " + failEvery + ")) -ne 0 ] || exit 3\n";
            array = submit(monitor, cluster, profile, body, List.of("--time", "5", "--array", spec),
                    ArraySpec.indices(spec), JobListener.statusOnly(lastArrayView::set));
        }
        double submitSeconds = Duration.between(t0, Instant.now()).toMillis() / 1000.0;
        System.out.println("SUBMITTED");
        System.out.flush();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        StringJoiner plainJson = new StringJoiner(",", "[", "]");
        for (int i = 0; i < plain.size(); i++) {
            JobOutcome o = await(plain.get(i), deadline);
            plainJson.add(o == null ? "{\"index\":" + (i + 1) + ",\"id\":\"" + plain.get(i).id() + "\",\"state\":\"NOT_ENDED\"}"
                    : "{\"index\":" + (i + 1) + ",\"id\":\"" + o.jobId() + "\",\"dir\":\"" + plain.get(i).jobDir()
                            + "\",\"state\":\"" + o.state()
                            + "\",\"exit\":" + o.exitCode() + "}");
        }
        String arrayJson = "null";
        if (array != null) {
            JobOutcome o = await(array, deadline);
            StringJoiner codes = new StringJoiner(",", "{", "}");
            if (o != null) new TreeMap<>(o.taskExitCodes()).forEach((k, v) -> codes.add("\"" + k + "\":" + v));
            StringJoiner states = new StringJoiner(",", "{", "}");
            JobView view = lastArrayView.get();
            if (view != null) view.taskStates().forEach((k, v) -> states.add("\"" + k + "\":" + v));
            arrayJson = "{\"id\":\"" + array.id() + "\",\"dir\":\"" + array.jobDir() + "\",\"state\":\"" + (o == null ? "NOT_ENDED" : o.state())
                    + "\",\"exit\":" + (o == null ? null : o.exitCode()) + ",\"taskExitCodes\":" + codes
                    + ",\"taskStates\":" + states + "}";
        }
        double totalSeconds = Duration.between(t0, Instant.now()).toMillis() / 1000.0;
        System.out.println("RESULT {\"submitSeconds\":" + submitSeconds + ",\"totalSeconds\":" + totalSeconds
                + ",\"jobs\":" + plainJson + ",\"array\":" + arrayJson + "}");
        System.out.flush();
        monitor.close();
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
    }

    private static final Submitter SUBMITTER = Submitter.standard();

    private static TrackedJob submit(JobMonitor monitor, ClusterSession cluster, ClusterProfile profile, String body,
            List<String> options, List<Integer> tasks, JobListener listener) throws Exception {
        String key = JobPackager.newKey();
        String dir = JobPackager.jobDir(profile.workdir(), key);
        var spec = JobSpecs.build(HpcArguments.parse(options), profile, "hpc-" + key, dir);
        var request = new JobPackager.Request(profile, cluster.scheduler(), CellPayload.of(body), "", List.of(),
                List.of(), List.of(), "", Map.of());
        String id = SUBMITTER.submit(cluster, JobPackager.write(cluster.transport(), request, spec, key), taken -> false);
        return monitor.follow(id, cluster, dir, tasks, listener);
    }

    /** The job's outcome, or null if it has not ended by the deadline. */
    private static JobOutcome await(TrackedJob job, long deadline) throws Exception {
        try {
            return job.outcome().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        }
    }
}
