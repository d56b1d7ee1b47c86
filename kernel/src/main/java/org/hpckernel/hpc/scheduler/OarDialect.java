package org.hpckernel.hpc.scheduler;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hpckernel.hpc.options.ArraySpec;
import org.hpckernel.hpc.transport.CommandResult;

/**
 * OAR 2.5 (checked against the Debian 2.5.9 packages on PostgreSQL).
 *
 * <ul>
 *   <li>submit: {@code oarsub -S SCRIPT}: {@code -S} makes oarsub read the script's {@code #OAR}
 *       lines (the script must be executable and start with {@code #}). Prints
 *       {@code OAR_JOB_ID=12}; an array prints one such line per subjob, then
 *       {@code OAR_ARRAY_ID=12} (the first subjob's id), which is the id this class hands out.
 *   <li>status and accounting: {@code oarstat -f -J --sql "array_id IN (..) OR job_id IN (..)"}:
 *       JSON, every subjob of every array, finished jobs included (OAR keeps them in its database),
 *       with their exit status and events ({@code -f}).
 *   <li>cancel: {@code oardel --array ID}: the job, or every subjob of the array.
 * </ul>
 *
 * <p>Array subjobs are numbered 1..N by OAR ({@code OAR_ARRAY_INDEX}), and a plain job has
 * {@code OAR_ARRAY_INDEX=1} too. So that the job sees exactly the indices asked for (and a plain
 * job none), an array's script gets two arguments, the first index and the step
 * ({@code oarsub -S "job.sh 0 1"}), from which {@link #arrayIndexVariable} computes the index;
 * only ranges ({@code 0-15}, {@code 1-100:10}) can be expressed that way.
 */
final class OarDialect extends Dialect {
    private static final String NAME = "oar";

    /** What goes into {@code #OAR} lines and OAR's own Perl/SQL strings: no quoting needed or possible. */
    private static final Allowed WORD = new Allowed("OAR", "[A-Za-z0-9_][A-Za-z0-9_.,+-]*", "letters, digits and _ . , + - only");

    /**
     * Paths: oarsub allows {@code [a-zA-Z0-9_./\-%\\ ]} in -O/-E, scans the script through a shell
     * ({@code oardodo cat SCRIPT}) and pastes paths into Perl strings on the node; {@code %} would
     * be replaced ({@code %jobid%}). This is the safe subset.
     */
    private static final Allowed PATH = new Allowed("OAR", "/[A-Za-z0-9_./-]*",
            "an absolute path of letters, digits and _ . / - only (OAR pastes it into shell and Perl code)");

    static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");

    private static final List<String> TRANSIENT = List.of("cannot connect to database", "db connection error",
            "connection refused", "could not connect to server", "server closed the connection unexpectedly",
            "the database system is starting up", "temporarily unavailable");

    OarDialect() {
        // In an array subjob OAR_JOB_ID is the subjob's own id; OAR_ARRAY_ID is the one handed out.
        // The index: empty for a plain job (no arguments); first + (OAR_ARRAY_INDEX - 1) x step in an array.
        super(NAME, "OAR", "#OAR", ID, "${OAR_ARRAY_ID:-$OAR_JOB_ID}",
                "${1:+$(( $1 + (OAR_ARRAY_INDEX - 1) * ${2:-1} ))}", TRANSIENT, REFUSALS);
    }

    // ------------------------------------------------------------------ directives

    private static final List<Cannot> CANNOT = List.of(
            new Cannot("--mem", SchedulerText::mem, "OAR has no standard memory resource (a site may define its own "
                    + "resource property; ask your centre how to request memory there)"),
            new Cannot("--gpus", JobSpec::gpus, "OAR 2.5 has no standard GPU resource (sites define their own, e.g. "
                    + "a gpu property); ask your centre how to request GPUs there"),
            new Cannot("--qos", JobSpec::qos, "OAR has no quality of service; use --partition to choose a queue"),
            new Cannot("--array", s -> s.isArray() && s.array().contains("%") ? s.array() : null,
                    "OAR cannot limit how many subjobs run at once (%N); drop the %N part"),
            new Cannot("--array", s -> s.isArray() && s.array().contains(",") ? s.array() : null, "OAR numbers "
                    + "subjobs 1..N, so only one range (like 0-15 or 1-100:10) can be run with exactly these indices, not a list"));

    @Override
    List<Cannot> cannotExpress() {
        return CANNOT;
    }

    /**
     * {@code #OAR} lines, one option each; oarsub takes the rest of the line as the value, as is.
     * The job directory is also the launching directory ({@code -d}), so the job does not depend
     * on where oarsub ran. (OAR 2.5.9 then warns "Ignore script value for name parameter" on
     * stderr: a bug in its message, the directory is used.)
     */
    @Override
    List<String> directives(JobSpec spec) throws UnsupportedOptionException {
        long[] range = spec.isArray() ? arrayRange(spec.array()) : null;
        String resources = resources(spec);
        DirectiveLines out = new DirectiveLines("#OAR").add("-n ", WORD.check("job name", spec.jobName()));
        if (spec.jobDir() != null) {
            String dir = PATH.directory("job directory", spec.jobDir());
            out.add("-d ", dir).add("-O ", dir + "/scheduler.out").add("-E ", dir + "/scheduler.out");
        }
        out.add("-q ", WORD.check("--partition", spec.partition()));
        out.add("--project ", WORD.check("--account", spec.account()));
        String walltime = spec.time() == null ? null : "walltime=" + walltime(spec.time());
        out.add("-l ", resources == null ? walltime : walltime == null ? resources : resources + "," + walltime);
        if (range != null) {
            out.add("--array ", range[2]).raw("# OAR numbers array subjobs 1.." + range[2] + "; oarsub passes \""
                    + range[0] + " " + range[1] + "\" (first index, step) as $1 $2, so HPC_ARRAY_INDEX is " + spec.array());
        }
        return out.lines();
    }

    /**
     * The resource hierarchy of {@code -l} ({@code /nodes=N/core=C}: every node the same C cores;
     * {@code /core=T} anywhere), from the {@link CoreLayout}; null for OAR's default (one core).
     */
    String resources(JobSpec spec) throws UnsupportedOptionException {
        CoreLayout l = CoreLayout.of(spec, this);
        return l == null ? null : l.hosts() == 0 ? "/core=" + l.cores() : "/nodes=" + l.hosts() + "/core=" + l.perHost();
    }

    /** OAR's walltime {@code H:MM:SS} (hours may exceed 24), rounded up to whole seconds. */
    static String walltime(Duration time) {
        return SchedulerText.hms(SchedulerText.positiveSeconds(time), false);
    }

    /** {first, step, count} of one range {@code A-B[:S]} or one index (lists and %N are refused above). */
    static long[] arrayRange(String array) {
        if (array.contains("%") || array.contains(",")) {
            throw new IllegalArgumentException("OAR runs one range of indices, without %N: " + array);
        }
        List<Integer> ids = ArraySpec.indices(array.strip());
        return new long[] {ids.get(0), ids.size() > 1 ? ids.get(1) - ids.get(0) : 1, ids.size()};
    }

    // ------------------------------------------------------------------ submit

    /**
     * {@code oarsub -S SCRIPT}; for an array {@code oarsub -S "SCRIPT FIRST STEP"} (OAR runs the
     * command through the user's shell, so the two numbers become $1 and $2).
     */
    @Override
    List<String> submitCommand(JobSpec spec, String scriptPath) {
        String script = PATH.check("script path", scriptPath);
        long[] range = spec.isArray() ? arrayRange(spec.array()) : null;
        return List.of("oarsub", "-S", range == null ? script : script + " " + range[0] + " " + range[1]);
    }

    /**
     * The id from the {@code OAR_JOB_ID=}/{@code OAR_ARRAY_ID=} lines: an array prints one job id
     * line per subjob, then the array id, the one handed out. A refusal prints
     * {@code OAR_JOB_ID=-5} (a negative error code) or nothing and exits non-zero.
     */
    @Override
    List<Pattern> submittedId() {
        return List.of(Pattern.compile("^OAR_ARRAY_ID=([1-9][0-9]{0,17})$"), Pattern.compile("^OAR_JOB_ID=([1-9][0-9]{0,17})$"));
    }

    /**
     * One "OAR_JOB_ID=ID" line per subjob, then for an array "OAR_ARRAY_ID=ID" (the id shown); -a
     * takes one id and may be repeated, so the next job waits on every subjob. An array's directive
     * is its number of subjobs, not its range.
     */
    @Override
    ChainedSubmit chainedSubmit() {
        return new ChainedSubmit("$(printf -- '-a %s ' $previous)",
                "after=$(printf '%s\\n' \"$out\" | sed -n 's/^OAR_JOB_ID=\\([0-9]*\\)$/\\1/p' | tr '\\n' ' ')\n"
                        + "  id=$(printf '%s\\n' \"$out\" | sed -n 's/^OAR_ARRAY_ID=\\([0-9]*\\)$/\\1/p'); id=${id:-${after%% *}}",
                null, "^(#OAR --array |# OAR numbers array subjobs 1\\.\\.)[0-9]+");
    }

    /**
     * Exit code 9 ("Cannot connect to executor ... Job is killed.") comes after the job was stored:
     * it is not killed (OAR 2.5.9 only says so) and runs once the server is back.
     */
    @Override
    List<Integer> submittedExitCodes() {
        return List.of(0, 9);
    }

    /**
     * What oarsub said, verbatim, without the lines that are not about the refusal: on stdout the
     * informational admission rules ("[ADMISSION RULE] Modify resource description ...") and
     * {@code OAR_JOB_ID=-5}; on stderr OAR 2.5.9's bogus warning about {@code #OAR -d}
     * ("Ignore script value for name parameter") and "Simple array job submission is used".
     */
    @Override
    String refusalText(CommandResult r) {
        List<String> lines = Stream.of(r.stderr(), r.stdout()).flatMap(String::lines).map(String::strip)
                .filter(l -> !l.isEmpty() && NOISE.stream().noneMatch(l::startsWith)).toList();
        return lines.isEmpty() ? r.output() : String.join("\n", lines);
    }

    private static final List<String> NOISE = List.of("/!\\ Ignore script value for name parameter",
            "Simple array job submission is used", "OAR_JOB_ID=", "OAR_ARRAY_ID=",
            "[ADMISSION RULE] Modify resource description", "[ADMISSION RULE] Set default walltime",
            "[ADMISSION RULE] Automatically");

    static final List<Refusal> REFUSALS = List.of(
            Refusal.anyOf(List.of("the queue ", "admin queue"), "--partition", JobSpec::partition,
                    Pattern.compile("The queue (\\S+) does not exist")),
            new Refusal(List.of("not enough resources", "bad resource request"), (text, spec) -> SchedulerText.layoutOptions(spec,
                    spec == null || spec.partition() == null ? null : "--partition " + spec.partition())),
            Refusal.of("walltime", "--time", s -> s.time() == null ? null : walltime(s.time())),
            Refusal.of("project", "--account", JobSpec::account),
            Refusal.of("array", "--array", JobSpec::array));

    // ------------------------------------------------------------------ status

    /**
     * One {@code oarstat} for all the jobs: every row whose array is one of ours (a plain job is
     * its own array) or whose id is asked for. Ids are digits only, so the SQL is safe.
     */
    @Override
    List<String> statusCommand(List<String> jobIds) {
        String list = String.join(",", jobIds);
        return List.of("oarstat", "-f", "-J", "--sql", "array_id IN (" + list + ") OR job_id IN (" + list + ")");
    }

    /** Every job and subjob, under its array's id (a plain job is its own array). */
    @Override
    List<Task> tasks(String stdout) throws SchedulerException {
        return OarStat.rows(stdout).stream().map(r -> new Task(r.arrayId(), r.id(), null, false, r.status())).toList();
    }

    // ------------------------------------------------------------------ cancel, accounting

    /** {@code --array}: every subjob of an array; a plain job is an array of one. */
    @Override
    List<String> cancelCommand(String jobId) {
        return List.of("oardel", "--array", jobId);
    }

    /** OAR keeps finished jobs in its database: the same oarstat as for status. */
    @Override
    Optional<List<String>> accountingCommand(String jobId) {
        return Optional.of(statusCommand(List.of(jobId)));
    }

    /** From the same oarstat answer ({@link OarStat#accounting}). */
    @Override
    Optional<JobAccounting> accounting(CommandResult result, String jobId) throws SchedulerException {
        return OarStat.accounting(OarStat.rows(result.stdout()), jobId);
    }

    // ------------------------------------------------------------------ find by name

    /** OAR keeps a name in a VARCHAR(100) column of its database (job_name). */
    @Override
    int nameLimit() {
        return 100;
    }

    /**
     * This user's jobs with that name, finished ones included. oarstat has no "my jobs with this
     * name" option, so a fixed shell line asks with {@code --sql}; the name arrives as $1 and is
     * checked to be a plain word first, the user is {@code id -un}.
     */
    @Override
    List<String> findByNameCommand(String jobName) {
        WORD.check("job name", jobName);
        return List.of("/bin/sh", "-c",
                "exec oarstat -J --sql \"job_name = '$1' AND job_user = '$(id -un)'\"", "oarstat", jobName);
    }

    /** The array ids of the jobs named exactly {@code jobName}. */
    @Override
    List<String> idsNamed(String stdout, String jobName) throws SchedulerException {
        return OarStat.rows(stdout).stream()
                .filter(r -> jobName.equals(r.name()) && ID.matcher(r.arrayId()).matches())
                .map(OarStat.Row::arrayId)
                .toList();
    }

    @Override
    List<List<String>> versionCommands() {
        return List.of(List.of("oarsub", "-V"), List.of("oarstat", "-V"));
    }
}
