package org.hpckernel.hpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hpckernel.hpc.transport.CommandResult;

/**
 * {@code %hpc check}: can this kernel use the cluster? Each step says what it found, or what is
 * wrong and how to fix it; one failure does not hide the next.
 */
public final class ClusterCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** One line of the report. */
    public record Step(String what, boolean ok, String detail) {}

    private ClusterCheck() {}

    public static List<Step> run(ClusterSession cluster) {
        List<Step> steps = new ArrayList<>();
        String where = cluster.transport().describe();
        long start = System.nanoTime();
        try {
            CommandResult r = cluster.transport().run(List.of("true"), TIMEOUT);
            long ms = (System.nanoTime() - start) / 1_000_000;
            String info = cluster.transport() instanceof org.hpckernel.hpc.transport.SshTransport ssh
                    ? ssh.connectionInfo().summary() + "; " : "";
            steps.add(r.ok() ? new Step("login", true, info + where + ", command round trip " + ms + " ms")
                    : new Step("login", false, where + ": running a command failed: " + r.output()));
        } catch (IOException e) {
            steps.add(new Step("login", false, where + ": " + e.getMessage()));
            return steps;
        }
        for (List<String> version : cluster.scheduler().versionCommands()) {
            steps.add(command(cluster, "scheduler: " + version.get(0), version,
                    version.get(0) + " is not on the PATH of " + where
                            + ": add the scheduler's module/paths to the profile's \"setup\", or check \"scheduler\""));
        }
        String workdir = cluster.profile().workdir();
        String probe = workdir + "/.hpc-kernel-check-" + ProcessHandle.current().pid();
        try {
            WorkdirGuard.ensure(cluster.transport(), workdir);
            cluster.transport().writeFile(probe, "ok".getBytes(StandardCharsets.UTF_8), false);
            cluster.transport().delete(probe);
            steps.add(new Step("work directory", true, workdir + " is yours, private and writable"));
        } catch (WorkdirGuard.UnsafeDirectoryException e) {
            steps.add(new Step("work directory", false, e.getMessage()));
        } catch (IOException e) {
            steps.add(new Step("work directory", false, workdir + " is not writable (" + e.getMessage()
                    + "): set \"workdir\" to a directory on a file system shared with the compute nodes"));
        }
        steps.add(command(cluster, "java", List.of(cluster.profile().java(), "-version"),
                "\"" + cluster.profile().java() + "\" does not run on " + where
                        + ": set \"java\" to a JDK 17+ on the nodes, or load it in \"setup\" (Java cells need it; #! cells do not)"));
        return steps;
    }

    private static Step command(ClusterSession cluster, String what, List<String> argv, String fix) {
        try {
            CommandResult r = cluster.transport().run(argv, TIMEOUT);
            String first = r.output().lines().findFirst().orElse("");
            return r.ok() ? new Step(what, true, first) : new Step(what, false, fix + " (" + first + ")");
        } catch (IOException e) {
            return new Step(what, false, fix + " (" + e.getMessage() + ")");
        }
    }

    public static String format(String cluster, List<Step> steps) {
        StringBuilder s = new StringBuilder("cluster " + cluster + ":\n");
        for (Step step : steps) {
            s.append(step.ok() ? "  ok    " : "  FAIL  ").append(step.what()).append(": ").append(step.detail()).append('\n');
        }
        return s.toString().stripTrailing();
    }
}
