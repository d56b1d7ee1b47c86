package org.hpckernel.hpc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One severity policy for the state of an array whose tasks all ended, the same on every
 * scheduler. Before it, Grid Engine and PBS ranked NODE_FAIL worst while Slurm, LSF and OAR ranked
 * FAILED worst, so the same task outcomes gave different array states.
 */
class JobStateTest {
    /** Worst first: the order the user must act on. */
    private static final List<JobState> WORST_FIRST = List.of(JobState.FAILED, JobState.OUT_OF_MEMORY,
            JobState.TIMEOUT, JobState.NODE_FAIL, JobState.CANCELLED, JobState.COMPLETED);

    @Test
    void everyPairOfFinalStatesGivesTheWorseOneWhateverTheOrder() {
        for (int i = 0; i < WORST_FIRST.size(); i++) {
            for (int j = i; j < WORST_FIRST.size(); j++) {
                JobState worse = WORST_FIRST.get(i);
                JobState better = WORST_FIRST.get(j);
                assertEquals(worse, JobState.ofArray(List.of(worse, better)), worse + " with " + better);
                assertEquals(worse, JobState.ofArray(List.of(better, worse)), better + " with " + worse);
            }
        }
    }

    @Test
    void aTaskThatFailedOutranksANodeFailure() {
        assertEquals(JobState.FAILED, JobState.ofArray(List.of(JobState.NODE_FAIL, JobState.FAILED)));
        assertEquals(JobState.TIMEOUT, JobState.ofArray(List.of(JobState.NODE_FAIL, JobState.TIMEOUT)));
    }

    @Test
    void unfinishedTasksDecideBeforeAnyFinalState() {
        assertEquals(JobState.RUNNING, JobState.ofArray(List.of(JobState.FAILED, JobState.PENDING, JobState.RUNNING)));
        assertEquals(JobState.PENDING, JobState.ofArray(List.of(JobState.NODE_FAIL, JobState.PENDING)));
        assertEquals(JobState.UNKNOWN, JobState.ofArray(List.of(JobState.FAILED, JobState.UNKNOWN)));
        assertEquals(JobState.UNKNOWN, JobState.ofArray(List.of()));
    }

    @Test
    void onlyFinalStatesHaveASeverity() {
        for (JobState s : JobState.values()) {
            assertEquals(s.isFinal(), s.severity() > 0, s.name());
        }
    }
}
