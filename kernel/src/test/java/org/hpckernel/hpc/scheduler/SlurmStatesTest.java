package org.hpckernel.hpc.scheduler;

import static org.hpckernel.hpc.scheduler.JobState.CANCELLED;
import static org.hpckernel.hpc.scheduler.JobState.COMPLETED;
import static org.hpckernel.hpc.scheduler.JobState.FAILED;
import static org.hpckernel.hpc.scheduler.JobState.NODE_FAIL;
import static org.hpckernel.hpc.scheduler.JobState.OUT_OF_MEMORY;
import static org.hpckernel.hpc.scheduler.JobState.PENDING;
import static org.hpckernel.hpc.scheduler.JobState.RUNNING;
import static org.hpckernel.hpc.scheduler.JobState.TIMEOUT;
import static org.hpckernel.hpc.scheduler.JobState.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlurmStatesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // long names (squeue %T, sacct State, scontrol JobState=)
        "PENDING, PENDING",
        "CONFIGURING, PENDING",
        "POWER_UP_NODE, PENDING",
        "REQUEUED, PENDING",
        "REQUEUE_HOLD, PENDING",
        "REQUEUE_FED, PENDING",
        "RECONFIG_FAIL, PENDING",
        "RESV_DEL_HOLD, PENDING",
        "RUNNING, RUNNING",
        "COMPLETING, RUNNING",
        "RESIZING, RUNNING",
        "SIGNALING, RUNNING",
        "STAGE_OUT, RUNNING",
        "SUSPENDED, RUNNING",
        "STOPPED, RUNNING",
        "COMPLETED, COMPLETED",
        "FAILED, FAILED",
        "LAUNCH_FAILED, FAILED",
        "SPECIAL_EXIT, FAILED",
        "CANCELLED, CANCELLED",
        "CANCELLED by 0, CANCELLED",
        "CANCELLED by 1001, CANCELLED",
        "PREEMPTED, CANCELLED",
        "REVOKED, CANCELLED",
        "TIMEOUT, TIMEOUT",
        "DEADLINE, TIMEOUT",
        "OUT_OF_MEMORY, OUT_OF_MEMORY",
        "NODE_FAIL, NODE_FAIL",
        "BOOT_FAIL, NODE_FAIL",
        // squeue %t short codes
        "PD, PENDING", "CF, PENDING", "RQ, PENDING", "RH, PENDING", "RF, PENDING", "RD, PENDING",
        "R, RUNNING", "CG, RUNNING", "RS, RUNNING", "SI, RUNNING", "SO, RUNNING", "S, RUNNING", "ST, RUNNING",
        "CD, COMPLETED", "F, FAILED", "SE, FAILED", "CA, CANCELLED", "PR, CANCELLED", "RV, CANCELLED",
        "TO, TIMEOUT", "DL, TIMEOUT", "OOM, OUT_OF_MEMORY", "NF, NODE_FAIL", "BF, NODE_FAIL",
        // spelling variants
        "running, RUNNING",
        "' COMPLETED ', COMPLETED",
        "CANCELLED+, CANCELLED",
        // unknown
        "WAITING_FOR_GODOT, UNKNOWN",
        "'', UNKNOWN",
    })
    void mapsEveryState(String nativeState, JobState expected) {
        assertEquals(expected, SlurmStates.map(nativeState));
    }

    @Test
    void lossyMappingsAreMarked() {
        assertTrue(SlurmStates.isLossy("SUSPENDED"));
        assertTrue(SlurmStates.isLossy("COMPLETING"));
        assertTrue(SlurmStates.isLossy("CG"));
        assertTrue(SlurmStates.isLossy("PREEMPTED"));
        assertFalse(SlurmStates.isLossy("RUNNING"));
        assertFalse(SlurmStates.isLossy("R"));
        assertFalse(SlurmStates.isLossy("CANCELLED by 0"));
        assertEquals("COMPLETING", SlurmStates.normalize("CG"));
        assertEquals("CANCELLED", SlurmStates.normalize("CANCELLED by 0"));
    }

    @Test
    void anyRunningTaskMakesTheArrayRunning() {
        assertEquals(RUNNING, JobState.ofArray(List.of(PENDING, RUNNING, COMPLETED, FAILED)));
        assertEquals(RUNNING, JobState.ofArray(List.of(FAILED, RUNNING)));
    }

    @Test
    void tasksStillToComeKeepTheArrayPending() {
        assertEquals(PENDING, JobState.ofArray(List.of(PENDING, PENDING)));
        assertEquals(PENDING, JobState.ofArray(List.of(COMPLETED, PENDING, FAILED)));
    }

    @Test
    void aFinishedArrayTakesItsWorstState() {
        assertEquals(COMPLETED, JobState.ofArray(List.of(COMPLETED, COMPLETED)));
        assertEquals(FAILED, JobState.ofArray(List.of(COMPLETED, FAILED, COMPLETED)));
        assertEquals(FAILED, JobState.ofArray(List.of(CANCELLED, FAILED, TIMEOUT)));
        assertEquals(OUT_OF_MEMORY, JobState.ofArray(List.of(TIMEOUT, OUT_OF_MEMORY)));
        assertEquals(TIMEOUT, JobState.ofArray(List.of(COMPLETED, TIMEOUT, CANCELLED)));
        assertEquals(NODE_FAIL, JobState.ofArray(List.of(NODE_FAIL, CANCELLED)));
        assertEquals(CANCELLED, JobState.ofArray(List.of(COMPLETED, CANCELLED)));
    }

    @Test
    void unknownWinsOnlyOverFinalStates() {
        assertEquals(UNKNOWN, JobState.ofArray(List.of(COMPLETED, UNKNOWN)));
        assertEquals(PENDING, JobState.ofArray(List.of(UNKNOWN, PENDING)));
        assertEquals(UNKNOWN, JobState.ofArray(List.of()));
    }
}
