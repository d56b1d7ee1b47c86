package org.hpckernel.hpc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.hpckernel.hpc.transport.CommandResult;
import org.junit.jupiter.api.Test;

/**
 * The same task outcomes give the same array state whichever scheduler reports them: each
 * scheduler's own status output, through its own parser, for an array with one task that failed
 * and one whose node failed. (Grid Engine and PBS cannot report a node failure in their status
 * output; {@link JobStateTest} covers the ranking itself.)
 */
class ArrayStatesAcrossSchedulersTest {
    private static JobState arrayState(Scheduler s, String id, String stdout) throws SchedulerException {
        CommandResult r = new CommandResult(s.statusCommand(List.of(id)), 0, stdout, "", false);
        return s.parseStatus(r, List.of(id)).get(id).state();
    }

    @Test
    void aFailedTaskOutranksANodeFailureOnSlurm() throws Exception {
        assertEquals(JobState.FAILED, arrayState(new SlurmScheduler(), "8",
                "8_1|9|NODE_FAIL|n1|None\n8_2|10|FAILED|n2|NonZeroExitCode\n8_3|11|COMPLETED|n1|None\n"));
    }

    @Test
    void aFailedTaskOutranksANodeFailureOnLsf() throws Exception {
        assertEquals(JobState.FAILED, arrayState(new LsfScheduler(), "3000", """
                {"COMMAND": "bjobs", "JOBS": 3, "RECORDS": [
                  {"JOBID": "3000", "JOBINDEX": "1", "STAT": "ZOMBI", "EXIT_CODE": "", "EXEC_HOST": "hostA"},
                  {"JOBID": "3000", "JOBINDEX": "2", "STAT": "EXIT", "EXIT_CODE": "5", "EXEC_HOST": "hostB"},
                  {"JOBID": "3000", "JOBINDEX": "3", "STAT": "DONE", "EXIT_CODE": "", "EXEC_HOST": "hostA"}]}
                """));
    }

    @Test
    void aFailedTaskOutranksANodeFailureOnOar() throws Exception {
        assertEquals(JobState.FAILED, arrayState(new OarScheduler(), "12", """
                {"12": {"Job_Id": 12, "array_id": 12, "array_index": 1, "state": "Error", "exit_code": null,
                        "events": [{"type": "PING_CHECKER_NODE_SUSPECTED"}]},
                 "13": {"Job_Id": 13, "array_id": 12, "array_index": 2, "state": "Terminated", "exit_code": 256,
                        "events": []},
                 "14": {"Job_Id": 14, "array_id": 12, "array_index": 3, "state": "Terminated", "exit_code": 0,
                        "events": []}}
                """));
    }
}
