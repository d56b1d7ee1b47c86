package org.hpckernel.hpc;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.scheduler.JobStatus;
import org.hpckernel.hpc.scheduler.Scheduler;
import org.hpckernel.hpc.scheduler.SchedulerException;
import org.hpckernel.hpc.transport.CommandResult;
import org.hpckernel.hpc.transport.Transport;

/**
 * A cluster in use: its profile, its scheduler, and the one transport every job on it shares.
 * Status and cancel run here, each command with its own parser and one timeout, so that the
 * monitor and the magics do not each pair them.
 */
public record ClusterSession(ClusterProfile profile, Scheduler scheduler, Transport transport) {
    /** How long a status or cancel command may take before it counts as not answered. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    public String name() {
        return profile.name();
    }

    /** The scheduler's answer for these jobs; a job it does not list is absent from the map. */
    public Map<String, JobStatus> status(List<String> jobIds) throws IOException, SchedulerException {
        return scheduler.parseStatus(transport.run(scheduler.statusCommand(jobIds), COMMAND_TIMEOUT), jobIds);
    }

    /** Runs the cancel command; the caller reads its result (a transient failure is retried by the monitor). */
    public CommandResult cancel(String jobId) throws IOException {
        return transport.run(scheduler.cancelCommand(jobId), COMMAND_TIMEOUT);
    }
}
