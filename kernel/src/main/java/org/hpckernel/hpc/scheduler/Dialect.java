package org.hpckernel.hpc.scheduler;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import org.hpckernel.hpc.transport.CommandResult;

/**
 * What one batch scheduler's commands look like, as data where it can be: the directive prefix and
 * how each job-spec field is written (or why it cannot be), the submit command and the patterns its
 * job id is read with, the status command and its row parser, the phrases that mean "try again
 * later", "no such job" or "that option was wrong". {@link GridScheduler} runs the flow that is
 * the same for every scheduler around it: checking ids, reading the submit answer, grouping array
 * tasks and ranking their states, naming the option a refusal is about, finding a job by name.
 *
 * <p>A dialect runs nothing itself and holds no state beyond what a submission teaches it
 * ({@link #submitted}). What several dialects do alike is not written here either but once, in
 * {@link SchedulerText} (formats, hints), {@link Allowed} (value checks), {@link DirectiveLines}
 * (writing directives), {@link CoreLayout} and {@link ArrayRanges}. See CONTRIBUTING.md, "Adding a
 * scheduler".
 */
abstract class Dialect {
    private final String name;
    private final String label;
    private final String directivePrefix;
    private final Pattern jobId;
    private final String jobIdVariable;
    private final String arrayIndexVariable;
    private final List<String> transientPhrases;
    private final List<Refusal> refusals;

    /**
     * @param name the profile's "scheduler" value: slurm, sge, ...
     * @param label the scheduler's name in messages: "Slurm", "Grid Engine"
     * @param directivePrefix what starts every directive line ({@code #SBATCH}, {@code #$}); the
     *     profile's {@code extraDirectives} must start with it too
     * @param jobId what an id we put on a command line (status, cancel, accounting) must look like
     * @param jobIdVariable a shell expression for the job id inside the job (the id the user has:
     *     an array's, in each of its tasks)
     * @param arrayIndexVariable a shell expression for the array index inside the job, empty
     *     outside arrays
     * @param transientPhrases lower-case phrases of a failed command that mean "try again later"
     * @param refusals phrases in a submit refusal mapped to the option that caused it; the first
     *     that matches decides
     */
    Dialect(String name, String label, String directivePrefix, Pattern jobId, String jobIdVariable,
            String arrayIndexVariable, List<String> transientPhrases, List<Refusal> refusals) {
        this.name = name;
        this.label = label;
        this.directivePrefix = directivePrefix;
        this.jobId = jobId;
        this.jobIdVariable = jobIdVariable;
        this.arrayIndexVariable = arrayIndexVariable;
        this.transientPhrases = transientPhrases;
        this.refusals = refusals;
    }

    final String name() {
        return name;
    }

    final String label() {
        return label;
    }

    final String directivePrefix() {
        return directivePrefix;
    }

    final Pattern jobId() {
        return jobId;
    }

    final String jobIdVariable() {
        return jobIdVariable;
    }

    final String arrayIndexVariable() {
        return arrayIndexVariable;
    }

    // ------------------------------------------------------------------ directives

    /**
     * A job-spec field this scheduler cannot express, and why: refused (before {@link #directives}
     * runs) with an {@link UnsupportedOptionException} "NAME cannot express OPTION VALUE: WHY"
     * whenever {@code value} gives non-null for the spec.
     */
    record Cannot(String option, Function<JobSpec, Object> value, String why) {}

    /** The fields refused as they come, as data; by default none. */
    List<Cannot> cannotExpress() {
        return List.of();
    }

    /**
     * The directive lines for the spec ({@link DirectiveLines}), each starting with the directive
     * prefix. Values are checked ({@link Allowed}; counts are checked by {@link JobSpec}); a field
     * this scheduler cannot express in this combination is refused with an
     * {@link UnsupportedOptionException} that says what to do instead.
     */
    abstract List<String> directives(JobSpec spec) throws UnsupportedOptionException;

    /** Lines run first in the job, e.g. fitting the JVM into an address-space limit. */
    List<String> prologue(String workdir) {
        return List.of();
    }

    // ------------------------------------------------------------------ submit

    /** argv that submits the script. */
    abstract List<String> submitCommand(JobSpec spec, String scriptPath);

    /**
     * Patterns tried in order on the last non-blank line the submit command printed; group 1 of the
     * first that is found is the job id.
     */
    abstract List<Pattern> submittedId();

    /**
     * Exit codes after which a printed job id still means "submitted" (OAR's 9: stored, executor
     * unreachable); by default 0 only.
     */
    List<Integer> submittedExitCodes() {
        return List.of(0);
    }

    /** The refusal as the user sees it, verbatim: by default the submit command's whole output. */
    String refusalText(CommandResult result) {
        return result.output().strip();
    }

    final List<Refusal> refusals() {
        return refusals;
    }

    /** How an exported pipeline's submit.sh holds each job on the previous one and reads its id. */
    abstract ChainedSubmit chainedSubmit();

    /** Told the id of every accepted submission (e.g. to remember an array's task count). */
    void submitted(String jobId, JobSpec spec) {}

    /** The lowest array index the scheduler runs; by default 0. */
    int firstArrayIndex() {
        return 0;
    }

    // ------------------------------------------------------------------ status

    /** One command that reports on all the given (already checked) jobs at once. */
    abstract List<String> statusCommand(List<String> jobIds);

    /**
     * Whether the status (and accounting) command's answer can be read although it may have
     * exited non-zero: by default when it exited 0, or when every line it wrote on stderr is one
     * of the {@link #unknownJobPhrases} (qstat prints what it found, then "Unknown Job Id" for
     * the rest and exits 153).
     */
    boolean statusAnswered(CommandResult result) {
        return result.exitCode() == 0 || !unknownJobPhrases().isEmpty() && result.stderr().lines()
                .filter(l -> !l.isBlank()).allMatch(l -> SchedulerText.mentionsAny(l, unknownJobPhrases()));
    }

    /** Lower-case phrases of a failed status command that mean "(some of) these ids are not known". */
    List<String> unknownJobPhrases() {
        return List.of();
    }

    /** The jobs and array tasks the status command printed, one {@link Task} each. */
    abstract List<Task> tasks(String stdout) throws SchedulerException;

    /** Whether a requested id names the job the output printed as {@code printed}; by default equal. */
    boolean sameJob(String requested, String printed) {
        return requested.equals(printed);
    }

    final List<String> transientPhrases() {
        return transientPhrases;
    }

    // ------------------------------------------------------------------ cancel, accounting

    abstract List<String> cancelCommand(String jobId);

    Optional<List<String>> accountingCommand(String jobId) {
        return Optional.empty();
    }

    /**
     * Accounting for a finished job from the accounting command's answer, which did not time out
     * and was {@linkplain #statusAnswered answered}; an answer that cannot be read (a
     * {@link SchedulerException}) counts as none.
     */
    Optional<JobAccounting> accounting(CommandResult result, String jobId) throws SchedulerException {
        return Optional.empty();
    }

    // ------------------------------------------------------------------ find by name

    /**
     * The longest job name this scheduler keeps whole, so that the unique tag folded into a
     * user's own name ({@link GridScheduler#uniqueName}) is never cut off; 0 when the look-up after
     * an ambiguous submit does not go by name (Slurm matches the script path), so the user's name
     * is submitted exactly as given.
     */
    abstract int nameLimit();

    /**
     * The name as the submit command will record it, when the dialect changes names (a prefix, a
     * cut); by default unchanged.
     */
    String submittedName(String name) {
        return name;
    }

    /** A command listing this user's jobs with a given name (after a submit timed out). */
    abstract List<String> findByNameCommand(String jobName);

    /** The ids of this user's jobs named {@code jobName} in that command's (successful) output. */
    abstract List<String> idsNamed(String stdout, String jobName) throws SchedulerException;

    /** A command that finds the job submitted with this name and script; by default by name. */
    List<String> findSubmittedCommand(String jobName, String scriptPath) {
        return findByNameCommand(jobName);
    }

    /** The ids {@link #findSubmittedCommand} printed for that submission; by default by name. */
    List<String> idsSubmitted(String stdout, String jobName, String scriptPath) throws SchedulerException {
        return idsNamed(stdout, jobName);
    }

    /**
     * The number that orders ids (the newest job is the highest); by default the digits the id
     * starts with ({@code 123} of {@code 123[].srv}).
     */
    ToLongFunction<String> sequence() {
        return SchedulerText::leadingNumber;
    }

    /** Commands whose version {@code %hpc check} reports. */
    abstract List<List<String>> versionCommands();

    /**
     * One job or array task as the status command printed it. {@code job}: the id the user has
     * (an array's id for its tasks); {@code id}: as printed ({@code 8_2}); {@code alias}: another id
     * that names the same task (its own job id), or null; {@code part}: an array task or job
     * component, so that even a lone one is reported as the state of the whole; {@code summary}:
     * the scheduler's own record of a whole array (PBS), used only while none of its parts is listed.
     */
    record Task(String job, String id, String alias, boolean part, JobStatus status, boolean summary) {
        Task(String job, String id, String alias, boolean part, JobStatus status) {
            this(job, id, alias, part, status, false);
        }
    }
}
