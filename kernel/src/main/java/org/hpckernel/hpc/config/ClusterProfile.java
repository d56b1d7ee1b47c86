package org.hpckernel.hpc.config;

import org.hpckernel.hpc.transport.SshSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.options.HpcOption;
import org.hpckernel.hpc.scheduler.SchedulerSettings;

/**
 * One named cluster from clusters.json. {@code ssh} is null for a cluster whose commands run on
 * this machine. {@code defaults} are %%hpc option values used when a cell does not give them.
 * {@code schedulerSettings}: the site's settings for its scheduler (PBS flavor, Grid Engine parallel
 * environment, local slots, extra directive lines). {@code caps}: the profile keys maxInputBytes and
 * maxOutputBytes, the caps on values shipped with a job and returned by it.
 */
public record ClusterProfile(
        String name,
        String scheduler,
        String workdir,
        String java,
        List<String> setup,
        Map<HpcOption, String> defaults,
        SshSettings ssh,
        Monitoring monitoring,
        SchedulerSettings schedulerSettings,
        ValueCaps caps) {

    public ClusterProfile {
        schedulerSettings = schedulerSettings == null ? SchedulerSettings.none() : schedulerSettings;
        caps = caps == null ? ValueCaps.defaults() : caps;
    }

    /** With the default value caps. */
    public ClusterProfile(String name, String scheduler, String workdir, String java, List<String> setup,
            Map<HpcOption, String> defaults, SshSettings ssh, Monitoring monitoring, SchedulerSettings schedulerSettings) {
        this(name, scheduler, workdir, java, setup, defaults, ssh, monitoring, schedulerSettings, ValueCaps.defaults());
    }

    /** Without scheduler settings. */
    public ClusterProfile(String name, String scheduler, String workdir, String java, List<String> setup,
            Map<HpcOption, String> defaults, SshSettings ssh, Monitoring monitoring) {
        this(name, scheduler, workdir, java, setup, defaults, ssh, monitoring, SchedulerSettings.none());
    }

    /**
     * Scheduler politeness: status queries back off from {@code pollMin} to {@code pollMax};
     * {@code followInterval} is how often output files are read; {@code outputCap} bytes per cell;
     * {@code fileSystemLag} how long a shared file system may hide a job's files from the login
     * node (NFS attribute cache): a job the scheduler forgot is declared lost only after it.
     */
    public record Monitoring(Duration pollMin, Duration pollMax, Duration followInterval, long outputCap,
            Duration fileSystemLag) {
        public static final Duration DEFAULT_FILE_SYSTEM_LAG = Duration.ofSeconds(60);

        public Monitoring(Duration pollMin, Duration pollMax, Duration followInterval, long outputCap) {
            this(pollMin, pollMax, followInterval, outputCap, DEFAULT_FILE_SYSTEM_LAG);
        }

        public static Monitoring defaults() {
            return new Monitoring(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMillis(100), 1 << 20);
        }
    }

    public boolean isRemote() {
        return ssh != null;
    }
}
