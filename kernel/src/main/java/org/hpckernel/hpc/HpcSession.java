package org.hpckernel.hpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hpckernel.hpc.config.ClusterConfig;
import org.hpckernel.hpc.config.ConfigException;
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
    private final Map<String, SessionJob> jobs = new LinkedHashMap<>();
    private JobMonitor monitor;
    private ClusterConfig config;
    private String current;

    public synchronized ClusterConfig config() throws MagicException {
        if (config == null) {
            try {
                config = ClusterConfig.loadDefault();
            } catch (ConfigException e) {
                throw new MagicException("ConfigError", e.getMessage(), List.of("ConfigError: " + e.getMessage()));
            }
            current = config.defaultCluster();
        }
        return config;
    }

    public synchronized String currentCluster() throws MagicException {
        config();
        return current;
    }

    public synchronized void use(String name) throws MagicException {
        profile(name);
        current = name;
    }

    public ClusterProfile profile(String name) throws MagicException {
        try {
            return config().get(name);
        } catch (ConfigException e) {
            throw MagicException.usage(e.getMessage());
        }
    }

    /** The cluster's live session, connecting on first use. */
    public ClusterSession cluster(String nameOrNull) throws MagicException {
        String name = nameOrNull != null ? nameOrNull : currentCluster();
        ClusterProfile profile = profile(name);
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

    public synchronized void record(SessionJob job) {
        jobs.put(job.cluster() + "/" + job.id(), job);
    }

    public synchronized List<SessionJob> jobs() {
        return new ArrayList<>(jobs.values());
    }

    /** By job id (any cluster, newest first) or job key. */
    public synchronized Optional<SessionJob> find(String idOrKey) {
        List<SessionJob> all = new ArrayList<>(jobs.values());
        for (int i = all.size() - 1; i >= 0; i--) {
            SessionJob j = all.get(i);
            if (j.id().equals(idOrKey) || j.key().equals(idOrKey)) return Optional.of(j);
        }
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        if (monitor != null) monitor.close();
        for (ClusterSession c : clusters.values()) c.transport().close();
    }
}
