package org.hpckernel.hpc.config;

import java.util.Objects;

/**
 * The kernel session's view of the clusters: the config, loaded at first use, and the cluster a
 * cell runs on when it gives no --cluster (initially the config's default; {@code %hpc use NAME}
 * changes it for this session only). A failed load is not remembered, so fixing clusters.json
 * and re-running the cell works without restarting the kernel.
 */
public final class SessionClusters {
    /** Reads the config; {@link ClusterConfig#loadDefault} in the kernel, a stub in tests. */
    @FunctionalInterface
    public interface Loader {
        ClusterConfig load() throws ConfigException;
    }

    private final Loader loader;
    private ClusterConfig config;
    private String current;

    public SessionClusters(Loader loader) {
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    public static SessionClusters fromDefaultConfig() {
        return new SessionClusters(ClusterConfig::loadDefault);
    }

    public synchronized ClusterConfig config() throws ConfigException {
        if (config == null) {
            config = loader.load();
            current = config.defaultCluster();
        }
        return config;
    }

    /** Reads the file again; the current cluster is kept if it still exists, else the new default is used. */
    public synchronized ClusterConfig reload() throws ConfigException {
        ClusterConfig fresh = loader.load();
        String keep = current;
        config = fresh;
        current = keep != null && fresh.names().contains(keep) ? keep : fresh.defaultCluster();
        return fresh;
    }

    /** The name of the cluster cells run on when they give no --cluster. */
    public synchronized String current() throws ConfigException {
        config();
        return current;
    }

    public synchronized ClusterProfile currentProfile() throws ConfigException {
        return config().get(current());
    }

    /** {@code %hpc use NAME}: the name must be a defined cluster. */
    public synchronized ClusterProfile use(String name) throws ConfigException {
        ClusterProfile profile = config().get(name);
        current = profile.name();
        return profile;
    }

    /** The profile for a cell: the one its --cluster names, or the current one when it names none. */
    public synchronized ClusterProfile select(String nameOrNull) throws ConfigException {
        return nameOrNull == null ? currentProfile() : config().get(nameOrNull);
    }

    /** {@code %hpc clusters}. */
    public synchronized ClusterTable describe() throws ConfigException {
        return ClusterTable.of(config(), current());
    }
}
