package org.hpckernel.hpc.ledger;

import java.util.List;

/**
 * One submitted job as the ledger keeps it. Times are ISO-8601 instants; {@code state} is a
 * JobState name; {@code notebook} and {@code cellId} come from the frontend when it sends them.
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
        String ended) {

    public LedgerEntry withEnd(String newState, Integer newExitCode, String endedAt) {
        return new LedgerEntry(jobId, cluster, key, jobDir, options, contentHash, notebook, cellId, summary, array, tasks,
                newState, newExitCode, submitted, endedAt);
    }

    public boolean isLive() {
        return ended == null;
    }
}
