package org.hpckernel.hpc.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hpckernel.hpc.options.ArraySpec;
import org.hpckernel.hpc.scheduler.PbsScheduler.Flavor;
import org.hpckernel.hpc.transport.CommandResult;

/**
 * PBS Professional / OpenPBS (19 and later: {@code qstat -F json}); Torque, the other living PBS,
 * is this dialect with the differences in {@link TorqueDialect}. {@link Flavor#fromVersion} tells
 * them apart from {@code qstat --version} ({@code pbs_version = 2022.1.1} vs {@code Version: 6.1.2}).
 *
 * <ul>
 *   <li>submit: {@code qsub SCRIPT} prints {@code 123.server}, {@code 123[].server} for an array;
 *       that whole id is the job id from then on;
 *   <li>status: one {@code qstat -f -F json -x -t ID...} for all jobs; an id qstat does not know
 *       is simply not in the answer;
 *   <li>accounting: the same full status for one job (PBS keeps no separate accounting a user can
 *       read: Exit_status, resources_used.walltime/cput/mem, exec_host);
 *   <li>cancel: {@code qdel ID}.
 * </ul>
 *
 * Resources: {@link PbsResources}.
 */
class PbsDialect extends Dialect {
    static final String NAME = "pbs";

    private static final List<String> TRANSIENT = List.of("cannot connect to server", "connection refused",
            "could not connect to batch server", "could not connect to trqauthd", "pbs server is currently too busy",
            "server busy", "possible transient failure", "no free connections", "communication failure",
            "connection timed out", "timed out", "time out", "server shutting down", "pbs_iff");

    /** 123.srv, 123[].srv, 123[4].srv, 123 (the server part as the server names itself). */
    static final Pattern JOB_ID = Pattern.compile("[0-9]{1,12}(?:\\[[0-9]{0,9}\\])?(?:\\.[A-Za-z0-9._-]{1,255})?");
    private static final Allowed NAME_CHARS = new Allowed("PBS", "[A-Za-z0-9_.+-]+", "letters, digits and _ . + -");
    private static final Allowed QUEUE_CHARS = new Allowed("PBS", "[A-Za-z0-9_.-]+", "letters, digits and _ . -");
    private static final Allowed PATH_CHARS = new Allowed("PBS", "/[A-Za-z0-9_./+@=~-]*",
            "an absolute path of letters, digits and _ . / + @ = ~ - (qsub reads ':' as a host, '^' as a placeholder)");

    /** What neither PBS can express. */
    static final List<Cannot> CANNOT = List.of(
            new Cannot("--qos", JobSpec::qos, "PBS has no quality of service; use --partition for a queue"),
            new Cannot("--partition", s -> s.partition() != null && s.partition().contains(",") ? s.partition() : null,
                    "a PBS job goes to one queue (qsub -q QUEUE); routing queues pick among several"));
    private static final List<Cannot> PRO_CANNOT = Stream.concat(CANNOT.stream(), Stream.of(
            new Cannot("--array", s -> s.isArray() && s.array().contains("%") ? s.array() : null, "PBS Professional's "
                    + "-J takes no %N throttle before OpenPBS 20 / PBS Pro 2020 (older servers answer \"qsub: illegal -J "
                    + "value\"); newer ones limit running subjobs with the max_run_subjobs attribute instead. Drop the %N part"),
            new Cannot("--array", s -> s.isArray() && ArraySpec.indices(s.array()).size() < 2 ? s.array() : null,
                    "a PBS Professional array needs at least two indices (-J X-Y with Y > X; \"qsub: illegal -J value\" "
                            + "otherwise); submit without --array for a single task"))).toList();

    private final Flavor flavor;

    /** The job id variable is the id qsub printed: for an array the array's ({@code 123[].srv}), in every subjob too. */
    PbsDialect() {
        this(Flavor.PRO, "PBS Professional", "${PBS_ARRAY_ID:-$PBS_JOBID}", "${PBS_ARRAY_INDEX:-}");
    }

    PbsDialect(Flavor flavor, String label, String jobIdVariable, String arrayIndexVariable) {
        super(NAME, label, "#PBS", JOB_ID, jobIdVariable, arrayIndexVariable, TRANSIENT, REFUSALS);
        this.flavor = flavor;
    }

    Flavor flavor() {
        return flavor;
    }

    // ------------------------------------------------------------------ directives

    @Override
    List<Cannot> cannotExpress() {
        return PRO_CANNOT;
    }

    @Override
    List<String> directives(JobSpec spec) throws UnsupportedOptionException {
        DirectiveLines out = new DirectiveLines("#PBS").add("-N ", submittedName(spec.jobName())).add("-S /bin/bash");
        if (spec.jobDir() != null) {
            out.add("-o ", PATH_CHARS.directory("job directory", spec.jobDir()) + "/" + outputFile(spec)).add("-j oe");
        }
        out.add("-q ", QUEUE_CHARS.check("--partition", spec.partition()));
        out.add("-l walltime=", spec.time() == null ? null : hms(spec.time()));
        out.lines().addAll(PbsResources.of(spec, flavor, this));
        out.add("-A ", QUEUE_CHARS.check("--account", spec.account()));
        if (spec.array() != null) {
            out.add(arrayOption(spec.array()));
        }
        return out.lines();
    }

    /** PBS Pro replaces ^array_index^ in -o paths with the subjob's index. */
    String outputFile(JobSpec spec) {
        return spec.isArray() ? "scheduler.^array_index^.out" : "scheduler.out";
    }

    String arrayOption(String array) throws UnsupportedOptionException {
        return "-J " + proArray(array);
    }

    /** PBS Pro's {@code -J X-Y[:Z]}: one evenly spaced range of at least two indices (a throttle and one index refused above). */
    String proArray(String array) throws UnsupportedOptionException {
        return ArrayRanges.evenRange(array, NAME, "PBS Professional's -J takes one evenly spaced range (X-Y:Z)");
    }

    /**
     * The name qsub gets: up to {@link #nameLimit} characters, the first one that
     * {@link #nameMayStartWith} (anything else gets a "j" in front). {@link #findByNameCommand}
     * looks for this same name.
     */
    @Override
    String submittedName(String name) {
        return SchedulerText.jobName(name, NAME_CHARS, this::nameMayStartWith, nameLimit());
    }

    /** PBS Pro: a name starts with a letter or digit. */
    boolean nameMayStartWith(int first) {
        return Character.isLetterOrDigit(first);
    }

    /** {@code HH:MM:SS} with as many hours as needed; at least 1 s. */
    static String hms(Duration limit) {
        return SchedulerText.hms(SchedulerText.limitSeconds(limit), true);
    }

    // ------------------------------------------------------------------ submit

    @Override
    List<String> submitCommand(JobSpec spec, String scriptPath) {
        return List.of("qsub", scriptPath);
    }

    /** {@code 123.server}, {@code 123[].server} for an array: that whole id is the job id from then on. */
    @Override
    List<Pattern> submittedId() {
        return List.of(Pattern.compile("^(" + JOB_ID.pattern() + ")$"));
    }

    /** qsub prints "ID.SERVER", the whole of which is the id depend= takes. */
    @Override
    ChainedSubmit chainedSubmit() {
        return ChainedSubmit.of("-W \"depend=afterok:$previous\"", "id=$(printf '%s\\n' \"$out\" | tail -n 1); after=$id");
    }

    static final List<Refusal> REFUSALS = List.of(
            Refusal.anyOf(List.of("unknown queue", "queue not found", "queue is not enabled", "access to queue is denied",
                    "no default queue"), "--partition", JobSpec::partition),
            Refusal.anyOf(List.of("-j value", "array"), "--array", JobSpec::array),
            Refusal.of("account", "--account", JobSpec::account),
            Refusal.of("walltime", "--time", s -> s.time() == null ? null : hms(s.time())),
            Refusal.anyOf(List.of("ngpus", "gpus"), "--gpus", JobSpec::gpus),
            Refusal.of("mem", "--mem", SchedulerText::mem),
            new Refusal(List.of("ncpus", "ppn", "mpiprocs", "nodes", "select"),
                    (text, spec) -> SchedulerText.layoutOptions(spec)),
            new Refusal(List.of("exceeds queue resource limits", "resource limit"),
                    (text, spec) -> spec == null ? null : SchedulerText.layoutOptions(spec,
                            spec.time() == null ? null : "--time " + hms(spec.time()),
                            spec.memMegabytes() == null ? null : "--mem " + spec.memMegabytes() + "M",
                            spec.gpus() == null ? null : "--gpus " + spec.gpus())),
            Refusal.of("job name", "--job-name", JobSpec::jobName));

    // ------------------------------------------------------------------ status

    /** {@code qstat -f -F json -x -t ID...} (-x: finished jobs too, while the server keeps history; -t: array subjobs). */
    @Override
    List<String> statusCommand(List<String> jobIds) {
        return SchedulerText.argv(List.of("qstat", "-f", "-F", "json", "-x", "-t"), jobIds);
    }

    /**
     * qstat goes through every id: it prints what it found and, on stderr, "qstat: Unknown Job Id
     * ..." for the rest, and exits with that error's number (153): the answer is read all the same.
     */
    @Override
    List<String> unknownJobPhrases() {
        return List.of("unknown job id", "job has finished", "job_history_enable");
    }

    List<PbsQstat.Job> records(String stdout) throws SchedulerException {
        return stdout.isBlank() ? List.of() : PbsQstat.parseJson(stdout);
    }

    /**
     * Every job and subjob qstat lists; an array's own record ({@code 123[].srv}) stands for the
     * array only while qstat lists none of its subjobs.
     */
    @Override
    List<Task> tasks(String stdout) throws SchedulerException {
        return records(stdout).stream().map(j -> j.parentId() == null
                ? new Task(j.id(), j.id(), null, false, PbsStates.map(j, flavor), j.array())
                : new Task(j.parentId(), j.id(), null, true, PbsStates.map(j, flavor))).toList();
    }

    /**
     * Whether a requested id and one qstat printed name the same job: equal, or the same sequence
     * number (and array brackets) with one server name a short form of the other
     * ({@code 12.pbs01} / {@code 12.pbs01.example.org} / {@code 12}).
     */
    @Override
    boolean sameJob(String requested, String printed) {
        return same(requested, printed);
    }

    static boolean same(String requested, String printed) {
        String[] a = requested.split("\\.", 2);
        String[] b = printed.split("\\.", 2);
        return requested.equals(printed) || a[0].equals(b[0]) && (a.length == 1 || b.length == 1
                || a[1].startsWith(b[1] + ".") || b[1].startsWith(a[1] + "."));
    }

    // ------------------------------------------------------------------ cancel, accounting

    @Override
    List<String> cancelCommand(String jobId) {
        return List.of("qdel", jobId);
    }

    /** PBS keeps no separate accounting a user can read: the same full status, for one job. */
    @Override
    Optional<List<String>> accountingCommand(String jobId) {
        return Optional.of(statusCommand(List.of(jobId)));
    }

    /** From the same full status ({@link PbsQstat#accounting}). */
    @Override
    Optional<JobAccounting> accounting(CommandResult result, String jobId) throws SchedulerException {
        return PbsQstat.accounting(records(result.stdout()), jobId, flavor);
    }

    // ------------------------------------------------------------------ find by name

    /** PBS Professional keeps 236 characters of a name (qsub -N). */
    @Override
    int nameLimit() {
        return 236;
    }

    /**
     * {@code qselect} lists the ids of jobs with a given name, but of every user unless told which:
     * the user is asked of {@code id -un} on the cluster side. The name arrives as a positional
     * parameter, never pasted into the shell text. {@code -x} includes finished jobs.
     */
    @Override
    List<String> findByNameCommand(String jobName) {
        return List.of("/bin/sh", "-c", "qselect -x -u \"$(id -un)\" -N \"$1\"", "hpc-find-by-name", submittedName(jobName));
    }

    /** The ids qselect printed. */
    @Override
    List<String> idsNamed(String stdout, String jobName) {
        return GridScheduler.lines(stdout).stream().filter(id -> JOB_ID.matcher(id).matches()).toList();
    }

    /** {@code qstat --version}: PBS Pro {@code pbs_version = 2022.1.1}, Torque {@code Version: 6.1.2}. */
    @Override
    List<List<String>> versionCommands() {
        return List.of(List.of("qstat", "--version"));
    }
}
