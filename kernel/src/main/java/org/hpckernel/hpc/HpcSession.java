package org.hpckernel.hpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hpckernel.hpc.config.ClusterConfig;
import org.hpckernel.hpc.config.ClusterTable;
import org.hpckernel.hpc.config.ConfigException;
import org.hpckernel.hpc.config.SessionClusters;
import org.hpckernel.hpc.ledger.JobLedger;
import org.hpckernel.hpc.scheduler.Schedulers;
import org.hpckernel.hpc.transport.LocalTransport;
import org.hpckernel.hpc.transport.Transport;
import org.hpckernel.magic.MagicException;

/**
 * Everything %%hpc keeps for one kernel session: the cluster configuration (read at the first
 * use, so a broken file is reported in the cell), the chosen default cluster, one connection per
 * cluster, the job monitor, and this session's jobs.
 */
public final class HpcSession implements AutoCloseable {
    private final Map<String, ClusterSession> clusters = new ConcurrentHashMap<>();
    private final SessionClusters config;
    private JobMonitor monitor;
    private Jobs jobs;

    public HpcSession(SessionClusters config) {
        this.config = config;
    }

    /** The configuration; a broken clusters.json becomes the cell's error (fix it, run the cell again). */
    public ClusterConfig config() throws MagicException {
        try {
            return config.config();
        } catch (ConfigException e) {
            throw configError(e);
        }
    }

    public ClusterTable describeClusters() throws MagicException {
        try {
            return config.describe();
        } catch (ConfigException e) {
            throw configError(e);
        }
    }

    public void use(String name) throws MagicException {
        try {
            config.use(name);
        } catch (ConfigException e) {
            throw configError(e);
        }
    }

    private static MagicException configError(ConfigException e) {
        return new MagicException("ConfigError", e.getMessage(), List.of("ConfigError: " + e.getMessage()));
    }

    /** The cluster's live session (the cell's --cluster, else the session default), connecting on first use. */
    public ClusterSession cluster(String nameOrNull) throws MagicException {
        ClusterProfile profile;
        try {
            profile = config.select(nameOrNull);
        } catch (ConfigException e) {
            throw configError(e);
        }
        String name = profile.name();
        ClusterSession existing = clusters.get(name);
        if (existing != null) return existing;
        synchronized (this) {
            existing = clusters.get(name);
            if (existing != null) return existing;
            ClusterSession created;
            try {
                created = new ClusterSession(profile, Schedulers.create(profile.scheduler()), transportFor(profile));
            } catch (IllegalArgumentException e) {
                throw MagicException.usage("cluster " + name + ": " + e.getMessage());
            }
            clusters.put(name, created);
            return created;
        }
    }

    private static Transport transportFor(ClusterProfile profile) throws MagicException {
        if (!profile.isRemote()) return new LocalTransport();
        throw new MagicException("NotImplemented", "cluster " + profile.name() + " is reached over SSH, which this build cannot do yet",
                List.of());
    }

    public synchronized JobMonitor monitor() {
        if (monitor == null) monitor = new JobMonitor(Duration.ofMillis(100));
        return monitor;
    }

    /** The ledger-backed job registry; opened at first use. */
    public synchronized Jobs jobs() throws MagicException {
        if (jobs == null) {
            try {
                jobs = new Jobs(JobLedger.open(JobLedger.defaultDir()), monitor());
            } catch (java.io.IOException e) {
                throw new MagicException("LedgerError", "the job ledger in " + JobLedger.defaultDir()
                        + " cannot be opened: " + e.getMessage() + " (set XDG_DATA_HOME to a writable place)", List.of());
            }
        }
        return jobs;
    }

    @Override
    public synchronized void close() {
        if (monitor != null) monitor.close();
        for (ClusterSession c : clusters.values()) c.transport().close();
    }
}
