package org.hpckernel.hpc.scheduler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hpckernel.hpc.options.ArraySpec;
import org.hpckernel.hpc.transport.CommandResult;

/**
 * The built-in backend: the batch script runs as a detached process on this machine, in a
 * session of its own (so it survives a kernel restart, whose process group Jupyter kills). At
 * most one job per core runs at once, first come first served, across every kernel of the user:
 * the script's prologue waits for its turn in a queue directory, and the job counts as PENDING
 * until then.
 *
 * <p>A job id is {@code PID.START}: the session leader's pid and its start time (clock ticks since
 * boot from /proc, or ps's start time elsewhere). A pid alone is reused by the system once the job
 * has ended; every status, attach and cancel compares both, so a reused pid is never taken for the
 * job and its process group is never signalled.
 *
 * <p>{@code --time} is enforced by a watchdog started once the job has its core: at the limit it
 * leaves a record in {@value #STATE_DIR} (how the status command tells a timeout from a failure),
 * sends SIGTERM to the job, and SIGKILL {@value #KILL_GRACE_SECONDS} s later if it is still there.
 */
public final class LocalScheduler implements Scheduler {
    /** Records of jobs stopped at their time limit, relative to the user's home. */
    static final String STATE_DIR = "$HOME/.local/state/hpc-kernel/local-jobs";
    static final int KILL_GRACE_SECONDS = 10;

    /**
     * Prints the start key of a live process (nothing, status 1, for a missing or zombie one).
     * In /proc/PID/stat the command name may hold spaces and parentheses: fields are counted after
     * the last ") ", where field 3 (the state) comes first and field 22 (starttime) is the 20th.
     */
    static final String START_KEY_FUNCTION = "hpc_start_key() { local s; "
            + "if [ -d /proc/self ]; then read -r s < \"/proc/$1/stat\" 2>/dev/null || return 1; s=${s##*) }; "
            + "set -- $s; [ \"$1\" != Z ] && [ -n \"${20:-}\" ] || return 1; echo \"${20}\"; "
            + "else s=$(LC_ALL=C ps -o lstart= -p \"$1\" 2>/dev/null) || return 1; s=${s//[^A-Za-z0-9]/}; "
            + "[ -n \"$s\" ] || return 1; echo \"$s\"; fi; }";

    /**
     * Starts the script detached and prints the job id. The detached shell exports its own id
     * before it becomes the job (exec keeps pid and start time), so HPC_JOB_ID inside the job is
     * the same id. The script path and task indices arrive as positional parameters: nothing is
     * pasted into this text.
     */
    private static final String LAUNCH = START_KEY_FUNCTION + "; export -f hpc_start_key; script=$1; shift; "
            + "if [ $# -eq 0 ]; then setsid /bin/bash -c 'export HPC_LOCAL_JOB_ID=$$.$(hpc_start_key $$); exec /bin/bash \"$0\"' "
            + "\"$script\" </dev/null >/dev/null 2>&1 & "
            + "else setsid /bin/bash -c 'export HPC_LOCAL_JOB_ID=$$.$(hpc_start_key $$); for i in \"$@\"; do "
            + "HPC_ARRAY_INDEX=$i /bin/bash \"$0\" & done; wait' \"$script\" \"$@\" </dev/null >/dev/null 2>&1 & fi; "
            + "pid=$!; key=$(hpc_start_key $pid) || key=0; echo \"$pid.$key\"";

    /** One line per job id given as a parameter: "ID RUNNING" or "ID TIMEOUT"; nothing for others. */
    private static final String STATUS = START_KEY_FUNCTION + "; for id; do pid=${id%%.*}; "
            + "k=$(hpc_start_key \"$pid\") && [ \"$pid.$k\" = \"$id\" ] && { echo \"$id RUNNING\"; continue; }; "
            + "[ -e \"" + STATE_DIR + "/$id.timeout\" ] && echo \"$id TIMEOUT\"; done; exit 0";

    /** Signals the job's process group only if the pid still belongs to the job. */
    private static final String CANCEL = START_KEY_FUNCTION + "; id=$1; pid=${id%%.*}; "
            + "k=$(hpc_start_key \"$pid\") && [ \"$pid.$k\" = \"$id\" ] "
            + "|| { echo \"job $id is not running (no live process with its pid and start time)\" >&2; exit 1; }; "
            + "kill -TERM -- \"-$pid\"";

    private static final java.util.regex.Pattern JOB_ID = java.util.regex.Pattern.compile("\\d+\\.[A-Za-z0-9]+");

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
        // Not a directive to anyone: a plain assignment the prologue's watchdog reads.
        if (spec.time() != null) return List.of("hpc_time_limit=" + Math.max(1, spec.time().toSeconds()));
        return List.of();
    }

    /** Waits for a free core: the first {@code slots} live tickets, oldest first, may run. */
    @Override
    public List<String> prologue(String workdir) {
        String queue = org.hpckernel.hpc.transport.ShellQuote.quote(workdir + "/local-queue");
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
                "done",
                // Silent: the job's stderr is the job's own; the cell's error says that the limit was reached.
                "# --time: a watchdog, counted from here (the job has its core)",
                "if [ -n \"${hpc_time_limit:-}\" ]; then",
                "  " + START_KEY_FUNCTION,
                "  hpc_kill_tree() { local c; for c in $(pgrep -P \"$1\"); do [ \"$c\" = \"$BASHPID\" ] || hpc_kill_tree \"$c\" \"$2\"; done; kill -\"$2\" \"$1\" 2>/dev/null; }",
                "  hpc_watched=$$; hpc_watched_key=$(hpc_start_key $$)",
                "  hpc_stop() { if [ -n \"${HPC_ARRAY_INDEX:-}\" ]; then hpc_kill_tree \"$hpc_watched\" \"$1\"; else kill -\"$1\" -- \"-$hpc_watched\"; fi; }",
                "  ( trap '' TERM INT USR2",
                "    sleep \"$hpc_time_limit\"",
                "    [ \"$(hpc_start_key $hpc_watched)\" = \"$hpc_watched_key\" ] || exit 0",
                "    hpc_state=\"" + STATE_DIR + "\"",
                "    mkdir -p \"$hpc_state\" && : > \"$hpc_state/$HPC_JOB_ID.timeout\"",
                "    find \"$hpc_state\" -name '*.timeout' -mtime +7 -delete 2>/dev/null",
                "    hpc_stop TERM",
                "    sleep " + KILL_GRACE_SECONDS,
                "    [ \"$(hpc_start_key $hpc_watched)\" = \"$hpc_watched_key\" ] && hpc_stop KILL",
                "  ) &",
                "  hpc_watchdog=$!; disown \"$hpc_watchdog\"",
                "fi");
    }

    /** Removes this job's ticket; called from the EXIT trap. */
    @Override
    public String releaseSlot() {
        // The watchdog goes before its sleep (and is disowned): otherwise a bash reports "Killed"
        // into the job's stderr.
        return "rm -f \"$hpc_queue/$hpc_ticket\"; [ -z \"${hpc_watchdog:-}\" ] || { hpc_sleep=$(pgrep -P \"$hpc_watchdog\"); "
                + "kill -KILL \"$hpc_watchdog\"; [ -z \"$hpc_sleep\" ] || kill -KILL $hpc_sleep; } 2>/dev/null";
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
        if (!result.ok() || !JOB_ID.matcher(out).matches()) {
            throw new SchedulerException("could not start the job on this machine: " + result.output(), false);
        }
        return out;
    }

    @Override
    public List<String> statusCommand(Collection<String> jobIds) {
        List<String> argv = new ArrayList<>(List.of("/bin/bash", "-c", STATUS, "hpc-local-status"));
        argv.addAll(jobIds);
        return argv;
    }

    /**
     * A live process with the job's pid and start time is RUNNING (the started marker tells the
     * monitor if it still waits for a core); a job stopped at its limit is TIMEOUT; any other is
     * not known here, and the monitor decides from the job's files.
     */
    @Override
    public Map<String, JobStatus> parseStatus(CommandResult result, Collection<String> jobIds) {
        Map<String, JobStatus> status = new HashMap<>();
        for (String line : result.stdout().split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length != 2 || !jobIds.contains(f[0])) continue;
            if (f[1].equals("RUNNING")) status.put(f[0], JobStatus.of(JobState.RUNNING));
            if (f[1].equals("TIMEOUT")) status.put(f[0], new JobStatus(JobState.TIMEOUT, "stopped at its --time limit", null, null));
        }
        return status;
    }

    @Override
    public List<String> cancelCommand(String jobId) {
        return List.of("/bin/bash", "-c", CANCEL, "hpc-local-cancel", jobId);
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
