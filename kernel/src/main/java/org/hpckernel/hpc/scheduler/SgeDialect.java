package org.hpckernel.hpc.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hpckernel.hpc.transport.CommandResult;

/**
 * Grid Engine (checked against Son of Grid Engine 8.1.9, Debian's gridengine packages).
 *
 * <ul>
 *   <li>submit: {@code qsub -terse -b n SCRIPT} prints {@code 15}, or {@code 15.1-4:1} for an array;
 *       the script's {@code #$} lines carry the request, always with {@code -N};
 *   <li>status: {@code qstat -xml}: every job of the user that Grid Engine still holds, in one
 *       call (there is no "these ids" filter; the ids are picked out here). A job that is not
 *       listed has ended: the caller reads its files, then {@code qacct};
 *   <li>accounting: {@code qacct -j ID} (failed / exit_status / ru_wallclock / cpu / maxvmem);
 *   <li>cancel: {@code qdel ID}.
 * </ul>
 *
 * More than one CPU needs a parallel environment ({@code -pe NAME SLOTS}), whose name is
 * site-specific: the profile's {@code sge.parallelEnvironment}. Memory is {@code h_vmem} per slot.
 */
final class SgeDialect extends Dialect {
    static final String NAME = "sge";

    private static final List<String> TRANSIENT = List.of("unable to send message to qmaster",
            "unable to contact qmaster", "commlib error", "connection refused", "failed receiving gdi request",
            "got send error", "can't connect to service", "qmaster is not alive", "timed out", "timeout");

    /** Names and values that go into {@code #$} lines (whitespace-split by qsub): plain tokens only. */
    private static final Allowed NAME_CHARS = new Allowed("Grid Engine", "[A-Za-z0-9_.+-]+", "letters, digits and _ . + -");
    private static final Allowed QUEUE_CHARS = new Allowed("Grid Engine", "[A-Za-z0-9_.,-]+", "letters, digits and _ . , -");
    private static final Allowed PE_CHARS = new Allowed("Grid Engine", "[A-Za-z0-9_.-]+", "letters, digits and _ . -");
    private static final Allowed PATH_CHARS = new Allowed("Grid Engine", "/[A-Za-z0-9_./+@=~-]*",
            "an absolute path of letters, digits and _ . / + @ = ~ - (qsub reads ':' as a host, ',' as a list, "
                    + "'$' as a variable)");

    private final String parallelEnvironment;

    /**
     * @param parallelEnvironment the site's parallel environment for multi-CPU jobs ({@code smp},
     *     {@code threads}, ...), ideally one with {@code allocation_rule $pe_slots}; null for none
     */
    SgeDialect(String parallelEnvironment) {
        // Grid Engine sets SGE_TASK_ID to the word "undefined" outside arrays.
        super(NAME, "Grid Engine", "#$", Pattern.compile("[0-9]{1,12}"), "${JOB_ID}", "${SGE_TASK_ID#undefined}",
                TRANSIENT, REFUSALS);
        if (parallelEnvironment != null && !PE_CHARS.pattern().matcher(parallelEnvironment).matches()) {
            throw new IllegalArgumentException("not a Grid Engine parallel environment name: " + parallelEnvironment);
        }
        this.parallelEnvironment = parallelEnvironment;
    }

    // ------------------------------------------------------------------ directives

    private static final List<Cannot> CANNOT = List.of(
            new Cannot("--qos", JobSpec::qos, "Grid Engine has no quality of service; use --partition for a queue "
                    + "or --account for a project"),
            new Cannot("--gpus", JobSpec::gpus, "Grid Engine has no standard GPU resource: each site defines its own "
                    + "complex (qconf -sc), which hpc-kernel cannot know"),
            new Cannot("--nodes", s -> "1".equals(s.nodes()) ? null : s.nodes(), "Grid Engine has no node count: the "
                    + "parallel environment's allocation_rule decides how slots spread over hosts; ask for --ntasks instead"));

    @Override
    List<Cannot> cannotExpress() {
        return CANNOT;
    }

    @Override
    List<String> directives(JobSpec spec) throws UnsupportedOptionException {
        DirectiveLines out = new DirectiveLines("#$").add("-N ", submittedName(spec.jobName())).add("-S /bin/bash");
        if (spec.jobDir() != null) {
            // qsub expands $TASK_ID (and $JOB_ID...) in -o paths: one file per array task.
            out.add("-o ", PATH_CHARS.directory("job directory", spec.jobDir())
                    + (spec.isArray() ? "/scheduler.$TASK_ID.out" : "/scheduler.out")).add("-j y");
        }
        out.add("-q ", QUEUE_CHARS.check("--partition", spec.partition()));
        out.add("-l h_rt=", spec.time() == null ? null : hms(spec.time()));
        CoreLayout layout = CoreLayout.of(spec, this);
        long slots = layout == null ? 1 : layout.cores();
        if (slots > 1 && parallelEnvironment == null) {
            throw new UnsupportedOptionException(NAME, cpuOptions(spec),
                    "Grid Engine gives a job " + slots + " slots only through a parallel environment "
                            + "(qsub -pe NAME " + slots + "), and this cluster's profile names none; ask the "
                            + "admins which one to use (qconf -spl lists them; one with allocation_rule $pe_slots "
                            + "keeps all slots on one host) and set it as \"sge.parallelEnvironment\" in the "
                            + "cluster profile");
        }
        out.add("-pe " + parallelEnvironment + " ", slots > 1 ? slots : null);
        // h_vmem is per slot: the job's limit is slots x h_vmem.
        out.add("-l h_vmem=", spec.memMegabytes() == null ? null : (spec.memMegabytes() + slots - 1) / slots + "M");
        out.add("-P ", PE_CHARS.check("--account", spec.account()));
        if (spec.array() != null) {
            out.lines().addAll(arrayDirectives(spec.array()));
        }
        return out.lines();
    }

    /** The CPU options above one, as the cell wrote them: "--ntasks 2 --cpus-per-task 2". */
    static String cpuOptions(JobSpec spec) {
        return ((spec.ntasks() != null && spec.ntasks() > 1 ? "--ntasks " + spec.ntasks() : "") + " "
                + (spec.cpusPerTask() != null && spec.cpusPerTask() > 1 ? "--cpus-per-task " + spec.cpusPerTask() : "")).strip();
    }

    /** {@code -t first-last:step} (one evenly spaced range, task ids from 1) and {@code -tc N} for {@code %N}. */
    static List<String> arrayDirectives(String array) throws UnsupportedOptionException {
        String throttle = ArrayRanges.throttle(array);
        ArrayRanges.fromOne(array, NAME, "Grid Engine task ids start at 1 (qsub: \"0 is an invalid task id\")");
        String range = ArrayRanges.evenRange(array, NAME, "Grid Engine takes one evenly spaced range per array "
                + "(-t first-last:step; \"qsub: -t option only allows one range specification\")");
        return new DirectiveLines("#$").add("-t ", range).add("-tc ", throttle).lines();
    }

    /** The name qsub gets: one that starts with a digit is refused ("is not a valid object name"), so gets a "j". */
    @Override
    String submittedName(String name) {
        return SchedulerText.jobName(name, NAME_CHARS, c -> !Character.isDigit(c), Integer.MAX_VALUE);
    }

    /** {@code H:MM:SS} with as many hours as needed (qsub refuses a day field); at least 1 s. */
    static String hms(Duration limit) {
        return SchedulerText.hms(SchedulerText.limitSeconds(limit), false);
    }

    /**
     * h_vmem (--mem, or a site default) is an address-space limit (ulimit -v), and a JVM reserves far
     * more than it uses (1 GiB of class space alone): its reservations are sized to fit, heap = limit
     * - 768 MiB (at least a quarter of it). A -Xmx on the java command line still wins.
     */
    @Override
    List<String> prologue(String workdir) {
        return List.of(
                "# Grid Engine h_vmem is an address-space limit: size the JVM's reservations to fit it",
                "hpc_vmem_kb=\"$(ulimit -v)\"",
                "if [ \"$hpc_vmem_kb\" != unlimited ]; then",
                "  hpc_heap_kb=$((hpc_vmem_kb - 786432))",
                "  [ \"$hpc_heap_kb\" -ge $((hpc_vmem_kb / 4)) ] || hpc_heap_kb=$((hpc_vmem_kb / 4))",
                "  export MALLOC_ARENA_MAX=\"${MALLOC_ARENA_MAX:-2}\"",
                "  export JAVA_TOOL_OPTIONS=\"-XX:CompressedClassSpaceSize=64m -XX:ReservedCodeCacheSize=32m "
                        + "-Xmx${hpc_heap_kb}k${JAVA_TOOL_OPTIONS:+ $JAVA_TOOL_OPTIONS}\"",
                "fi");
    }

    // ------------------------------------------------------------------ submit

    @Override
    List<String> submitCommand(JobSpec spec, String scriptPath) {
        // -b n: a script whose #$ lines qsub reads (the default, stated because -b y is common in site wrappers)
        return List.of("qsub", "-terse", "-b", "n", scriptPath);
    }

    /** {@code 15}, {@code 15.1-4:1} (-terse); {@code Your job 15 ("x") has been submitted} otherwise. */
    @Override
    List<Pattern> submittedId() {
        return List.of(Pattern.compile("^([0-9]+)(?:\\.[0-9]+(?:-[0-9]+(?::[0-9]+)?)?)?$"),
                Pattern.compile("Your job(?:-array)? ([0-9]+)"));
    }

    /** qsub -terse prints "ID" or, for an array, "ID.FIRST-LAST:STEP". */
    @Override
    ChainedSubmit chainedSubmit() {
        return ChainedSubmit.of("-hold_jid \"$previous\"", "id=${out%%.*}; after=$id");
    }

    /** Grid Engine numbers tasks from 1 (qsub: "0 is an invalid task id"). */
    @Override
    int firstArrayIndex() {
        return 1;
    }

    /** qsub's refusal verbatim, without its closing "Exiting." line, which says nothing more. */
    @Override
    String refusalText(CommandResult result) {
        return result.output().replaceFirst("\\n\\s*Exiting\\.\\s*$", "").strip();
    }

    static final List<Refusal> REFUSALS = List.of(
            Refusal.anyOf(List.of("unknown queue", "no suitable queues"), "--partition", JobSpec::partition,
                    Pattern.compile("unknown queue \"([^\"]*)\"")),
            Refusal.of("project", "--account", JobSpec::account),
            new Refusal(List.of("parallel environment"),
                    (text, spec) -> spec == null ? "--ntasks/--cpus-per-task" : cpuOptions(spec).isEmpty() ? null
                            : cpuOptions(spec)),
            Refusal.of("h_rt", "--time", s -> s.time() == null ? null : hms(s.time())),
            Refusal.of("h_vmem", "--mem", SchedulerText::mem),
            Refusal.anyOf(List.of("task id", "-t option"), "--array", JobSpec::array),
            Refusal.of("object name", "--job-name", JobSpec::jobName));

    // ------------------------------------------------------------------ status

    /** All the user's jobs in one call: qstat has no "only these ids" listing (qstat -j prints no state). */
    @Override
    List<String> statusCommand(List<String> jobIds) {
        return List.of("qstat", "-xml");
    }

    /**
     * Every job and array task qstat lists, keyed {@code 15} or {@code 15.3}; a pending group such
     * as {@code 2-4:1} is spelled out (up to 100,000 tasks).
     */
    @Override
    List<Task> tasks(String stdout) throws SchedulerException {
        if (stdout.isBlank()) {
            return List.of(); // some versions print nothing at all when the user has no jobs
        }
        List<Task> out = new ArrayList<>();
        for (SgeQstat.Row r : SgeQstat.parse(stdout)) {
            JobStatus s = SgeStates.map(r.state(), r.jobNumber());
            JobStatus status = new JobStatus(s.state(), s.reason(), r.host(), s.exitCode());
            if (r.tasks() == null) {
                out.add(new Task(r.jobNumber(), r.jobNumber(), null, false, status));
                continue;
            }
            List<Integer> ids = SgeQstat.taskIds(r.tasks(), 100_000);
            for (Object t : ids.isEmpty() ? List.of(r.tasks()) : ids) {
                out.add(new Task(r.jobNumber(), r.jobNumber() + "." + t, null, true, status));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ cancel, accounting

    @Override
    List<String> cancelCommand(String jobId) {
        return List.of("qdel", jobId);
    }

    @Override
    Optional<List<String>> accountingCommand(String jobId) {
        return Optional.of(List.of("qacct", "-j", jobId));
    }

    /** Empty when qacct does not know the job ({@code error: job id 8 not found}: deleted before it ran, or not yet written). */
    @Override
    Optional<JobAccounting> accounting(CommandResult result, String jobId) {
        return SgeAccounting.parse(result.stdout(), jobId);
    }

    // ------------------------------------------------------------------ find by name

    /** qsub(1) sets no length limit on -N; a user's name is at most 64 characters, so the tag always fits. */
    @Override
    int nameLimit() {
        return Integer.MAX_VALUE;
    }

    @Override
    List<String> findByNameCommand(String jobName) {
        submittedName(jobName); // refuses what could never have been submitted
        return List.of("qstat", "-xml");
    }

    /** This user's jobs named as {@link #directives} named it. */
    @Override
    List<String> idsNamed(String stdout, String jobName) throws SchedulerException {
        String name = submittedName(jobName);
        return SgeQstat.parse(stdout).stream().filter(r -> name.equals(r.name())).map(SgeQstat.Row::jobNumber).toList();
    }

    /** {@code qstat -help} starts with the version ({@code SGE 8.1.9}). */
    @Override
    List<List<String>> versionCommands() {
        return List.of(List.of("qstat", "-help"));
    }
}
