package org.hpckernel.hpc.scheduler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hpckernel.hpc.ArraySpec;
import org.hpckernel.hpc.transport.CommandResult;

/**
 * The built-in backend: the batch script runs as a detached process on this machine, in a
 * session of its own (so it survives a kernel restart, whose process group Jupyter kills). The
 * job id is that session leader's pid; cancel signals the whole process group. At most one job
 * per core runs at once, first come first served, across every kernel of the user: the script's
 * prologue waits for its turn in a queue directory, and the job counts as PENDING until then.
 */
public final class LocalScheduler implements Scheduler {
    /**
     * Starts the script detached and prints the pid. The script path and task indices arrive as
     * positional parameters: nothing is pasted into this text.
     */
    private static final String LAUNCH = "script=$1; shift; "
            + "if [ $# -eq 0 ]; then setsid /bin/bash \"$script\" </dev/null >/dev/null 2>&1 & "
            + "else setsid /bin/bash -c 'export HPC_LOCAL_JOB_ID=$$; for i in \"$@\"; do "
            + "HPC_ARRAY_INDEX=$i /bin/bash \"$0\" & done; wait' \"$script\" \"$@\" </dev/null >/dev/null 2>&1 & fi; "
            + "echo $!";

    private final int slots;

    public LocalScheduler() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public LocalScheduler(int slots) {
        this.slots = Math.max(1, slots);
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public List<String> directives(JobSpec spec) throws UnsupportedOptionException {
        // Resource requests mean nothing to a plain process; refusing them silently would lie.
        if (spec.partition() != null) throw new UnsupportedOptionException("local", "--partition", "there are no partitions on this machine");
        if (spec.account() != null) throw new UnsupportedOptionException("local", "--account", "nothing is charged on this machine");
        if (spec.qos() != null) throw new UnsupportedOptionException("local", "--qos", "there is no quality of service on this machine");
        if (spec.gpus() != null) throw new UnsupportedOptionException("local", "--gpus", "the local backend does not allocate GPUs");
        if (spec.nodes() != null && !spec.nodes().equals("1")) {
            throw new UnsupportedOptionException("local", "--nodes " + spec.nodes(), "this machine is one node");
        }
        return List.of();
    }

    /** Waits for a free core: the first {@code slots} live tickets, oldest first, may run. */
    @Override
    public List<String> prologue(String workdir) {
        String queue = org.hpckernel.hpc.ShellQuote.quote(workdir + "/local-queue");
        return List.of(
                "# local backend: at most " + slots + " jobs at once, first come first served",
                "hpc_queue=" + queue,
                "mkdir -p \"$hpc_queue\"",
                "hpc_ticket=\"$(date +%s%N).$$\"",
                ": > \"$hpc_queue/$hpc_ticket\"",
                "while :; do",
                "  hpc_ahead=0",
                "  for t in $(ls \"$hpc_queue\"); do",
                "    [ \"$t\" = \"$hpc_ticket\" ] && break",
                "    if kill -0 \"${t##*.}\" 2>/dev/null; then hpc_ahead=$((hpc_ahead + 1)); else rm -f \"$hpc_queue/$t\"; fi",
                "  done",
                "  [ \"$hpc_ahead\" -lt " + slots + " ] && break",
                "  sleep 0.2",
                "done");
    }

    /** Removes this job's ticket; called from the EXIT trap. */
    @Override
    public String releaseSlot() {
        return "rm -f \"$hpc_queue/$hpc_ticket\"";
    }

    @Override
    public String jobIdVariable() {
        return "${HPC_LOCAL_JOB_ID:-$$}";
    }

    @Override
    public String arrayIndexVariable() {
        return "${HPC_ARRAY_INDEX:-}";
    }

    @Override
    public List<String> submitCommand(JobSpec spec, String scriptPath) {
        List<String> argv = new ArrayList<>(List.of("/bin/bash", "-c", LAUNCH, "hpc-local-submit", scriptPath));
        if (spec.isArray()) {
            for (int i : ArraySpec.indices(spec.array())) argv.add(Integer.toString(i));
        }
        return argv;
    }

    @Override
    public String parseJobId(CommandResult result, JobSpec spec) throws SchedulerException {
        String out = result.stdout().strip();
        if (!result.ok() || !out.matches("\\d+")) {
            throw new SchedulerException("could not start the job on this machine: " + result.output(), false);
        }
        return out;
    }

    @Override
    public List<String> statusCommand(Collection<String> jobIds) {
        return List.of("ps", "-o", "pid=", "-p", String.join(",", jobIds));
    }

    /** A live process is RUNNING here; the job's started marker tells the monitor if it still waits. */
    @Override
    public Map<String, JobStatus> parseStatus(CommandResult result, Collection<String> jobIds) {
        Map<String, JobStatus> status = new HashMap<>();
        for (String line : result.stdout().split("\n")) {
            String pid = line.strip();
            if (jobIds.contains(pid)) status.put(pid, JobStatus.of(JobState.RUNNING));
        }
        return status;
    }

    @Override
    public List<String> cancelCommand(String jobId) {
        return List.of("kill", "-TERM", "--", "-" + jobId);
    }

    @Override
    public List<String> findByNameCommand(String jobName) {
        return List.of("true");
    }

    /** A local start cannot time out half-way: the pid is printed at once. */
    @Override
    public Optional<String> parseFindByName(CommandResult result, String jobName) {
        return Optional.empty();
    }

    @Override
    public boolean isTransient(CommandResult result) {
        return false;
    }

    @Override
    public List<List<String>> versionCommands() {
        return List.of(List.of("bash", "--version"));
    }
}
