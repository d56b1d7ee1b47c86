package org.hpckernel.hpc.scheduler;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hpckernel.hpc.transport.CommandResult;

/**
 * One batch scheduler, as a set of small hooks; the submit/monitor flow that uses them lives
 * elsewhere and is the same for all. An implementation builds argv lists (never shell text) and
 * parses the scheduler's output; it runs nothing itself. Unknown native states map to
 * {@link JobState#UNKNOWN}, never to a failure.
 */
public interface Scheduler {
    /** The profile's "scheduler" value: slurm, pbs, oar, sge, lsf, local. */
    String name();

    /** The lowest index an array task can have: {@code --for} numbers its tasks from it. */
    default int firstArrayIndex() {
        return 0;
    }

    /** How an exported pipeline chains its jobs here; empty where the export runs them itself (local). */
    default java.util.Optional<ChainedSubmit> chainedSubmit() {
        return java.util.Optional.empty();
    }

    /**
     * Directive lines for the top of the batch script ({@code #SBATCH --time=00:10:00}), from the
     * job spec. Output of the scheduler itself goes to {@code scheduler.out} in the job directory
     * (the script redirects the payload's own output). Values are already validated; quote what
     * the scheduler's directive syntax needs.
     *
     * @throws UnsupportedOptionException for a request this scheduler cannot express
     */
    List<String> directives(JobSpec spec) throws UnsupportedOptionException;

    /** Shell expressions that give the job id and array index inside the job. */
    String jobIdVariable();

    String arrayIndexVariable();

    /** Lines run first in the job (after output redirection), e.g. waiting for a local slot. */
    default List<String> prologue(String workdir) {
        return List.of();
    }

    /** A command for the job's EXIT trap, e.g. giving a local slot back; "" for none. */
    default String releaseSlot() {
        return "";
    }

    /** argv that submits the script (absolute path on the cluster). */
    List<String> submitCommand(JobSpec spec, String scriptPath);

    /**
     * The job id from a finished submit command.
     *
     * @param spec the spec the job was submitted with ({@link #submitCommand}), so that a refusal
     *     can name the value of the option that caused it; null when unknown (then only the option
     *     is named)
     * @throws SchedulerException with the scheduler's message verbatim (and the option that caused
     *     it where it can be told) when the submission was refused
     */
    String parseJobId(CommandResult result, JobSpec spec) throws SchedulerException;

    /** One command that reports on all the given jobs at once. */
    List<String> statusCommand(Collection<String> jobIds);

    /**
     * Status of each requested job the output mentions (of every job it mentions when {@code jobIds}
     * is null). A requested job missing from the map is not known to the
     * scheduler (finished and purged, or never existed): the caller decides from its files.
     *
     * @throws SchedulerException when the command failed (transient or not)
     */
    Map<String, JobStatus> parseStatus(CommandResult result, Collection<String> jobIds) throws SchedulerException;

    List<String> cancelCommand(String jobId);

    /** Accounting for a finished job, when the scheduler keeps any. */
    default Optional<List<String>> accountingCommand(String jobId) {
        return Optional.empty();
    }

    default Optional<JobAccounting> parseAccounting(CommandResult result, String jobId) {
        return Optional.empty();
    }

    /**
     * A command listing this user's jobs with a given name, used after a submit timed out, so the
     * job is never submitted twice.
     */
    List<String> findByNameCommand(String jobName);

    /** The id of the job with that name, if the output shows one. */
    Optional<String> parseFindByName(CommandResult result, String jobName);

    /**
     * The name to submit a job the user named {@code givenName} under, so that it stays unique per
     * submission ({@code tag}: the job key's random part) where the look-up goes by name; by
     * default the user's name unchanged.
     */
    default String uniqueName(String givenName, String tag) {
        return givenName;
    }

    /**
     * A command that finds the job submitted with this name and script after a submit whose
     * outcome is unknown. By default by name (Grid Engine, OAR, LSF, PBS: a user's own name is
     * submitted with the job key's tag folded in, {@link #uniqueName}, so it is unique too); Slurm
     * overrides it to match the script path, which holds the unique job key whatever the name.
     */
    default List<String> findSubmittedCommand(String jobName, String scriptPath) {
        return findByNameCommand(jobName);
    }

    /** The id of that job, if the output of {@link #findSubmittedCommand} shows it. */
    default Optional<String> parseFindSubmitted(CommandResult result, String jobName, String scriptPath) {
        return parseFindByName(result, jobName);
    }

    /** True when the failure means "try again later" (controller unreachable, socket timeout). */
    boolean isTransient(CommandResult result);

    /** Commands whose version {@code %hpc check} reports, e.g. {@code sbatch --version}. */
    List<List<String>> versionCommands();
}
