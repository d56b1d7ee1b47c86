package org.hpckernel.hpc.config;

import org.hpckernel.hpc.transport.SshSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.options.BadValueException;
import org.hpckernel.hpc.options.OptionValues;
import org.hpckernel.hpc.options.HpcOption;
import org.hpckernel.hpc.scheduler.PbsScheduler;
import org.hpckernel.hpc.scheduler.SchedulerSettings;
import org.hpckernel.hpc.scheduler.Schedulers;

/**
 * One entry of "clusters" to a {@link ClusterProfile}. Paths starting from the home directory
 * ({@code ~/}, {@code $HOME/}, {@code ${HOME}/}) on this machine (workdir and java of a cluster
 * without "host", identityFile, knownHostsFile) are expanded here; on a remote cluster workdir and
 * java are checked and kept as written, since only the login node knows its home: the session
 * resolves them once per cluster ({@link ProfilePaths#resolve}).
 */
final class ProfileReader {
    static final List<String> SCHEDULERS = Schedulers.names();
    static final List<String> KEYS = List.of("scheduler", "workdir", "java", "setup", "defaults", "host", "port",
            "user", "identityFile", "knownHostsFile", "proxyJump", "hostKeyPolicy", "monitoring", "pbs", "sge", "local",
            "extraDirectives", "maxInputBytes", "maxOutputBytes");
    /** Keys that only make sense for a cluster reached over ssh. */
    static final List<String> SSH_KEYS = List.of("port", "user", "identityFile", "knownHostsFile", "proxyJump", "hostKeyPolicy");
    static final List<String> MONITORING_KEYS = List.of("pollMin", "pollMax", "followInterval", "outputCap",
            "fileSystemLag");
    static final List<String> HOST_KEY_POLICIES = List.of("strict", "accept-new");

    /** A host, user or jump spec: a single word that cannot be taken for an ssh option. */
    private static final String SSH_WORD = "a single word without spaces, not starting with -";

    private final ConfigObject fields;
    private final String name;
    private final ConfigLocations locations;

    private ProfileReader(String name, ConfigObject fields, ConfigLocations locations) {
        this.name = name;
        this.fields = fields;
        this.locations = locations;
    }

    static ClusterProfile read(String name, JsonNode.Obj node, String file, ConfigLocations locations)
            throws ConfigException {
        ConfigObject fields = new ConfigObject(node, new ConfigObject.Context(file, name), "");
        return new ProfileReader(name, fields, locations).read();
    }

    private ClusterProfile read() throws ConfigException {
        fields.allowOnly(KEYS);
        String scheduler = scheduler();
        SshSettings ssh = ssh();
        boolean here = ssh == null;
        String workdir = workdir(scheduler, here);
        String java = java(here);
        if (java == null) java = here && scheduler.equals("local") ? ConfigLocations.runningJava() : "java";
        List<String> setup = fields.strings("setup", "a list of shell lines, e.g. [\"module load java/17\"]");
        return new ClusterProfile(name, scheduler, workdir, java, setup == null ? List.of() : setup, defaults(), ssh,
                monitoring(), schedulerSettings(scheduler), caps());
    }

    /** "maxInputBytes" and "maxOutputBytes": sizes, as "outputCap" of "monitoring" takes them. */
    private ValueCaps caps() throws ConfigException {
        ValueCaps d = ValueCaps.defaults();
        return new ValueCaps(size("maxInputBytes", d.maxInputBytes()), size("maxOutputBytes", d.maxOutputBytes()));
    }

    private long size(String key, long fallback) throws ConfigException {
        JsonNode node = fields.get(key);
        if (node == null) return fallback;
        Long bytes = null;
        if (node instanceof JsonNode.Str str) bytes = Quantities.bytes(str.value());
        else if (node instanceof JsonNode.Num n && n.wholeValue() != null && n.wholeValue() > 0) bytes = n.wholeValue();
        if (bytes == null) throw fields.mustBe(key, node, Quantities.SIZE_FORM);
        return bytes;
    }

    private String scheduler() throws ConfigException {
        String expected = "one of " + String.join(", ", SCHEDULERS);
        JsonNode value = fields.get("scheduler");
        if (value == null) throw fields.error(fields.line(), "\"scheduler\" is required: " + expected);
        String scheduler = fields.string("scheduler", expected);
        if (!SCHEDULERS.contains(scheduler)) throw fields.mustBe("scheduler", value, expected);
        return scheduler;
    }

    /**
     * Required unless the jobs run on this machine with no scheduler, where a private default is
     * fine; elsewhere it must be on a file system the compute nodes share, which only the user knows.
     */
    private String workdir(String scheduler, boolean here) throws ConfigException {
        String expected = here ? ProfilePaths.FORMS + " (on a file system the compute nodes share)"
                : ProfilePaths.FORMS + " on the remote machine (on a file system the compute nodes share)";
        String workdir = fields.string("workdir", expected);
        if (workdir == null) {
            if (here && scheduler.equals("local")) return locations.localJobsRoot().toString();
            throw fields.error(fields.line(), "\"workdir\" is required for scheduler " + scheduler + ": " + expected);
        }
        return clusterPath("workdir", workdir, here, expected);
    }

    /** "java": a command name looked up on the nodes' PATH, or a path in one of {@link ProfilePaths#FORMS}. */
    private String java(boolean here) throws ConfigException {
        String expected = "the java command or path on the compute nodes, e.g. \"java\", \"/usr/bin/java\" or \"~/jdk-17/bin/java\"";
        String java = fields.string("java", expected);
        if (java == null || ProfilePaths.isCommandName(java)) return java;
        return clusterPath("java", java, here, "a command name without \"/\" or " + ProfilePaths.FORMS);
    }

    /**
     * A path on the cluster's side: checked here; expanded here when the cluster is this machine,
     * else kept as written for the session to resolve against the login node's home.
     */
    private String clusterPath(String key, String value, boolean here, String expected) throws ConfigException {
        java.util.Optional<String> problem = ProfilePaths.problem(value);
        if (problem.isPresent()) throw fields.mustBe(key, fields.get(key), expected + "; " + problem.get());
        if (!here) return value;
        try {
            return ProfilePaths.expand(value, locations.home().toAbsolutePath().normalize().toString());
        } catch (IllegalArgumentException e) {
            throw fields.mustBe(key, fields.get(key), expected + "; " + e.getMessage());
        }
    }

    private SshSettings ssh() throws ConfigException {
        String host = fields.string("host", "the login node's host name or ~/.ssh/config alias, " + SSH_WORD);
        if (host == null) {
            for (String key : SSH_KEYS) {
                if (fields.get(key) != null) {
                    throw fields.problem(key, fields.get(key).line(),
                            "is set but \"host\" is not; ssh settings apply only to a cluster reached over ssh");
                }
            }
            return null;
        }
        sshWord("host", host);
        Integer port = fields.integer("port", "a port number from 1 to 65535", 1, 65535);
        String user = sshWord("user", fields.string("user", "a user name, " + SSH_WORD));
        String identityFile = localFile("identityFile");
        String knownHostsFile = localFile("knownHostsFile");
        String proxyJump = sshWord("proxyJump", fields.string("proxyJump", "a jump host such as gateway or me@gw:2222, " + SSH_WORD));
        String policy = fields.string("hostKeyPolicy", "one of " + String.join(", ", HOST_KEY_POLICIES));
        if (policy != null && !HOST_KEY_POLICIES.contains(policy)) {
            throw fields.mustBe("hostKeyPolicy", fields.get("hostKeyPolicy"),
                    "one of strict (the host must already be in known_hosts) or accept-new (trust a host seen for the first time)");
        }
        return new SshSettings(host, port, user, identityFile, knownHostsFile, proxyJump,
                "accept-new".equals(policy));
    }

    private String sshWord(String key, String value) throws ConfigException {
        if (value != null && (value.startsWith("-") || value.chars().anyMatch(Character::isWhitespace))) {
            throw fields.mustBe(key, fields.get(key), SSH_WORD);
        }
        return value;
    }

    /** A file on this machine: absolute or from the home directory, returned absolute. */
    private String localFile(String key) throws ConfigException {
        String expected = "a file on this machine: " + ProfilePaths.FORMS;
        String value = fields.string(key, expected);
        if (value == null) return null;
        String path = clusterPath(key, value, true, expected);
        try {
            return Path.of(path).toString();
        } catch (InvalidPathException e) {
            throw fields.mustBe(key, fields.get(key), "a valid path (" + e.getReason() + ")");
        }
    }

    /** "defaults": %%hpc options by long name without "--", each checked exactly as in a cell. */
    private Map<HpcOption, String> defaults() throws ConfigException {
        ConfigObject defaults = fields.object("defaults", "an object of %%hpc options, e.g. {\"partition\": \"debug\", \"time\": \"00:10:00\"}");
        Map<HpcOption, String> result = new EnumMap<>(HpcOption.class);
        if (defaults == null) return Collections.unmodifiableMap(result);
        List<String> known = Arrays.stream(HpcOption.values())
                .filter(o -> o.takesValue() && o != HpcOption.CLUSTER && !o.cellOnly()).map(HpcOption::key).toList();
        for (JsonNode.Member m : defaults.members()) {
            HpcOption option = Arrays.stream(HpcOption.values()).filter(o -> o.key().equals(m.key())).findFirst().orElse(null);
            if (option == null) defaults.allowOnly(known); // throws, listing the known keys with a suggestion
            if (option == HpcOption.CLUSTER) {
                throw defaults.problem(m.key(), m.line(), "cannot be a default: the defaults apply once this cluster is chosen");
            }
            if (option.cellOnly()) {
                throw defaults.problem(m.key(), m.line(), "describes one cell's values and cannot be a default"
                        + (option == HpcOption.MAX_INPUT ? "; the cluster's key \"maxInputBytes\" sets the cap for every cell" : ""));
            }
            if (!option.takesValue()) {
                throw defaults.problem(m.key(), m.line(), "is a flag and cannot be a default; give " + option.longName() + " in the cell");
            }
            JsonNode node = defaults.get(m.key());
            if (node == null) continue;
            String value = null;
            if (node instanceof JsonNode.Str s) value = s.value();
            else if (node instanceof JsonNode.Num n && n.wholeValue() != null) value = Long.toString(n.wholeValue());
            if (value == null) {
                throw defaults.mustBe(m.key(), node, "a string (or a whole number) as given after " + option.longName()
                        + (option.repeatable() ? ", one value only (use \"setup\" for more)" : ""));
            }
            try {
                OptionValues.check(option, value);
            } catch (BadValueException e) {
                throw defaults.problem(m.key(), node.line(), e.getMessage());
            }
            result.put(option, value);
        }
        return Collections.unmodifiableMap(result);
    }

    private ClusterProfile.Monitoring monitoring() throws ConfigException {
        ClusterProfile.Monitoring d = ClusterProfile.Monitoring.defaults();
        ConfigObject m = fields.object("monitoring", "an object with pollMin, pollMax, followInterval and outputCap");
        if (m == null) return d;
        m.allowOnly(MONITORING_KEYS);
        Duration pollMin = duration(m, "pollMin", d.pollMin());
        Duration pollMax = duration(m, "pollMax", d.pollMax());
        Duration follow = duration(m, "followInterval", d.followInterval());
        Duration lag = duration(m, "fileSystemLag", d.fileSystemLag());
        if (pollMin.compareTo(pollMax) > 0) {
            JsonNode at = m.get("pollMin") != null ? m.get("pollMin") : m.get("pollMax");
            throw m.problem("pollMin", at.line(), "the shortest poll interval (" + pollMin.toMillis()
                    + "ms) must not exceed \"monitoring.pollMax\" (" + pollMax.toMillis() + "ms)");
        }
        long outputCap = d.outputCap();
        JsonNode cap = m.get("outputCap");
        if (cap != null) {
            Long bytes = null;
            if (cap instanceof JsonNode.Str str) bytes = Quantities.bytes(str.value());
            else if (cap instanceof JsonNode.Num n && n.wholeValue() != null && n.wholeValue() > 0) bytes = n.wholeValue();
            if (bytes == null) throw m.mustBe("outputCap", cap, Quantities.SIZE_FORM);
            outputCap = bytes;
        }
        return new ClusterProfile.Monitoring(pollMin, pollMax, follow, outputCap, lag);
    }

    /**
     * "pbs": {"flavor"}, "sge": {"parallelEnvironment"}, "local": {"slots"} (each only for that
     * scheduler) and "extraDirectives", checked by the scheduler as its own directive lines.
     */
    private SchedulerSettings schedulerSettings(String scheduler) throws ConfigException {
        for (String key : List.of("pbs", "sge", "local")) {
            if (fields.get(key) != null && !key.equals(scheduler)) {
                throw fields.problem(key, fields.get(key).line(), "is set but \"scheduler\" is " + scheduler
                        + "; these settings apply only to scheduler " + key);
            }
        }
        PbsScheduler.Flavor flavor = null;
        ConfigObject pbs = fields.object("pbs", "an object such as {\"flavor\": \"torque\"}");
        if (pbs != null) {
            pbs.allowOnly(List.of("flavor"));
            String f = pbs.string("flavor", "pro (PBS Professional, OpenPBS) or torque");
            if (f != null && !f.equals("pro") && !f.equals("torque")) {
                throw pbs.mustBe("flavor", pbs.get("flavor"), "pro (PBS Professional, OpenPBS) or torque; "
                        + "leave it out to ask qstat --version");
            }
            flavor = f == null ? null : f.equals("pro") ? PbsScheduler.Flavor.PRO : PbsScheduler.Flavor.TORQUE;
        }
        String pe = null;
        ConfigObject sge = fields.object("sge", "an object such as {\"parallelEnvironment\": \"smp\"}");
        if (sge != null) {
            sge.allowOnly(List.of("parallelEnvironment"));
            pe = sge.string("parallelEnvironment", "the name of a parallel environment (qconf -spl lists them), e.g. \"smp\"");
        }
        Integer slots = null;
        ConfigObject local = fields.object("local", "an object such as {\"slots\": 4}");
        if (local != null) {
            local.allowOnly(List.of("slots"));
            slots = local.integer("slots", "how many local jobs may run at once, a whole number from 1 to 4096", 1, 4096);
        }
        List<String> extra = fields.strings("extraDirectives",
                "a list of directive lines for this scheduler, e.g. [\"#SBATCH --constraint=haswell\"]");
        SchedulerSettings settings = new SchedulerSettings(flavor, pe, slots, extra);
        try {
            Schedulers.check(scheduler, settings);
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().startsWith("extraDirectives") ? "extraDirectives" : "sge.parallelEnvironment";
            JsonNode at = fields.get(key) != null ? fields.get(key) : fields.get(key.startsWith("sge") ? "sge" : "scheduler");
            throw fields.problem(key, at.line(), e.getMessage().replaceFirst("^extraDirectives: ", ""));
        }
        return settings;
    }

    private static Duration duration(ConfigObject m, String key, Duration fallback) throws ConfigException {
        JsonNode node = m.get(key);
        if (node == null) return fallback;
        Duration d = node instanceof JsonNode.Str s ? Quantities.duration(s.value()) : null;
        if (d == null) throw m.mustBe(key, node, Quantities.DURATION_FORM);
        return d;
    }
}
