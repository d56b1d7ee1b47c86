package org.hpckernel.hpc.scheduler;

import java.time.Duration;

/** What accounting says once a job is over; fields are null where the scheduler does not tell. */
public record JobAccounting(JobState state, Integer exitCode, Integer signal, Duration elapsed, Duration cpuTime,
        Long maxMemoryBytes, String node) {}
