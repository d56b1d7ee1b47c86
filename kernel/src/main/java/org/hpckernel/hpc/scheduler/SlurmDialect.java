package org.hpckernel.hpc.scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
final class SlurmDialect extends Dialect {
    /** squeue fields: job id (array task as 8_1), the task's own job id, state, nodes, reason (last: may hold spaces). */
    static final String STATUS_FORMAT = "%i|%A|%T|%N|%r";

    private static final List<String> TRANSIENT = List.of("socket timed out", "unable to contact slurm controller",
            "slurm temporarily unable", "resource temporarily unavailable", "zero bytes were transmitted or received",
            "communication connection failure", "connection timed out", "slurm controller not responding");

    /** Checked in order: the first phrase the refusal contains names the option. */
    static final List<Refusal> REFUSALS = List.of(
            Refusal.noOption("accounting/qos policy"), // an association or QOS limit: could be any of several options
            Refusal.of("invalid partition", "--partition", JobSpec::partition,
                    Pattern.compile("invalid partition specified: (\\S+)")),
            Refusal.anyOf(List.of("time limit", "invalid --time"), "--time",
                    s -> s.time() == null ? null : SlurmTime.formatLimit(s.time())),
            Refusal.of("node count", "--nodes", JobSpec::nodes),
            new Refusal(List.of("more processors requested"), (text, spec) -> SchedulerText.cpuOptions(spec)),
            Refusal.of("memory specification", "--mem", SchedulerText::mem),
            Refusal.anyOf(List.of("(gres)", "gpu"), "--gpus", JobSpec::gpus),
            Refusal.of("qos", "--qos", JobSpec::qos),
            Refusal.of("account", "--account", JobSpec::account),
            Refusal.of("job array", "--array", JobSpec::array));

    /**
     * A value goes into an {@code #SBATCH} line as it is: nothing a shell or sbatch's directive
     * parser would read specially (sbatch honours quotes, {@code \} escapes and {@code #} comments
     * there) and nothing that could end the line.
     */
    static final Allowed TOKEN = new Allowed("Slurm", "[^\\s\\p{Cntrl}\\p{Z}'\"`$;#\\\\]+",
            "one word without blanks, quotes, ` $ ; # or \\");
    /** The same, and no '%': sbatch expands %j, %a, ... in --output paths. */
    private static final Allowed DIRECTORY = new Allowed("Slurm", "[^\\s\\p{Cntrl}\\p{Z}'\"`$;#\\\\%]+",
            "one word without blanks, quotes, ` $ ; # \\ or %");

    private static final String ACCOUNTING_DISABLED = "Slurm accounting storage is disabled";
    private static final int REMEMBERED_ARRAYS = 256;

    /** Array job id -> number of tasks, for the last arrays submitted through this instance (guarded by itself). */
    private final Map<String, Integer> arrayTasks = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > REMEMBERED_ARRAYS;
        }
    };

    SlurmDialect() {
        // In an array task SLURM_JOB_ID is the task's own id (9, 10, ...); the id sbatch printed
        // (the one the user has) is SLURM_ARRAY_JOB_ID.
        super("slurm", "Slurm", "#SBATCH", SlurmIds.JOB_ID, "${SLURM_ARRAY_JOB_ID:-$SLURM_JOB_ID}",
                "${SLURM_ARRAY_TASK_ID:-}", TRANSIENT, REFUSALS);
    }

    // ------------------------------------------------------------------ directives

    @Override
    List<String> directives(JobSpec spec) {
        List<String> out = new ArrayList<>();
        add(out, "job-name", spec.jobName());
        if (spec.jobDir() != null) {
            String file = DIRECTORY.directory("job directory", spec.jobDir())
                    + (spec.isArray() ? "/scheduler.%a.out" : "/scheduler.out");
            add(out, "output", file);
            add(out, "error", file);
        }
        add(out, "partition", spec.partition());
        add(out, "time", spec.time() == null ? null : SlurmTime.formatLimit(spec.time()));
        add(out, "nodes", spec.nodes());
        add(out, "ntasks", spec.ntasks());
        add(out, "cpus-per-task", spec.cpusPerTask());
        add(out, "mem", SchedulerText.mem(spec));
        add(out, "gpus", spec.gpus());
        add(out, "account", spec.account());
        add(out, "qos", spec.qos());
        add(out, "array", spec.array());
        return out;
    }

    private static void add(List<String> out, String option, Object value) {
        if (value != null) {
            out.add("#SBATCH --" + option + "=" + TOKEN.check("--" + option, value.toString()));
        }
    }

    // ------------------------------------------------------------------ submit

    @Override
    List<String> submitCommand(JobSpec spec, String scriptPath) {
        return List.of("sbatch", "--parsable", scriptPath);
    }

    @Override
    List<Pattern> submittedId() {
        return List.of(Pattern.compile("^([0-9]+)(?:;\\S*)?$"), Pattern.compile("Submitted batch job ([0-9]+)"));
    }

    /** sbatch --parsable prints "ID[;CLUSTER]". */
    @Override
    ChainedSubmit chainedSubmit() {
        return ChainedSubmit.of("\"--dependency=afterok:$previous\"", "id=${out%%;*}; after=$id");
    }

    @Override
    void submitted(String id, JobSpec spec) {
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

    // ------------------------------------------------------------------ status

    @Override
    List<String> statusCommand(List<String> jobIds) {
        // -t all: finished jobs too (while slurmctld keeps them, MinJobAge); -r: one line per
        // array task, pending ones included (else 8_[2-4]).
        return List.of("squeue", "-h", "-t", "all", "-r", "-o", STATUS_FORMAT, "-j", String.join(",", jobIds));
    }

    /** One id asked for, and slurmctld does not know it (any more). */
    @Override
    List<String> unknownJobPhrases() {
        return List.of("invalid job id specified");
    }

    @Override
    List<Task> tasks(String stdout) {
        List<Task> tasks = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            String[] f = line.strip().split("\\|", 5);
            if (f.length < 5 || f[0].isEmpty() || !Character.isDigit(f[0].charAt(0))) {
                continue; // not one of ours (a warning, a blank line)
            }
            String nodes = f[3].isBlank() || f[3].equals("(null)") ? null : f[3].strip();
            String reason = f[4].isBlank() || f[4].strip().equals("None") ? null : f[4].strip();
            String nativeState = f[2].strip();
            if (reason == null && SlurmStates.isLossy(nativeState)) {
                reason = SlurmStates.normalize(nativeState); // SUSPENDED shown as RUNNING
            }
            JobStatus status = new JobStatus(SlurmStates.map(nativeState), reason, nodes, null);
            for (String id : SlurmIds.expand(f[0].strip())) {
                tasks.add(new Task(SlurmIds.base(id), id, f[1].strip(), SlurmIds.isPart(id), status));
            }
        }
        return tasks;
    }

    // ------------------------------------------------------------------ cancel, accounting

    @Override
    List<String> cancelCommand(String jobId) {
        return List.of("scancel", jobId);
    }

    @Override
    Optional<List<String>> accountingCommand(String jobId) {
        // No -X: MaxRSS is only on the step lines (8.batch); -j also lifts sacct's default
        // "since midnight" window.
        return Optional.of(List.of("sacct", "-n", "-P", "-j", jobId,
                "--format=" + String.join(",", SlurmAccounting.FIELDS)));
    }

    /**
     * Empty when accounting is disabled or the job is unknown to it (no lines). For
     * an array submitted through this instance whose tasks slurmdbd does not all know yet, the
     * state is UNKNOWN.
     */
    @Override
    Optional<JobAccounting> accounting(CommandResult result, String jobId) {
        if (result.output().contains(ACCOUNTING_DISABLED)) {
            return Optional.empty();
        }
        Integer tasks;
        synchronized (arrayTasks) {
            tasks = arrayTasks.get(jobId);
        }
        return SlurmAccounting.parse(result.stdout(), jobId, tasks);
    }

    // ------------------------------------------------------------------ find by name

    /** Slurm is looked up by the script path ({@link #findSubmittedCommand}): a user's -J goes as given. */
    @Override
    int nameLimit() {
        return 0;
    }

    @Override
    List<String> findByNameCommand(String jobName) {
        String name = TOKEN.check("job name", jobName);
        if (name.indexOf(',') >= 0) {
            throw new IllegalArgumentException("squeue -n reads ',' as a list separator: " + name);
        }
        return List.of("squeue", "-h", "--me", "-t", "all", "-n", name, "-o", "%i|%j");
    }

    @Override
    List<String> idsNamed(String stdout, String jobName) {
        return idsWhere(stdout, jobName);
    }

    /**
     * By the batch script's path ({@code %o}, the command of a batch job): it holds the job key, so
     * it is unique per submission whatever {@code --job-name} the user chose. Only this user's
     * jobs, finished ones included while slurmctld keeps them (MinJobAge).
     */
    @Override
    List<String> findSubmittedCommand(String jobName, String scriptPath) {
        return List.of("squeue", "-h", "--me", "-t", "all", "-o", "%i|%o");
    }

    @Override
    List<String> idsSubmitted(String stdout, String jobName, String scriptPath) {
        return idsWhere(stdout, scriptPath);
    }

    /** The job ids of the {@code id|value} lines whose value is exactly {@code value}. */
    private static List<String> idsWhere(String stdout, String value) {
        return GridScheduler.lines(stdout).stream()
                .map(line -> line.split("\\|", 2))
                .filter(f -> f.length == 2 && f[1].strip().equals(value))
                .map(f -> SlurmIds.base(f[0]))
                .toList();
    }

    @Override
    List<List<String>> versionCommands() {
        return List.of(List.of("sbatch", "--version"), List.of("squeue", "--version"));
    }
}
