package org.hpckernel.hpc;

import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.scheduler.Scheduler;
import org.hpckernel.hpc.transport.Transport;

/** A cluster in use: its profile, its scheduler, and the one transport every job on it shares. */
public record ClusterSession(ClusterProfile profile, Scheduler scheduler, Transport transport) {
    public String name() {
        return profile.name();
    }
}
