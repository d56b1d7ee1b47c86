package org.hpckernel.hpc.scheduler;

import java.util.List;
import java.util.Optional;
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
 * ({@link #submitted}). See CONTRIBUTING.md, "Adding a scheduler".
 */
interface Dialect {
    /** The profile's "scheduler" value: slurm, sge, ... */
    String name();

    /** The scheduler's name in messages: "Slurm", "Grid Engine". */
    String label();

    /**
     * What starts every directive line of the batch script ({@code #SBATCH}, {@code #$}); the
     * profile's {@code extraDirectives} must start with it too.
     */
    String directivePrefix();

    /**
     * The directive lines for the spec, each starting with {@link #directivePrefix}. Values are
     * checked (never pasted as they come); a field this scheduler cannot express is refused with
     * an {@link UnsupportedOptionException} that says what to do instead.
     */
    List<String> directives(JobSpec spec) throws UnsupportedOptionException;

    /** Shell expressions for the job id and the array index inside the job. */
    String jobIdVariable();

    String arrayIndexVariable();

    /** Lines run first in the job, e.g. fitting the JVM into an address-space limit. */
    default List<String> prologue(String workdir) {
        return List.of();
    }

    // ------------------------------------------------------------------ ids and submit

    /** An id we put on a command line (status, cancel, accounting). */
    Pattern jobId();

    /** argv that submits the script. */
    List<String> submitCommand(JobSpec spec, String scriptPath);

    /**
     * Patterns tried in order on the last non-blank line the submit command printed; group 1 of the
     * first that is found is the job id.
     */
    List<Pattern> submittedId();

    /**
     * Exit codes after which a printed job id still means "submitted" (OAR's 9: stored, executor
     * unreachable); by default 0 only.
     */
    default List<Integer> submittedExitCodes() {
        return List.of(0);
    }

    /** The refusal as the user sees it, verbatim: by default the submit command's whole output. */
    default String refusalText(CommandResult result) {
        return result.output().strip();
    }

    /** Phrases in a refusal mapped to the option that caused it; the first that matches decides. */
    List<Refusal> refusals();

    /** Told the id of every accepted submission (e.g. to remember an array's task count). */
    default void submitted(String jobId, JobSpec spec) {}

    // ------------------------------------------------------------------ status

    /** One command that reports on all the given (already checked) jobs at once. */
    List<String> statusCommand(List<String> jobIds);

    /**
     * Whether the status command's answer can be read although it may have exited non-zero
     * (bjobs exits 255 when one of several ids is unknown and still reports the others); by
     * default only a zero exit code.
     */
    default boolean statusAnswered(CommandResult result) {
        return result.exitCode() == 0;
    }

    /** A failed status command whose output holds one of these means "none of these ids is known". */
    default List<String> unknownJobPhrases() {
        return List.of();
    }

    /** The jobs and array tasks the status command printed, one {@link Task} each. */
    List<Task> tasks(String stdout) throws SchedulerException;

    /** Whether a requested id names the job the output printed as {@code printed}; by default equal. */
    default boolean sameJob(String requested, String printed) {
        return requested.equals(printed);
    }

    /** Lower-case phrases of a failed command that mean "try again later". */
    List<String> transientPhrases();

    // ------------------------------------------------------------------ cancel, accounting

    List<String> cancelCommand(String jobId);

    default Optional<List<String>> accountingCommand(String jobId) {
        return Optional.empty();
    }

    /** Accounting for a finished job from the accounting command's answer (which may have failed). */
    default Optional<JobAccounting> accounting(CommandResult result, String jobId) {
        return Optional.empty();
    }

    // ------------------------------------------------------------------ find by name

    /**
     * The longest job name this scheduler keeps whole, so that the unique tag folded into a
     * user's own name ({@link GridScheduler#uniqueName}) is never cut off; 0 when the look-up after
     * an ambiguous submit does not go by name (Slurm matches the script path), so the user's name
     * is submitted exactly as given.
     */
    int nameLimit();

    /**
     * The name as the submit command will record it, when the dialect changes names (a prefix, a
     * cut); by default unchanged.
     */
    default String submittedName(String name) {
        return name;
    }

    /** A command listing this user's jobs with a given name (after a submit timed out). */
    List<String> findByNameCommand(String jobName);

    /** The ids of this user's jobs named {@code jobName} in that command's (successful) output. */
    List<String> idsNamed(String stdout, String jobName) throws SchedulerException;

    /** A command that finds the job submitted with this name and script; by default by name. */
    default List<String> findSubmittedCommand(String jobName, String scriptPath) {
        return findByNameCommand(jobName);
    }

    /** The ids {@link #findSubmittedCommand} printed for that submission; by default by name. */
    default List<String> idsSubmitted(String stdout, String jobName, String scriptPath) throws SchedulerException {
        return idsNamed(stdout, jobName);
    }

    /** The number that orders ids (the newest job is the highest); by default the id itself. */
    default ToLongFunction<String> sequence() {
        return Long::parseLong;
    }

    /** Commands whose version {@code %hpc check} reports. */
    List<List<String>> versionCommands();

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
