package org.hpckernel.hpc.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hpckernel.hpc.transport.CommandResult;

/**
 * IBM Spectrum LSF 10.1 (Fix Pack 2 or later: memory units in {@code -M} and {@code rusage}).
 * No LSF server could be had: this class and its tests follow the LSF documentation (see
 * src/test/resources/lsf/README.md for the source of every recorded output).
 *
 * <ul>
 *   <li>submit: {@code bsub < job.sh}. bsub reads {@code #BSUB} lines only from a script given on
 *       standard input (a script given as an argument is parsed only with
 *       {@code LSB_BSUB_PARSE_SCRIPT=Y}). {@link Scheduler#submitCommand} cannot pass standard
 *       input, so the argv is {@code /bin/sh -c 'exec bsub < "$1"' bsub SCRIPT}: the path is a
 *       positional parameter, nothing is pasted into the shell text. Prints
 *       {@code Job <1234> is submitted to queue <normal>.} (or {@code to default queue}).
 *   <li>status and accounting: {@code bjobs -a -o "jobid jobindex stat ..." -json ID ...}: one
 *       record per job, one per element of an array (same JOBID, JOBINDEX 1..N); finished jobs
 *       stay visible for CLEAN_PERIOD (1 hour by default), after which they are left out.
 *   <li>cancel: {@code bkill ID} (every element of an array); bkill sends SIGINT, SIGTERM, then
 *       SIGKILL (JOB_TERMINATE_INTERVAL apart, 10 s by default).
 * </ul>
 *
 * <p>{@code --mem} is a limit and a reservation ({@code -M 4096MB}, {@code rusage[mem=4096MB]}),
 * {@code --array} the index list of {@code -J "name[...]%N"} (indices from 1).
 */
final class LsfDialect extends Dialect {
    private static final String NAME = "lsf";

    private static final Allowed WORD = new Allowed("LSF", "[A-Za-z0-9_][A-Za-z0-9_.+-]*", "letters, digits and _ . + -");
    private static final Allowed PATH = new Allowed("LSF", "/[A-Za-z0-9_./+-]*",
            "an absolute path of letters, digits and _ . / + -");
    private static final Pattern ARRAY = Pattern.compile(
            "([0-9]+(?:-[0-9]+(?::[0-9]+)?)?(?:,[0-9]+(?:-[0-9]+(?::[0-9]+)?)?)*)(?:%([1-9][0-9]*))?");
    static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");

    /** bjobs -o fields for status (the free-text ones last). */
    static final String STATUS_FIELDS = "jobid jobindex stat exit_code exec_host exit_reason pend_reason";
    /** bjobs -o fields for accounting. */
    static final String ACCOUNTING_FIELDS = "jobid jobindex stat exit_code exec_host run_time cpu_used max_mem exit_reason";

    private static final List<String> TRANSIENT = List.of("lsf is down", "batch system daemon not responding",
            "cannot connect to lsf", "please wait", "not responding", "connection refused", "timed out",
            "request from non-lsf host rejected", "failed in an lsf library call");

    LsfDialect() {
        // All elements of an array share the array's job id. LSB_JOBINDEX is 0 for a job that is
        // not an array (array indices start at 1): that 0 becomes "".
        super(NAME, "LSF", "#BSUB", ID, "$LSB_JOBID", "${LSB_JOBINDEX#0}", TRANSIENT, REFUSALS);
    }

    // ------------------------------------------------------------------ directives

    private static final List<Cannot> CANNOT = List.of(new Cannot("--qos", JobSpec::qos, "LSF has no quality of "
            + "service (service classes, -sla, are something else); use --partition to choose a queue"));

    @Override
    List<Cannot> cannotExpress() {
        return CANNOT;
    }

    @Override
    List<String> directives(JobSpec spec) throws UnsupportedOptionException {
        String array = spec.isArray() ? arraySpec(spec.array()) : null;
        DirectiveLines out = new DirectiveLines("#BSUB");
        if (spec.jobName() != null || array != null) {
            String name = WORD.check("job name", spec.jobName() == null ? "hpc" : spec.jobName());
            out.add("-J ", array == null ? name : "\"" + name + array + "\"");
        }
        if (spec.jobDir() != null) {
            String dir = PATH.directory("job directory", spec.jobDir());
            String file = dir + (array != null ? "/scheduler.%I.out" : "/scheduler.out");
            out.add("-cwd ", dir).add("-o ", file).add("-e ", file);
        }
        out.add("-q ", WORD.check("--partition", spec.partition()));
        out.add("-P ", WORD.check("--account", spec.account()));
        out.add("-W ", spec.time() == null ? null : runLimit(spec.time()));
        Slots slots = slots(spec);
        List<String> resReq = new ArrayList<>();
        if (slots != null) {
            out.add("-n ", slots.count());
            if (slots.span() != null) {
                resReq.add(slots.span());
            }
        }
        if (spec.memMegabytes() != null) {
            if (slots != null && slots.hosts() > 1) {
                throw new UnsupportedOptionException(NAME, "--mem " + spec.memMegabytes() + "M with --nodes "
                        + spec.nodes(), "LSF's memory limit (-M) is per process or per job, depending on the "
                        + "site (LSB_JOB_MEMLIMIT), not per node; give --mem only for single-node jobs");
            }
            out.add("-M ", spec.memMegabytes() + "MB");
            resReq.add("rusage[mem=" + spec.memMegabytes() + "MB]");
        }
        out.add("-R ", resReq.isEmpty() ? null : "\"" + String.join(" ", resReq) + "\"");
        out.add("-gpu ", spec.gpus() == null ? null : "\"" + gpus(spec.gpus(), slots == null ? 1 : slots.hosts()) + "\"");
        return out.lines();
    }

    /**
     * Slots ({@code -n}), hosts and span from the {@link CoreLayout}, or null for LSF's default (one
     * slot): {@code span[ptile=K]} for --nodes, else {@code span[hosts=1]} for a multi-slot job on one host.
     */
    record Slots(long count, long hosts, String span) {}

    Slots slots(JobSpec spec) throws UnsupportedOptionException {
        CoreLayout l = CoreLayout.of(spec, this);
        if (l == null) {
            return null;
        }
        String span = l.nodesAsked() ? "span[ptile=" + l.perHost() + "]"
                : l.hosts() == 1 && l.cores() > 1 ? "span[hosts=1]" : null;
        return new Slots(l.cores(), l.hosts(), span);
    }

    /** {@code -gpu} value: {@code num} is per host in LSF, Slurm's --gpus per job. */
    static String gpus(String gpus, long hosts) throws UnsupportedOptionException {
        Matcher m = SchedulerText.gpus(gpus);
        long n = Long.parseLong(m.group(2));
        long perHost = Math.max(1, hosts);
        if (n % perHost != 0) {
            throw new UnsupportedOptionException(NAME, "--gpus " + gpus + " over " + perHost + " hosts",
                    "LSF counts GPUs per host (-gpu num=), and " + n + " GPUs do not split evenly");
        }
        return "num=" + (n / perHost) + (m.group(1) == null ? "" : ":gmodel=" + m.group(1));
    }

    /** {@code -W [hour:]minute}: whole minutes, rounded up. */
    static String runLimit(Duration time) {
        long minutes = (SchedulerText.positiveSeconds(time) + 59) / 60;
        return String.format(Locale.ROOT, "%d:%02d", minutes / 60, minutes % 60);
    }

    /**
     * The bracket part of {@code -J "name[...]%N"}: LSF takes the same index lists, steps and
     * throttle as sbatch, but its indices are positive integers (1 and up).
     */
    static String arraySpec(String array) throws UnsupportedOptionException {
        Matcher m = ARRAY.matcher(array.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not an array spec: " + array);
        }
        ArrayRanges.fromOne(array.strip(), NAME, "LSF array indices start at 1 (index 0 cannot be run)");
        return "[" + m.group(1) + "]" + (m.group(2) == null ? "" : "%" + m.group(2));
    }

    // ------------------------------------------------------------------ submit

    /** The script on bsub's standard input, through a fixed shell line (see the class comment). */
    static final String STDIN_SUBMIT = "exec bsub < \"$1\"";

    @Override
    List<String> submitCommand(JobSpec spec, String scriptPath) {
        String script = PATH.check("script path", scriptPath);
        return List.of("/bin/sh", "-c", STDIN_SUBMIT, "bsub", script);
    }

    /** {@code Job <1234> is submitted to queue <normal>.} (or {@code to default queue}). */
    @Override
    List<Pattern> submittedId() {
        return List.of(Pattern.compile("Job <([0-9]+)> is submitted to (?:default )?queue <[^>]*>"));
    }

    /** bsub prints "Job <ID> is submitted to queue <QUEUE>."; it reads #BSUB lines from a script on its stdin. */
    @Override
    ChainedSubmit chainedSubmit() {
        return new ChainedSubmit("-w \"done($previous)\"",
                "id=$(printf '%s\\n' \"$out\" | sed -n 's/^Job <\\([0-9]*\\)>.*/\\1/p'); after=$id", "bsub", null);
    }

    /** LSF's array indices start at 1. */
    @Override
    int firstArrayIndex() {
        return 1;
    }

    static final List<Refusal> REFUSALS = List.of(
            Refusal.anyOf(List.of("run limit", "runlimit", "option -w"), "--time",
                    s -> s.time() == null ? null : runLimit(s.time())),
            Refusal.anyOf(List.of("no such queue", "the queue", "queue <"), "--partition", JobSpec::partition,
                    Pattern.compile("(\\S+): No such queue")),
            new Refusal(List.of("processors requested", "span section", "slots"), (text, spec) -> SchedulerText.layoutOptions(spec)),
            Refusal.anyOf(List.of("rusage", "memory", "option -m"), "--mem", SchedulerText::mem),
            Refusal.of("gpu", "--gpus", JobSpec::gpus),
            Refusal.of("project", "--account", JobSpec::account),
            Refusal.anyOf(List.of("array", "index"), "--array", JobSpec::array));

    // ------------------------------------------------------------------ status

    @Override
    List<String> statusCommand(List<String> jobIds) {
        return bjobs(STATUS_FIELDS, jobIds);
    }

    private static List<String> bjobs(String fields, List<String> jobIds) {
        return SchedulerText.argv(List.of("bjobs", "-a", "-o", fields, "-json"), jobIds);
    }

    /**
     * bjobs exits non-zero (255) when one of the ids is unknown (always with
     * LSB_BJOBS_CONSISTENT_EXIT_CODE=Y) and still prints the others; only a failure without any
     * JSON is an error.
     */
    @Override
    boolean statusAnswered(CommandResult result) {
        return LsfJobs.answered(result);
    }

    /** Every job and array element (index 1..N; 0 for a plain job), under the job id. */
    @Override
    List<Task> tasks(String stdout) throws SchedulerException {
        return LsfJobs.rows(stdout).stream().map(r -> new Task(r.id(), r.index() == 0 ? r.id() : r.id() + "["
                + r.index() + "]", null, r.index() != 0, r.status())).toList();
    }

    // ------------------------------------------------------------------ cancel, accounting

    @Override
    List<String> cancelCommand(String jobId) {
        return List.of("bkill", jobId);
    }

    /** bjobs keeps a finished job for CLEAN_PERIOD; later, accounting is empty. */
    @Override
    Optional<List<String>> accountingCommand(String jobId) {
        return Optional.of(bjobs(ACCOUNTING_FIELDS, List.of(jobId)));
    }

    /** From the accounting fields of bjobs ({@link LsfJobs#accounting}). */
    @Override
    Optional<JobAccounting> accounting(CommandResult result, String jobId) throws SchedulerException {
        return LsfJobs.accounting(LsfJobs.rows(result.stdout()), jobId);
    }

    // ------------------------------------------------------------------ find by name

    /** bsub -J: "can contain up to 4094 characters". */
    @Override
    int nameLimit() {
        return 4094;
    }

    /** This user's jobs (bjobs shows only one's own) of that name, finished ones included (-a). */
    @Override
    List<String> findByNameCommand(String jobName) {
        return List.of("bjobs", "-a", "-J", WORD.check("job name", jobName), "-o", "jobid job_name", "-json");
    }

    /** The ids of the jobs named exactly {@code jobName} (or of an element {@code jobName[i]}). */
    @Override
    List<String> idsNamed(String stdout, String jobName) throws SchedulerException {
        return LsfJobs.rows(stdout).stream()
                .filter(r -> r.name() != null
                        && (r.name().equals(jobName) || r.name().matches(Pattern.quote(jobName) + "\\[[0-9]+\\]")))
                .map(LsfJobs.Row::id)
                .toList();
    }

    @Override
    List<List<String>> versionCommands() {
        return List.of(List.of("bsub", "-V"), List.of("bjobs", "-V"));
    }
}
