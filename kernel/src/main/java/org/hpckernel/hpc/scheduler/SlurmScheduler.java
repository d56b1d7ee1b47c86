package org.hpckernel.hpc.scheduler;

import static org.hpckernel.hpc.scheduler.SchedulerText.option;
import static org.hpckernel.hpc.scheduler.SchedulerText.positive;
import static org.hpckernel.hpc.scheduler.SchedulerText.tail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hpckernel.hpc.transport.CommandResult;

/**
 * Slurm (checked against Slurm 22.05; {@code squeue --me} needs 20.11 or later).
 *
 * <ul>
 *   <li>submit: {@code sbatch --parsable SCRIPT} prints {@code 12} or {@code 12;cluster};
 *   <li>status: {@code squeue -h -t all -r -o %i|%A|%T|%N|%r -j ID,...}: one line per job or
 *       array task, finished jobs included while slurmctld still holds them (MinJobAge);
 *   <li>accounting: {@code sacct -n -P -j ID --format=...} with its step lines (MaxRSS lives there);
 *   <li>cancel: {@code scancel ID} (an unknown id is no error: no output, exit code 0).
 * </ul>
 *
 * Holds no state except the task count of the arrays it submitted, so that accounting that does
 * not know every task yet is not taken for the end state.
 */
public final class SlurmScheduler implements Scheduler {
    /** squeue fields: job id (array task as 8_1), the task's own job id, state, nodes, reason (last: may hold spaces). */
    static final String STATUS_FORMAT = "%i|%A|%T|%N|%r";

    private static final List<String> TRANSIENT = List.of(
            "socket timed out",
            "unable to contact slurm controller",
            "slurm temporarily unable",
            "resource temporarily unavailable",
            "zero bytes were transmitted or received",
            "communication connection failure",
            "connection timed out",
            "slurm controller not responding");

    private static final String INVALID_JOB_ID = "Invalid job id specified";
    private static final String ACCOUNTING_DISABLED = "Slurm accounting storage is disabled";
    private static final Pattern JOB_ID_LINE = Pattern.compile("([0-9]+)(?:;\\S*)?");
    private static final Pattern SUBMITTED = Pattern.compile("Submitted batch job ([0-9]+)");
    private static final Pattern BAD_PARTITION = Pattern.compile("invalid partition specified: (\\S+)");
    private static final int REMEMBERED_ARRAYS = 256;

    /** Array job id -> number of tasks, for the last arrays submitted through this instance (guarded by itself). */
    private final Map<String, Integer> arrayTasks = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > REMEMBERED_ARRAYS;
        }
    };

    public SlurmScheduler() {}

    @Override
    public String name() {
        return "slurm";
    }

    // ------------------------------------------------------------------ directives

    @Override
    public List<String> directives(JobSpec spec) {
        List<String> out = new ArrayList<>();
        add(out, "job-name", spec.jobName());
        if (spec.jobDir() != null) {
            String dir = token("job directory", spec.jobDir());
            if (dir.indexOf('%') >= 0) {
                // sbatch expands %j, %a, ... in --output paths
                throw new IllegalArgumentException("job directory must not contain '%': " + dir);
            }
            while (dir.length() > 1 && dir.endsWith("/")) {
                dir = dir.substring(0, dir.length() - 1);
            }
            String file = dir + (spec.isArray() ? "/scheduler.%a.out" : "/scheduler.out");
            add(out, "output", file);
            add(out, "error", file);
        }
        add(out, "partition", spec.partition());
        if (spec.time() != null) {
            add(out, "time", SlurmTime.formatLimit(spec.time()));
        }
        add(out, "nodes", spec.nodes());
        add(out, "ntasks", spec.ntasks() == null ? null : positive("--ntasks", spec.ntasks()));
        add(out, "cpus-per-task", spec.cpusPerTask() == null ? null : positive("--cpus-per-task", spec.cpusPerTask()));
        if (spec.memMegabytes() != null) {
            add(out, "mem", positive("--mem", spec.memMegabytes()) + "M");
        }
        add(out, "gpus", spec.gpus());
        add(out, "account", spec.account());
        add(out, "qos", spec.qos());
        add(out, "array", spec.array());
        return out;
    }

    private static void add(List<String> out, String option, Object value) {
        if (value != null) {
            out.add("#SBATCH --" + option + "=" + token("--" + option, value.toString()));
        }
    }


    /**
     * A value goes into an {@code #SBATCH} line as it is: reject anything a shell or sbatch's
     * directive parser would read specially (sbatch honours quotes, {@code \} escapes and
     * {@code #} comments there) and whatever could end the line.
     */
    static String token(String what, String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)
                    || "'\"`$;#\\".indexOf(c) >= 0) {
                throw new IllegalArgumentException(what + " contains a character that is not allowed ("
                        + describe(c) + "): " + value.replace("\n", "\\n"));
            }
        }
        return value;
    }

    private static String describe(char c) {
        return Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)
                ? String.format(Locale.ROOT, "U+%04X", (int) c)
                : "'" + c + "'";
    }

    @Override
    public String jobIdVariable() {
        // In an array task SLURM_JOB_ID is the task's own id (9, 10, ...); the id sbatch printed
        // (the one the user has) is SLURM_ARRAY_JOB_ID.
        return "${SLURM_ARRAY_JOB_ID:-$SLURM_JOB_ID}";
    }

    @Override
    public String arrayIndexVariable() {
        return "${SLURM_ARRAY_TASK_ID:-}";
    }

    // ------------------------------------------------------------------ submit

    @Override
    public List<String> submitCommand(JobSpec spec, String scriptPath) {
        return List.of("sbatch", "--parsable", scriptPath);
    }

    @Override
    public String parseJobId(CommandResult result, JobSpec spec) throws SchedulerException {
        if (result.timedOut()) {
            throw new SchedulerException("sbatch did not answer in time (the job may have been submitted anyway)"
                    + tail(result), true);
        }
        if (result.exitCode() == 0) {
            String last = null;
            for (String line : result.stdout().split("\n")) {
                if (!line.isBlank()) {
                    last = line.strip();
                }
            }
            String id = null;
            if (last != null) {
                Matcher m = JOB_ID_LINE.matcher(last);
                Matcher s = SUBMITTED.matcher(last);
                id = m.matches() ? m.group(1) : s.find() ? s.group(1) : null;
            }
            if (id != null) {
                rememberArray(id, spec);
                return id;
            }
            throw new SchedulerException("sbatch printed no job id: " + result.output(), false);
        }
        String text = result.output();
        String hint = hint(text, spec);
        throw new SchedulerException(hint == null ? text : text + " (from " + hint + ")", isTransient(result));
    }

    private void rememberArray(String id, JobSpec spec) {
        if (spec == null || !spec.isArray()) {
            return;
        }
        List<String> tasks = SlurmIds.expand("0_[" + spec.array() + "]");
        if (tasks.size() > 1 || !tasks.get(0).contains("[")) {
            synchronized (arrayTasks) {
                arrayTasks.put(id, tasks.size());
            }
        }
    }


    /**
     * The %%hpc option a refusal is about, with its value ("--partition debugx"), or null when
     * sbatch's words do not tell. Without the spec only the option name is given.
     */
    static String hint(String text, JobSpec spec) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.contains("accounting/qos policy")) {
            return null; // an association or QOS limit: could be any of several options
        }
        if (t.contains("invalid partition")) {
            Matcher m = BAD_PARTITION.matcher(text);
            String value = spec != null && spec.partition() != null ? spec.partition() : m.find() ? m.group(1) : null;
            return option("--partition", value, spec);
        }
        if (t.contains("time limit") || t.contains("invalid --time")) {
            return option("--time", spec == null || spec.time() == null ? null : SlurmTime.formatLimit(spec.time()),
                    spec);
        }
        if (t.contains("node count")) {
            return option("--nodes", spec == null ? null : spec.nodes(), spec);
        }
        if (t.contains("more processors requested")) {
            if (spec == null) {
                return "--cpus-per-task/--ntasks";
            }
            List<String> parts = new ArrayList<>();
            if (spec.ntasks() != null) {
                parts.add("--ntasks " + spec.ntasks());
            }
            if (spec.cpusPerTask() != null) {
                parts.add("--cpus-per-task " + spec.cpusPerTask());
            }
            return parts.isEmpty() ? null : String.join(", ", parts);
        }
        if (t.contains("memory specification")) {
            return option("--mem", spec == null || spec.memMegabytes() == null ? null : spec.memMegabytes() + "M",
                    spec);
        }
        if (t.contains("(gres)") || t.contains("gpu")) {
            return option("--gpus", spec == null ? null : spec.gpus(), spec);
        }
        if (t.contains("qos")) {
            return option("--qos", spec == null ? null : spec.qos(), spec);
        }
        if (t.contains("account")) {
            return option("--account", spec == null ? null : spec.account(), spec);
        }
        if (t.contains("job array")) {
            return option("--array", spec == null ? null : spec.array(), spec);
        }
        return null;
    }


    // ------------------------------------------------------------------ status

    @Override
    public List<String> statusCommand(Collection<String> jobIds) {
        if (jobIds.isEmpty()) {
            throw new IllegalArgumentException("no job ids");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String id : jobIds) {
            ids.add(SlurmIds.requireJobId(id));
        }
        // -t all: finished jobs too (while slurmctld keeps them, MinJobAge); -r: one line per
        // array task, pending ones included (else 8_[2-4]).
        return List.of("squeue", "-h", "-t", "all", "-r", "-o", STATUS_FORMAT, "-j", String.join(",", ids));
    }

    /** One squeue line. */
    private record Row(String id, String ownId, String nativeState, JobState state, String nodes, String reason) {
        JobStatus status() {
            return new JobStatus(state, reasonOf(nativeState, reason), nodes, null);
        }
    }

    private static String reasonOf(String nativeState, String reason) {
        if (reason != null) {
            return reason;
        }
        return SlurmStates.isLossy(nativeState) ? SlurmStates.normalize(nativeState) : null;
    }

    private static List<Row> rows(CommandResult result) throws SchedulerException {
        if (result.timedOut()) {
            throw new SchedulerException("squeue did not answer in time" + tail(result), true);
        }
        if (result.exitCode() != 0) {
            if (result.output().contains(INVALID_JOB_ID)) {
                return List.of(); // one id asked for, and slurmctld does not know it (any more)
            }
            throw new SchedulerException(result.output(), SchedulerText.mentionsAny(result.output(), TRANSIENT));
        }
        List<Row> rows = new ArrayList<>();
        for (String line : result.stdout().split("\n")) {
            String[] f = line.strip().split("\\|", 5);
            if (f.length < 5 || f[0].isEmpty() || !Character.isDigit(f[0].charAt(0))) {
                continue; // not one of ours (a warning, a blank line)
            }
            String nodes = f[3].isBlank() || f[3].equals("(null)") ? null : f[3].strip();
            String reason = f[4].isBlank() || f[4].strip().equals("None") ? null : f[4].strip();
            for (String id : SlurmIds.expand(f[0].strip())) {
                rows.add(new Row(id, f[1].strip(), f[2].strip(), SlurmStates.map(f[2]), nodes, reason));
            }
        }
        return rows;
    }

    /**
     * Status by job id. An array (or heterogeneous job) is reported under the id sbatch printed,
     * with the state of the whole ({@link JobState#ofArray}); a requested id that names one
     * task (8_2, or the task's own job id) is reported as that task too.
     */
    @Override
    public Map<String, JobStatus> parseStatus(CommandResult result, Collection<String> jobIds)
            throws SchedulerException {
        List<Row> rows = rows(result);
        Map<String, List<Row>> byJob = new LinkedHashMap<>();
        for (Row r : rows) {
            byJob.computeIfAbsent(SlurmIds.base(r.id()), k -> new ArrayList<>()).add(r);
        }
        Map<String, JobStatus> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Row>> e : byJob.entrySet()) {
            List<Row> group = e.getValue();
            if (group.size() == 1 && !SlurmIds.isPart(group.get(0).id())) {
                out.put(e.getKey(), group.get(0).status());
            } else {
                out.put(e.getKey(), aggregate(group));
            }
        }
        if (jobIds != null) {
            for (String id : jobIds) {
                if (out.containsKey(id)) {
                    continue;
                }
                for (Row r : rows) {
                    if (r.id().equals(id) || r.ownId().equals(id)) {
                        out.put(id, r.status());
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static JobStatus aggregate(List<Row> group) {
        List<JobState> states = new ArrayList<>();
        for (Row r : group) {
            states.add(r.state());
        }
        JobState state = JobState.ofArray(states);
        Row representative = group.get(0);
        for (Row r : group) {
            if (r.state() == state) {
                representative = r;
                break;
            }
        }
        Set<String> nodes = new LinkedHashSet<>();
        for (Row r : group) {
            if (r.nodes() != null) {
                nodes.add(r.nodes());
            }
        }
        return new JobStatus(state, reasonOf(representative.nativeState(), representative.reason()),
                nodes.isEmpty() ? null : String.join(",", nodes), null);
    }

    /**
     * The state of each array task (and of each plain job) the status output shows, keyed as
     * squeue prints them: {@code 8_1}, {@code 8_2}, ..., {@code 12}; pending ranges spelled out.
     */
    public Map<String, JobState> taskStates(CommandResult result) throws SchedulerException {
        Map<String, JobState> out = new LinkedHashMap<>();
        for (Row r : rows(result)) {
            out.put(r.id(), r.state());
        }
        return out;
    }

    // ------------------------------------------------------------------ cancel, accounting

    @Override
    public List<String> cancelCommand(String jobId) {
        return List.of("scancel", SlurmIds.requireJobId(jobId));
    }

    @Override
    public Optional<List<String>> accountingCommand(String jobId) {
        // No -X: MaxRSS is only on the step lines (8.batch); -j also lifts sacct's default
        // "since midnight" window.
        return Optional.of(List.of("sacct", "-n", "-P", "-j", SlurmIds.requireJobId(jobId),
                "--format=" + String.join(",", SlurmAccounting.FIELDS)));
    }

    /**
     * Empty when accounting is disabled ({@code Slurm accounting storage is disabled}), the job
     * is unknown to it (no lines), or sacct failed. For an array submitted through this instance
     * whose tasks slurmdbd does not all know yet, the state is UNKNOWN.
     */
    @Override
    public Optional<JobAccounting> parseAccounting(CommandResult result, String jobId) {
        if (!result.ok() || result.output().contains(ACCOUNTING_DISABLED)) {
            return Optional.empty();
        }
        Integer tasks;
        synchronized (arrayTasks) {
            tasks = arrayTasks.get(jobId);
        }
        return SlurmAccounting.parse(result.stdout(), jobId, tasks);
    }

    // ------------------------------------------------------------------ find by name

    @Override
    public List<String> findByNameCommand(String jobName) {
        String name = token("job name", jobName);
        if (name.indexOf(',') >= 0) {
            throw new IllegalArgumentException("squeue -n reads ',' as a list separator: " + name);
        }
        return List.of("squeue", "-h", "--me", "-t", "all", "-n", name, "-o", "%i|%j");
    }

    /** The newest (highest) job id among this user's jobs named exactly {@code jobName}. */
    @Override
    public Optional<String> parseFindByName(CommandResult result, String jobName) {
        if (!result.ok()) {
            return Optional.empty();
        }
        return SchedulerText.highestId(Arrays.stream(result.stdout().split("\n"))
                .map(line -> line.strip().split("\\|", 2))
                .filter(f -> f.length == 2 && f[1].equals(jobName))
                .map(f -> SlurmIds.base(f[0]))
                .filter(id -> !id.isEmpty()));
    }

    /**
     * By the batch script's path ({@code %o}, the command of a batch job): it holds the job key, so
     * it is unique per submission whatever {@code --job-name} the user chose. Only this user's
     * jobs, finished ones included while slurmctld keeps them (MinJobAge).
     */
    @Override
    public List<String> findSubmittedCommand(String jobName, String scriptPath) {
        return List.of("squeue", "-h", "--me", "-t", "all", "-o", "%i|%o");
    }

    /** The newest (highest) job id whose batch script is {@code scriptPath}. */
    @Override
    public Optional<String> parseFindSubmitted(CommandResult result, String jobName, String scriptPath) {
        if (!result.ok()) {
            return Optional.empty();
        }
        return SchedulerText.highestId(Arrays.stream(result.stdout().split("\n"))
                .map(line -> line.strip().split("\\|", 2))
                .filter(f -> f.length == 2 && f[1].strip().equals(scriptPath))
                .map(f -> SlurmIds.base(f[0]))
                .filter(id -> !id.isEmpty()));
    }

    // ------------------------------------------------------------------ misc

    /** A timeout, or one of Slurm's "controller busy / unreachable" messages. */
    @Override
    public boolean isTransient(CommandResult result) {
        return SchedulerText.failedTransiently(result, TRANSIENT);
    }

    @Override
    public List<List<String>> versionCommands() {
        return List.of(List.of("sbatch", "--version"), List.of("squeue", "--version"));
    }
}
