package org.hpckernel.hpc;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hpckernel.hpc.config.ClusterConfig;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.config.ClusterTable;
import org.hpckernel.hpc.config.ConfigException;
import org.hpckernel.hpc.config.ProfilePaths;
import org.hpckernel.hpc.config.SessionClusters;
import org.hpckernel.hpc.ledger.JobLedger;
import org.hpckernel.hpc.scheduler.SchedulerException;
import org.hpckernel.hpc.scheduler.Schedulers;
import org.hpckernel.eval.CellOutput;
import org.hpckernel.hpc.transport.CredentialPrompt;
import org.hpckernel.hpc.transport.LocalTransport;
import org.hpckernel.hpc.transport.SshTransport;
import org.hpckernel.hpc.transport.Transport;

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
    private volatile CellOutput currentCell;

    public HpcSession(SessionClusters config) {
        this.config = config;
    }

    /** The configuration; a broken clusters.json becomes the cell's error (fix it, run the cell again). */
    public ClusterConfig config() throws HpcException {
        try {
            return config.config();
        } catch (ConfigException e) {
            throw configError(e);
        }
    }

    public ClusterTable describeClusters() throws HpcException {
        try {
            return config.describe();
        } catch (ConfigException e) {
            throw configError(e);
        }
    }

    public void use(String name) throws HpcException {
        try {
            config.use(name);
        } catch (ConfigException e) {
            throw configError(e);
        }
    }

    private static HpcException configError(ConfigException e) {
        return new HpcException(HpcException.Kind.CONFIG, e.getMessage());
    }

    /** The cluster's live session (the cell's --cluster, else the session default), connecting on first use. */
    public ClusterSession cluster(String nameOrNull) throws HpcException {
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
            Transport transport = null;
            try {
                transport = transportFor(profile);
                Transport cluster = transport;
                var scheduler = Schedulers.create(profile.scheduler(), profile.schedulerSettings(),
                        argv -> cluster.run(argv, Duration.ofSeconds(30)));
                created = new ClusterSession(resolvePaths(profile, transport), scheduler, transport);
            } catch (IOException | SchedulerException | IllegalArgumentException e) {
                if (transport != null) transport.close();
                throw new HpcException(HpcException.Kind.USAGE, "cluster " + name + ": " + e.getMessage());
            } catch (HpcException e) {
                if (transport != null) transport.close();
                throw e;
            }
            clusters.put(name, created);
            try {
                new EarlierSubmissions(jobs(), Submitter.standard()).resolveInBackground(created);
            } catch (HpcException e) {
                // the ledger cannot be opened: the cell that needs it says so
            }
            return created;
        }
    }

    /**
     * The profile's paths made absolute once, against the home directory the cluster side reports
     * (the login node's, over SSH): staging, SFTP, job.sh and the runner then all use the same path.
     */
    private static ClusterProfile resolvePaths(ClusterProfile profile, Transport transport) throws HpcException {
        String home;
        try {
            home = transport.home();
        } catch (java.io.IOException e) {
            throw new HpcException(HpcException.Kind.CONNECTION, "cluster " + profile.name() + ": cannot learn the home directory on "
                    + transport.describe() + " (needed for \"workdir\" and \"java\"): " + e.getMessage());
        }
        try {
            return ProfilePaths.resolve(profile, home);
        } catch (IllegalArgumentException e) {
            throw new HpcException(HpcException.Kind.CONFIG, "cluster " + profile.name() + ": " + e.getMessage());
        }
    }

    private Transport transportFor(ClusterProfile profile) throws HpcException {
        if (!profile.isRemote()) return new LocalTransport();
        try {
            return SshTransport.connect(profile.name(), profile.ssh(), this::prompt);
        } catch (java.io.IOException e) {
            throw new HpcException(HpcException.Kind.CONNECTION, "cannot reach cluster " + profile.name() + ": " + e.getMessage());
        }
    }

    /**
     * Passwords, passphrases and one-time codes are asked in the cell that is running (once per
     * connection); with no cell, or a frontend without stdin, nobody can be asked.
     */
    private CredentialPrompt prompt() {
        CellOutput cell = currentCell;
        if (cell == null || !cell.canAsk()) return CredentialPrompt.none();
        return (prompt, echo) -> cell.readLine(prompt, !echo);
    }

    /** The cell whose stdin may be used for login prompts while it runs. */
    public void enterCell(CellOutput cell) {
        currentCell = cell;
    }

    public void leaveCell() {
        currentCell = null;
    }

    public synchronized JobMonitor monitor() {
        if (monitor == null) monitor = new JobMonitor(Duration.ofMillis(100));
        return monitor;
    }

    /** The ledger-backed job registry; opened at first use. */
    public synchronized Jobs jobs() throws HpcException {
        if (jobs == null) {
            try {
                jobs = new Jobs(JobLedger.open(JobLedger.defaultDir()), monitor());
            } catch (java.io.IOException e) {
                throw new HpcException(HpcException.Kind.LEDGER, "the job ledger in " + JobLedger.defaultDir()
                        + " cannot be opened: " + e.getMessage() + " (set XDG_DATA_HOME to a writable place)");
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
