package org.hpckernel.hpc.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.options.Quoting;
import org.hpckernel.hpc.options.Suggestions;

/**
 * The clusters a user can run jobs on, from {@code $HPC_KERNEL_CONFIG}, else
 * {@code $XDG_CONFIG_HOME/hpc-kernel/clusters.json} (by default {@code ~/.config/hpc-kernel/clusters.json}).
 * Without that file there is one cluster, "local": jobs run on this machine with no scheduler.
 * Loading never throws anything but {@link ConfigException} for a bad or unreadable file, so the
 * kernel can load it at the first %%hpc and show what to fix in the cell.
 */
public final class ClusterConfig {
    public static final String IMPLICIT_CLUSTER = "local";
    /** Far beyond any real config; a bigger file is a wrong path, not a config. */
    static final long MAX_BYTES = 1 << 20;

    private final Path source;
    private final String label;
    private final List<ClusterProfile> clusters;
    private final String defaultCluster;

    ClusterConfig(Path source, String label, List<ClusterProfile> clusters, String defaultCluster) {
        this.source = source;
        this.label = label;
        this.clusters = List.copyOf(clusters);
        this.defaultCluster = defaultCluster;
    }

    public static ClusterConfig loadDefault() throws ConfigException {
        return load(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** Loads with the given environment and home directory, so tests need not touch the real ones. */
    public static ClusterConfig load(Map<String, String> env, Path home) throws ConfigException {
        ConfigLocations locations = new ConfigLocations(env, home);
        Path file;
        try {
            file = locations.configFile();
        } catch (InvalidPathException e) {
            throw new ConfigException("$" + ConfigLocations.CONFIG_VARIABLE + " is not a valid path (got "
                    + Quoting.quote(env.get(ConfigLocations.CONFIG_VARIABLE)) + ")");
        }
        if (!Files.exists(file)) {
            if (locations.configFileIsExplicit()) {
                throw new ConfigException(locations.shown(file) + ": no such file (named by $"
                        + ConfigLocations.CONFIG_VARIABLE + "); create it or unset the variable");
            }
            return implicitLocal(locations, file);
        }
        return ConfigReader.read(file, readText(file, locations.shown(file)), locations);
    }

    private static ClusterConfig implicitLocal(ConfigLocations locations, Path wouldBe) {
        ClusterProfile local = new ClusterProfile(IMPLICIT_CLUSTER, "local", locations.localJobsRoot().toString(),
                ConfigLocations.runningJava(), List.of(), Map.of(), null, ClusterProfile.Monitoring.defaults());
        return new ClusterConfig(null, locations.shown(wouldBe), List.of(local), IMPLICIT_CLUSTER);
    }

    private static String readText(Path file, String label) throws ConfigException {
        try {
            if (Files.isDirectory(file)) throw new ConfigException(label + ": is a directory, not a clusters.json file");
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(label + ": too large for a cluster config (" + Files.size(file) + " bytes)");
            }
            byte[] bytes = Files.readAllBytes(file);
            // Strict decoding: a file saved in another encoding should be reported, not half-read.
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(label + ": is not UTF-8 text; save it as UTF-8", e);
        } catch (IOException e) {
            throw new ConfigException(label + ": cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    /** The file read, or null when there is none and only the implicit "local" cluster exists. */
    public Path source() {
        return source;
    }

    /** The file as shown in messages ("~/.config/hpc-kernel/clusters.json"), also when it does not exist. */
    public String sourceLabel() {
        return label;
    }

    /** In file order. */
    public List<ClusterProfile> clusters() {
        return clusters;
    }

    public List<String> names() {
        return clusters.stream().map(ClusterProfile::name).toList();
    }

    public String defaultCluster() {
        return defaultCluster;
    }

    public ClusterProfile defaultProfile() {
        return clusters.stream().filter(c -> c.name().equals(defaultCluster)).findFirst().orElseThrow();
    }

    public ClusterProfile get(String name) throws ConfigException {
        for (ClusterProfile c : clusters) {
            if (c.name().equals(name)) return c;
        }
        String hint = name == null ? "" : Suggestions.closest(name, names()).map(s -> "; did you mean " + Quoting.quote(s) + "?").orElse("");
        if (source == null) {
            throw new ConfigException("no cluster named " + Quoting.quote(name) + hint + ": there is no " + label
                    + ", so the only cluster is \"" + IMPLICIT_CLUSTER + "\"; define clusters in that file");
        }
        throw new ConfigException(label + ": no cluster named " + Quoting.quote(name) + " (known: "
                + String.join(", ", names()) + ")" + hint);
    }
}
