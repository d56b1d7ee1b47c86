package org.hpckernel.hpc.ledger;

import java.util.List;

/**
 * One submission as the ledger keeps it, keyed by its job key. Times are ISO-8601 instants;
 * {@code state} is a JobState name, or {@link #SUBMITTING} while the submit command has not
 * given an id yet ({@code jobId} is then null); {@code jobName} and {@code scriptPath} are what
 * the job is looked up by when the submit's outcome is unknown; {@code givenName} is the user's
 * own job name when the cell gave one ({@code jobName} then has the submission's tag folded in,
 * where the scheduler is looked up by name), null otherwise. {@code notebook} and
 * {@code cellId} come from the frontend when it sends them.
 */
public record LedgerEntry(
        String jobId,
        String cluster,
        String key,
        String jobDir,
        List<String> options,
        String contentHash,
        String notebook,
        String cellId,
        String summary,
        boolean array,
        List<Integer> tasks,
        String state,
        Integer exitCode,
        String submitted,
        String ended,
        String jobName,
        String scriptPath,
        String givenName) {

    /** An entry without a user's own job name (and records written before there was one). */
    public LedgerEntry(String jobId, String cluster, String key, String jobDir, List<String> options, String contentHash,
            String notebook, String cellId, String summary, boolean array, List<Integer> tasks, String state,
            Integer exitCode, String submitted, String ended, String jobName, String scriptPath) {
        this(jobId, cluster, key, jobDir, options, contentHash, notebook, cellId, summary, array, tasks, state, exitCode,
                submitted, ended, jobName, scriptPath, null);
    }

    /** Written before the submit command runs: the job may or may not exist yet. */
    public static final String SUBMITTING = "SUBMITTING";

    public LedgerEntry withEnd(String newState, Integer newExitCode, String endedAt) {
        return new LedgerEntry(jobId, cluster, key, jobDir, options, contentHash, notebook, cellId, summary, array, tasks,
                newState, newExitCode, submitted, endedAt, jobName, scriptPath, givenName);
    }

    /** The submission resolved: the scheduler's id, and the job not ended yet. */
    public LedgerEntry withJobId(String id) {
        return new LedgerEntry(id, cluster, key, jobDir, options, contentHash, notebook, cellId, summary, array, tasks,
                "PENDING", null, submitted, null, jobName, scriptPath, givenName);
    }

    /** Live again (for %hpc attach of an ended job: follow it as if it were running). */
    public LedgerEntry reopened() {
        return new LedgerEntry(jobId, cluster, key, jobDir, options, contentHash, notebook, cellId, summary, array, tasks,
                state, null, submitted, null, jobName, scriptPath, givenName);
    }

    /** The given name with the name the scheduler knows the job by: {@code fit (fit-1a2b3c4d)}; null without a given name. */
    public String shownName() {
        if (givenName == null) return null;
        return givenName.equals(jobName) || jobName == null ? givenName : givenName + " (" + jobName + ")";
    }

    public boolean isLive() {
        return ended == null;
    }

    /** No job id yet: the submit command was started, and how it ended is not known. */
    public boolean isSubmitting() {
        return jobId == null;
    }

    /** What the ledger file is named by: the key, or the job id for records older than keys. */
    String fileKey() {
        return key != null ? key : cluster + "--" + jobId;
    }
}
