package org.hpckernel.hpc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hpckernel.magic.HpcOption;

/**
 * One named cluster from clusters.json. {@code ssh} is null for a cluster whose commands run on
 * this machine. {@code defaults} are %%hpc option values used when a cell does not give them.
 */
public record ClusterProfile(
        String name,
        String scheduler,
        String workdir,
        String java,
        List<String> setup,
        Map<HpcOption, String> defaults,
        SshSettings ssh,
        Monitoring monitoring) {

    /** How to reach a remote login node; null fields are taken from ~/.ssh/config. */
    public record SshSettings(String host, Integer port, String user, String identityFile, String knownHostsFile,
            String proxyJump, boolean acceptNewHostKeys) {}

    /**
     * Scheduler politeness: status queries back off from {@code pollMin} to {@code pollMax};
     * {@code followInterval} is how often output files are read; {@code outputCap} bytes per cell.
     */
    public record Monitoring(Duration pollMin, Duration pollMax, Duration followInterval, long outputCap) {
        public static Monitoring defaults() {
            return new Monitoring(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMillis(100), 1 << 20);
        }
    }

    public boolean isRemote() {
        return ssh != null;
    }
}
