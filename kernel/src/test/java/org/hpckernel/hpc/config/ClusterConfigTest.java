package org.hpckernel.hpc.config;

import org.hpckernel.hpc.transport.SshSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.options.HpcOption;
import org.hpckernel.hpc.scheduler.PbsScheduler;
import org.hpckernel.hpc.scheduler.SchedulerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigTest {
    private static final String LABEL = "~/.config/hpc-kernel/clusters.json";

    @TempDir
    Path home;

    private Path write(String json) throws IOException {
        Path file = home.resolve(".config/hpc-kernel/clusters.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return file;
    }

    private ClusterConfig load(String json) throws Exception {
        write(json);
        return ClusterConfig.load(Map.of(), home);
    }

    /** The message of loading {@code json}; it must always start with the file. */
    private String error(String json) throws IOException {
        write(json);
        ConfigException e = assertThrows(ConfigException.class, () -> ClusterConfig.load(Map.of(), home));
        assertTrue(e.getMessage().startsWith(LABEL), e.getMessage());
        return e.getMessage();
    }

    /** A config with one cluster "dahu" whose body is {@code body}, starting on line 3. */
    private static String dahu(String body) {
        return "{\n\"clusters\": {\n\"dahu\": {" + body + "}\n}\n}";
    }

    static final String FULL = """
            { "default": "dahu",   // the cluster cells use
              "clusters": {
                "dahu": { "scheduler": "slurm",                 // slurm | local | pbs | oar | sge | lsf
                          "workdir": "/scratch/me/hpc-kernel",  /* job directories go here */
                          "java": "/usr/bin/java",
                          "setup": ["module load java/17", "echo http://x//y /* kept */"],
                          "defaults": { "partition": "debug", "time": "00:10:00", "nodes": 2, "env": "A=1" },
                          "host": "login.example.org", "port": 22, "user": "me", "identityFile": "~/.ssh/id_ed25519",
                          "knownHostsFile": "~/.ssh/known_hosts", "proxyJump": "gateway", "hostKeyPolicy": "accept-new",
                          "monitoring": { "pollMin": "2s", "pollMax": "2m", "followInterval": "500ms", "outputCap": "512KB" } },
                "laptop": { "scheduler": "local" }
              }
            }
            """;

    @Test
    void readsEveryField() throws Exception {
        Path file = write(FULL);
        ClusterConfig config = ClusterConfig.load(Map.of(), home);
        assertEquals(file, config.source());
        assertEquals(LABEL, config.sourceLabel());
        assertEquals("dahu", config.defaultCluster());
        assertEquals(List.of("dahu", "laptop"), config.names());

        ClusterProfile dahu = config.get("dahu");
        assertEquals("slurm", dahu.scheduler());
        assertEquals("/scratch/me/hpc-kernel", dahu.workdir());
        assertEquals("/usr/bin/java", dahu.java());
        assertEquals(List.of("module load java/17", "echo http://x//y /* kept */"), dahu.setup());
        assertEquals(Map.of(HpcOption.PARTITION, "debug", HpcOption.TIME, "00:10:00", HpcOption.NODES, "2",
                HpcOption.ENV, "A=1"), dahu.defaults());
        assertEquals(new SshSettings("login.example.org", 22, "me", home.resolve(".ssh/id_ed25519").toString(),
                home.resolve(".ssh/known_hosts").toString(), "gateway", true), dahu.ssh());
        assertTrue(dahu.isRemote());
        assertEquals(new ClusterProfile.Monitoring(Duration.ofSeconds(2), Duration.ofMinutes(2), Duration.ofMillis(500),
                512 * 1024), dahu.monitoring());
        assertEquals(dahu, config.defaultProfile());
    }

    @Test
    void localClusterGetsDefaultWorkdirAndTheRunningJava() throws Exception {
        ClusterProfile laptop = load(FULL).get("laptop");
        assertEquals(home.resolve(".local/share/hpc-kernel/jobs-root").toString(), laptop.workdir());
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toString(), laptop.java());
        assertNull(laptop.ssh());
        assertEquals(List.of(), laptop.setup());
        assertEquals(Map.of(), laptop.defaults());
        assertEquals(ClusterProfile.Monitoring.defaults(), laptop.monitoring());
    }

    @Test
    void homeIsExpandedHereAndResolvedAgainstTheRemoteHome() throws Exception {
        ClusterConfig config = load("""
                {"clusters": {
                  "here": {"scheduler": "slurm", "workdir": "~/jobs", "java": "$HOME/jdk/bin/java"},
                  "there": {"scheduler": "slurm", "workdir": "~/jobs", "java": "${HOME}/jdk/bin/java", "host": "h"}}}""");
        assertEquals(home.resolve("jobs").toString(), config.get("here").workdir());
        assertEquals(home.resolve("jdk/bin/java").toString(), config.get("here").java());
        // Only the login node knows its home: the session resolves the paths once it is connected,
        // and every operation then uses the absolute path, never a "~" that SFTP and a shell read differently.
        ClusterProfile there = ProfilePaths.resolve(config.get("there"), "/home/me");
        assertEquals("/home/me/jobs", there.workdir());
        assertEquals("/home/me/jdk/bin/java", there.java());
        assertEquals(config.get("there").ssh(), there.ssh());
        assertEquals("java", load("{\"clusters\": {\"c\": {\"scheduler\": \"pbs\", \"workdir\": \"/w\"}}}").get("c").java());
        assertEquals("java", ProfilePaths.resolve(load("{\"clusters\": {\"c\": {\"scheduler\": \"pbs\", \"workdir\": \"/w\", "
                + "\"host\": \"h\"}}}").get("c"), "/home/me").java());
    }

    @Test
    void relativeOrForeignPathsAreRefusedWithTheReason() throws IOException {
        String remote = "\"scheduler\": \"slurm\", \"host\": \"h\", ";
        assertTrue(error(dahu(remote + "\"workdir\": \"hpc\"")).endsWith("\"workdir\" must be " + ProfilePaths.FORMS
                + " on the remote machine (on a file system the compute nodes share); it is relative, and a job's current"
                + " directory is its job directory; write it from / or from ~/ (got \"hpc\")"));
        assertTrue(error(dahu(remote + "\"workdir\": \"$SCRATCH/hpc\"")).contains("only $HOME is expanded"));
        assertTrue(error(dahu(remote + "\"workdir\": \"~bob/hpc\"")).contains("~user is not expanded"));
        assertTrue(error(dahu(remote + "\"workdir\": \"/w\", \"java\": \"jdk/bin/java\""))
                .contains("\"java\" must be a command name without \"/\" or " + ProfilePaths.FORMS + "; it is relative"));
    }

    @Test
    void sshDefaultsAreNullsAndStrictHostKeys() throws Exception {
        SshSettings ssh = load(dahu("\"scheduler\": \"slurm\", \"workdir\": \"/w\", \"host\": \"dahu\"")).get("dahu").ssh();
        assertEquals(new SshSettings("dahu", null, null, null, null, null, false), ssh);
        ssh = load(dahu("\"scheduler\": \"slurm\", \"workdir\": \"/w\", \"host\": \"dahu\", \"hostKeyPolicy\": \"strict\""))
                .get("dahu").ssh();
        assertFalse(ssh.acceptNewHostKeys());
    }

    @Test
    void defaultIsTheOnlyOrFirstCluster() throws Exception {
        assertEquals("b", load("{\"clusters\": {\"b\": {\"scheduler\": \"local\"}, \"a\": {\"scheduler\": \"local\"}}}")
                .defaultCluster());
        assertEquals("a", load("{\"default\": \"a\", \"clusters\": {\"b\": {\"scheduler\": \"local\"}, \"a\": {\"scheduler\": \"local\"}}}")
                .defaultCluster());
    }

    // --- no file, and where the file is looked for

    @Test
    void noFileMeansOneImplicitLocalCluster() throws Exception {
        ClusterConfig config = ClusterConfig.load(Map.of(), home);
        assertNull(config.source());
        assertEquals("local", config.defaultCluster());
        ClusterProfile local = config.get("local");
        assertEquals(new ClusterProfile("local", "local", home.resolve(".local/share/hpc-kernel/jobs-root").toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), List.of(), Map.of(), null,
                ClusterProfile.Monitoring.defaults()), local);
        assertTrue(Path.of(local.workdir()).isAbsolute());
        assertEquals(List.of(local), config.clusters());
    }

    @Test
    void implicitWorkdirFollowsXdgDataHome() throws Exception {
        Path data = home.resolve("data");
        assertEquals(data.resolve("hpc-kernel/jobs-root").toString(),
                ClusterConfig.load(Map.of("XDG_DATA_HOME", data.toString()), home).get("local").workdir());
        // The XDG spec says a relative value is to be ignored.
        assertEquals(home.resolve(".local/share/hpc-kernel/jobs-root").toString(),
                ClusterConfig.load(Map.of("XDG_DATA_HOME", "relative/dir"), home).get("local").workdir());
    }

    @Test
    void unknownNameWithoutFileNamesTheFileToCreate() {
        ConfigException e = assertThrows(ConfigException.class, () -> ClusterConfig.load(Map.of(), home).get("dahu"));
        assertEquals("no cluster named \"dahu\": there is no " + LABEL + ", so the only cluster is \"local\"; "
                + "define clusters in that file", e.getMessage());
    }

    @Test
    void environmentPrecedence() throws Exception {
        Path xdg = home.resolve("xdg");
        Files.createDirectories(xdg.resolve("hpc-kernel"));
        Files.writeString(xdg.resolve("hpc-kernel/clusters.json"), "{\"clusters\": {\"from-xdg\": {\"scheduler\": \"local\"}}}");
        Path explicit = home.resolve("elsewhere.json");
        Files.writeString(explicit, "{\"clusters\": {\"from-env\": {\"scheduler\": \"local\"}}}");
        write("{\"clusters\": {\"from-home\": {\"scheduler\": \"local\"}}}");

        assertEquals("from-home", ClusterConfig.load(Map.of(), home).defaultCluster());
        assertEquals("from-xdg", ClusterConfig.load(Map.of("XDG_CONFIG_HOME", xdg.toString()), home).defaultCluster());
        assertEquals("from-env", ClusterConfig.load(Map.of("XDG_CONFIG_HOME", xdg.toString(),
                "HPC_KERNEL_CONFIG", explicit.toString()), home).defaultCluster());
        assertEquals(explicit, ClusterConfig.load(Map.of("HPC_KERNEL_CONFIG", explicit.toString()), home).source());
        assertEquals("from-home", ClusterConfig.load(Map.of("HPC_KERNEL_CONFIG", " ", "XDG_CONFIG_HOME", "rel"), home)
                .defaultCluster());
    }

    @Test
    void explicitFileMayStartWithHome() throws Exception {
        Files.writeString(home.resolve("mine.json"), "{\"clusters\": {\"mine\": {\"scheduler\": \"local\"}}}");
        assertEquals(home.resolve("mine.json"), ClusterConfig.load(Map.of("HPC_KERNEL_CONFIG", "~/mine.json"), home).source());
    }

    @Test
    void hugeNumbersAreErrorsNotCrashes() throws IOException {
        assertTrue(error(dahu("\"scheduler\": \"slurm\", \"workdir\": \"/w\", \"host\": \"h\", \"port\": 1e9999999999"))
                .endsWith("\"port\" must be a port number from 1 to 65535 (got 1e9999999999)"));
    }

    @Test
    void explicitFileThatDoesNotExistIsAnError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ClusterConfig.load(Map.of("HPC_KERNEL_CONFIG", home.resolve("nope.json").toString()), home));
        assertEquals("~/nope.json: no such file (named by $HPC_KERNEL_CONFIG); create it or unset the variable", e.getMessage());
    }

    @Test
    void unreadableFilesAreConfigErrors() throws IOException {
        Path file = home.resolve(".config/hpc-kernel/clusters.json");
        Files.createDirectories(file);
        assertEquals(LABEL + ": is a directory, not a clusters.json file",
                assertThrows(ConfigException.class, () -> ClusterConfig.load(Map.of(), home)).getMessage());
        Files.delete(file);
        Files.write(file, new byte[] {'{', (byte) 0xff, '}'});
        assertEquals(LABEL + ": is not UTF-8 text; save it as UTF-8",
                assertThrows(ConfigException.class, () -> ClusterConfig.load(Map.of(), home)).getMessage());
        Files.writeString(file, " ".repeat((int) ClusterConfig.MAX_BYTES + 1), StandardCharsets.UTF_8);
        assertTrue(assertThrows(ConfigException.class, () -> ClusterConfig.load(Map.of(), home)).getMessage()
                .startsWith(LABEL + ": too large for a cluster config"));
    }

    // --- errors: each names the file, the line, the cluster, the key and what is expected

    @Test
    void unknownSchedulerListsTheKnownOnes() throws IOException {
        assertEquals(LABEL + ", line 3: cluster \"dahu\": \"scheduler\" must be one of slurm, local, pbs, oar, sge, lsf (got \"slrum\")",
                error(dahu("\"scheduler\": \"slrum\", \"workdir\": \"/w\"")));
        assertEquals(LABEL + ", line 3: cluster \"dahu\": \"scheduler\" must be one of slurm, local, pbs, oar, sge, lsf (got 5)",
                error(dahu("\"scheduler\": 5")));
        assertEquals(LABEL + ", line 3: cluster \"dahu\": \"scheduler\" is required: one of slurm, local, pbs, oar, sge, lsf",
                error(dahu("\"workdir\": \"/w\"")));
    }

    @Test
    void unknownKeysAreTypos() throws IOException {
        assertEquals(LABEL + ", line 4: cluster \"dahu\": unknown key \"workdri\" (known: scheduler, workdir, java, setup, "
                + "defaults, host, port, user, identityFile, knownHostsFile, proxyJump, hostKeyPolicy, monitoring, pbs, sge, "
                + "local, extraDirectives, maxInputBytes, maxOutputBytes); "
                + "did you mean \"workdir\"?",
                error(dahu("\"scheduler\": \"slurm\",\n\"workdri\": \"/w\"")));
        assertEquals(LABEL + ", line 1: unknown key \"cluster\" (known: default, clusters); did you mean \"clusters\"?",
                error("{\"cluster\": {}}"));
        assertEquals(LABEL + ", line 3: cluster \"dahu\": \"monitoring\": unknown key \"pollmax\" (known: pollMin, pollMax, "
                + "followInterval, outputCap, fileSystemLag); did you mean \"pollMax\"?",
                error(dahu("\"scheduler\": \"local\", \"monitoring\": {\"pollmax\": \"1s\"}")));
    }

    @Test
    void syntaxErrorsGiveLineAndColumn() throws IOException {
        // The multi-line comment and the "//" inside a string must not shift the line count.
        assertEquals(LABEL + ", line 5, column 1: JSON syntax error: trailing comma before }",
                error("{\"clusters\": {\n  \"dahu\": {\"scheduler\": \"local\", \"setup\": [\"echo a//b\"]},\n"
                        + "  /* a\ncomment */\n}}"));
        assertEquals(LABEL + ", line 2, column 15: JSON syntax error: expected : after the key \"scheduler\" but found \"\\\"\"",
                error("{\"clusters\": {\"d\": {\n  \"scheduler\" \"local\"}}}"));
        assertEquals(LABEL + ": the file is empty; expected an object like " + ConfigReader.EXAMPLE, error("// nothing yet\n"));
        assertEquals(LABEL + ", line 1: expected an object like " + ConfigReader.EXAMPLE + " (got a list)", error("[]"));
        assertEquals(LABEL + ", line 3, column 1: JSON syntax error: duplicate key \"dahu\" (first given at line 2)",
                error("{\"clusters\": {\n\"dahu\": {\"scheduler\": \"local\"},\n\"dahu\": {\"scheduler\": \"local\"}}}"));
    }

    @Test
    void workdirRules() throws IOException {
        assertEquals(LABEL + ", line 3: cluster \"dahu\": \"workdir\" is required for scheduler slurm: " + ProfilePaths.FORMS
                + " (on a file system the compute nodes share)",
                error(dahu("\"scheduler\": \"slurm\"")));
        assertEquals(LABEL + ", line 3: cluster \"dahu\": \"workdir\" is required for scheduler local: " + ProfilePaths.FORMS
                + " on the remote machine (on a file system the compute nodes share)",
                error(dahu("\"scheduler\": \"local\", \"host\": \"h\"")));
        assertTrue(error(dahu("\"scheduler\": \"slurm\", \"workdir\": \"jobs\""))
                .endsWith("cluster \"dahu\": \"workdir\" must be " + ProfilePaths.FORMS
                        + " (on a file system the compute nodes share); it is relative, and a job's current directory is its"
                        + " job directory; write it from / or from ~/ (got \"jobs\")"));
        assertTrue(error(dahu("\"scheduler\": \"slurm\", \"workdir\": \"/w\\n/x\""))
                .endsWith("cluster \"dahu\": \"workdir\" must not contain control characters such as line breaks (got \"/w\\n/x\")"));
        assertTrue(error(dahu("\"scheduler\": \"slurm\", \"workdir\": \"\""))
                .endsWith("\"workdir\" must be " + ProfilePaths.FORMS + " (on a file system the compute nodes share) (got \"\")"));
    }

    @Test
    void defaultsAreCheckedLikeCellOptions() throws IOException {
        assertEquals(LABEL + ", line 3: cluster \"dahu\": \"defaults.time\": \"abc\" is not a time limit; expected MM, MM:SS, "
                + "HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS",
                error(dahu("\"scheduler\": \"local\", \"defaults\": {\"time\": \"abc\"}")));
        assertTrue(error(dahu("\"scheduler\": \"local\", \"defaults\": {\"time\": \"0\"}"))
                .endsWith("\"defaults.time\": \"0\" is zero; expected a positive time limit (MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)"));
        assertTrue(error(dahu("\"scheduler\": \"local\", \"defaults\": {\"job-name\": \"$(touch /tmp/x)\"}"))
                .endsWith("\"defaults.job-name\": \"$(touch /tmp/x)\" is not a job name; expected at most 64 letters, digits, "
                        + "_ . + or -, starting with a letter, digit or _"));
        assertTrue(error(dahu("\"scheduler\": \"local\", \"defaults\": {\"partition\": \"a;b\"}"))
                .contains("\"defaults.partition\": \"a;b\" is not a partition name"));
        assertTrue(error(dahu("\"scheduler\": \"local\", \"defaults\": {\"mem\": true}"))
                .endsWith("\"defaults.mem\" must be a string (or a whole number) as given after --mem (got true)"));
        assertTrue(error(dahu("\"scheduler\": \"local\", \"defaults\": {\"module\": [\"a\", \"b\"]}"))
                .endsWith("\"defaults.module\" must be a string (or a whole number) as given after --module, one value only "
                        + "(use \"setup\" for more) (got a list)"));
    }

    @Test
    void defaultsKeysAreOptionNames() throws IOException {
        String message = error(dahu("\"scheduler\": \"local\", \"defaults\": {\"tiem\": \"10\"}"));
        assertTrue(message.startsWith(LABEL + ", line 3: cluster \"dahu\": \"defaults\": unknown key \"tiem\" (known: partition, "
                + "time, nodes,"), message);
        assertTrue(message.endsWith("did you mean \"time\"?"), message);
        assertFalse(message.contains("known: cluster"), message);
        assertTrue(error(dahu("\"scheduler\": \"local\", \"defaults\": {\"--time\": \"10\"}")).contains("did you mean \"time\"?"));
        assertTrue(error(dahu("\"scheduler\": \"local\", \"defaults\": {\"detach\": \"true\"}"))
                .endsWith("\"defaults.detach\": is a flag and cannot be a default; give --detach in the cell"));
        assertTrue(error(dahu("\"scheduler\": \"local\", \"defaults\": {\"cluster\": \"x\"}"))
                .endsWith("\"defaults.cluster\": cannot be a default: the defaults apply once this cluster is chosen"));
    }

    @Test
    void sshSettingsAreChecked() throws IOException {
        String remote = "\"scheduler\": \"slurm\", \"workdir\": \"/w\", \"host\": \"h\", ";
        assertEquals(LABEL + ", line 3: cluster \"dahu\": \"hostKeyPolicy\" must be one of strict (the host must already be in "
                + "known_hosts) or accept-new (trust a host seen for the first time) (got \"yes\")",
                error(dahu(remote + "\"hostKeyPolicy\": \"yes\"")));
        assertTrue(error(dahu(remote + "\"port\": 70000")).endsWith("\"port\" must be a port number from 1 to 65535 (got 70000)"));
        assertTrue(error(dahu(remote + "\"port\": \"22\"")).endsWith("\"port\" must be a port number from 1 to 65535 (got \"22\")"));
        assertTrue(error(dahu(remote + "\"user\": \"-oProxyCommand=x\""))
                .endsWith("\"user\" must be a single word without spaces, not starting with - (got \"-oProxyCommand=x\")"));
        assertTrue(error(dahu(remote + "\"identityFile\": \"id_rsa\""))
                .endsWith("\"identityFile\" must be a file on this machine: " + ProfilePaths.FORMS + "; it is relative, and a job's"
                        + " current directory is its job directory; write it from / or from ~/ (got \"id_rsa\")"));
        assertEquals(LABEL + ", line 3: cluster \"dahu\": \"port\": is set but \"host\" is not; ssh settings apply only to a "
                + "cluster reached over ssh", error(dahu("\"scheduler\": \"slurm\", \"workdir\": \"/w\", \"port\": 22")));
    }

    @Test
    void valueCapsAreProfileKeys() throws Exception {
        String local = "\"scheduler\": \"local\", ";
        assertEquals(ValueCaps.defaults(), load(dahu(local.substring(0, local.length() - 2))).get("dahu").caps());
        assertEquals(new ValueCaps(8L << 20, 1L << 30), load(dahu(local + "\"maxInputBytes\": \"8MB\", \"maxOutputBytes\": \"1GB\""))
                .get("dahu").caps());
        assertEquals(4096, load(dahu(local + "\"maxInputBytes\": 4096")).get("dahu").caps().maxInputBytes());
        assertTrue(error(dahu(local + "\"maxOutputBytes\": \"lots\"")).endsWith("\"maxOutputBytes\" must be " + Quantities.SIZE_FORM
                + " (got \"lots\")"), error(dahu(local + "\"maxOutputBytes\": \"lots\"")));
        assertTrue(error(dahu(local + "\"maxInputBytes\": 0")).contains("\"maxInputBytes\" must be"));
        // The per-cell value options are no cluster defaults; the cap has its own key.
        assertTrue(error(dahu(local + "\"defaults\": {\"max-input\": \"2MB\"}"))
                .endsWith("\"defaults.max-input\": describes one cell's values and cannot be a default; the cluster's key"
                        + " \"maxInputBytes\" sets the cap for every cell"), error(dahu(local + "\"defaults\": {\"max-input\": \"2MB\"}")));
        assertTrue(error(dahu(local + "\"defaults\": {\"out\": \"x\"}")).endsWith("\"defaults.out\": describes one cell's values"
                + " and cannot be a default"));
    }

    @Test
    void monitoringIsChecked() throws Exception {
        String local = "\"scheduler\": \"local\", ";
        assertTrue(error(dahu(local + "\"monitoring\": {\"pollMin\": \"fast\"}"))
                .endsWith("\"monitoring.pollMin\" must be a duration such as 500ms, 1s, 2m or 1h (got \"fast\")"));
        assertTrue(error(dahu(local + "\"monitoring\": {\"pollMin\": 5}"))
                .endsWith("\"monitoring.pollMin\" must be a duration such as 500ms, 1s, 2m or 1h (got 5)"));
        assertTrue(error(dahu(local + "\"monitoring\": {\"pollMin\": \"2m\", \"pollMax\": \"1m\"}"))
                .endsWith("\"monitoring.pollMin\": the shortest poll interval (120000ms) must not exceed \"monitoring.pollMax\" (60000ms)"));
        assertTrue(error(dahu(local + "\"monitoring\": {\"outputCap\": \"big\"}"))
                .endsWith("\"monitoring.outputCap\" must be " + Quantities.SIZE_FORM + " (got \"big\")"));
        assertTrue(error(dahu(local + "\"monitoring\": []")).endsWith("\"monitoring\" must be an object with pollMin, pollMax, "
                + "followInterval and outputCap (got a list)"));
        ClusterProfile.Monitoring m = load(dahu(local + "\"monitoring\": {\"outputCap\": 1048576, \"pollMax\": \"5s\"}"))
                .get("dahu").monitoring();
        assertEquals(new ClusterProfile.Monitoring(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMillis(100), 1 << 20), m);
        assertEquals(1 << 20, load(dahu(local + "\"monitoring\": {\"outputCap\": \"1MB\"}")).get("dahu").monitoring().outputCap());
        assertEquals(Duration.ofSeconds(60), m.fileSystemLag());
        assertEquals(Duration.ofSeconds(5), load(dahu(local + "\"monitoring\": {\"fileSystemLag\": \"5s\"}")).get("dahu")
                .monitoring().fileSystemLag());
    }

    @Test
    void topLevelShapeErrors() throws IOException {
        assertEquals(LABEL + ", line 1: \"clusters\" must define at least one cluster, like " + ConfigReader.EXAMPLE,
                error("{\"clusters\": {}}"));
        assertEquals(LABEL + ", line 1: \"clusters\" must define at least one cluster, like " + ConfigReader.EXAMPLE,
                error("{\"default\": \"x\"}"));
        assertEquals(LABEL + ", line 1: \"clusters\" must be an object of named clusters, like " + ConfigReader.EXAMPLE
                + " (got a list)", error("{\"clusters\": []}"));
        assertEquals(LABEL + ", line 1: \"default\" must be the name of a cluster defined in \"clusters\" (a, b) (got \"c\")",
                error("{\"default\": \"c\", \"clusters\": {\"a\": {\"scheduler\": \"local\"}, \"b\": {\"scheduler\": \"local\"}}}"));
        assertEquals(LABEL + ", line 2: cluster name \"my cluster\" cannot be used with --cluster; expected a cluster profile "
                + "name (see %hpc clusters): at most 64 letters, digits, _ . or -, starting with a letter or digit",
                error("{\"clusters\": {\n\"my cluster\": {\"scheduler\": \"local\"}}}"));
        assertEquals(LABEL + ", line 2: cluster \"a\" must be an object like {\"scheduler\": \"slurm\", \"workdir\": "
                + "\"/scratch/me/hpc-kernel\"} (got \"slurm\")", error("{\"clusters\": {\n\"a\": \"slurm\"}}"));
    }

    @Test
    void setupMustBeAListOfSingleLines() throws IOException {
        assertTrue(error(dahu("\"scheduler\": \"local\", \"setup\": \"module load x\""))
                .endsWith("\"setup\" must be a list of shell lines, e.g. [\"module load java/17\"] (got \"module load x\")"));
        assertTrue(error(dahu("\"scheduler\": \"local\", \"setup\": [\"a\\nb\"]"))
                .endsWith("\"setup\" must not contain control characters such as line breaks (got \"a\\nb\")"));
    }

    @Test
    void schedulerSettingsAreRead() throws Exception {
        ClusterProfile pbs = load(dahu("\"scheduler\": \"pbs\", \"workdir\": \"/w\", \"pbs\": {\"flavor\": \"torque\"}, "
                + "\"extraDirectives\": [\"#PBS -l software=matlab\", \"#PBS -W group_list=physics\"]")).get("dahu");
        assertEquals(PbsScheduler.Flavor.TORQUE, pbs.schedulerSettings().pbsFlavor());
        assertEquals(List.of("#PBS -l software=matlab", "#PBS -W group_list=physics"), pbs.schedulerSettings().extraDirectives());
        ClusterProfile sge = load(dahu("\"scheduler\": \"sge\", \"workdir\": \"/w\", \"sge\": {\"parallelEnvironment\": \"smp\"}"))
                .get("dahu");
        assertEquals("smp", sge.schedulerSettings().sgeParallelEnvironment());
        ClusterProfile local = load(dahu("\"scheduler\": \"local\", \"local\": {\"slots\": 3}")).get("dahu");
        assertEquals(3, local.schedulerSettings().localSlots());
        ClusterProfile plain = load(dahu("\"scheduler\": \"pbs\", \"workdir\": \"/w\"")).get("dahu");
        assertEquals(SchedulerSettings.none(), plain.schedulerSettings()); // flavor null: asked of qstat --version
    }

    @Test
    void schedulerSettingsAreRefusedWithTheReason() throws IOException {
        assertTrue(error(dahu("\"scheduler\": \"pbs\", \"workdir\": \"/w\", \"pbs\": {\"flavor\": \"openpbs\"}"))
                .endsWith("\"pbs.flavor\" must be pro (PBS Professional, OpenPBS) or torque; leave it out to ask qstat "
                        + "--version (got \"openpbs\")"));
        assertTrue(error(dahu("\"scheduler\": \"slurm\", \"workdir\": \"/w\", \"sge\": {\"parallelEnvironment\": \"smp\"}"))
                .endsWith("\"sge\": is set but \"scheduler\" is slurm; these settings apply only to scheduler sge"));
        assertTrue(error(dahu("\"scheduler\": \"sge\", \"workdir\": \"/w\", \"sge\": {\"parallelEnvironment\": \"a;b\"}"))
                .endsWith("\"sge.parallelEnvironment\": not a Grid Engine parallel environment name: a;b"));
        assertTrue(error(dahu("\"scheduler\": \"local\", \"local\": {\"slots\": 0}"))
                .endsWith("\"local.slots\" must be how many local jobs may run at once, a whole number from 1 to 4096 (got 0)"));
        assertTrue(error(dahu("\"scheduler\": \"local\", \"extraDirectives\": [\"#SBATCH -C x\"]"))
                .endsWith("\"extraDirectives\": the local backend runs no batch scheduler, so there is nothing to give "
                        + "directive lines to; remove \"extraDirectives\""));
    }

    @Test
    void extraDirectivesAreDirectiveLinesOfThatSchedulerNeverShell() throws IOException {
        String wrongPrefix = error(dahu("\"scheduler\": \"slurm\", \"workdir\": \"/w\", \"extraDirectives\": [\"#PBS -l x=1\"]"));
        assertTrue(wrongPrefix.endsWith("\"extraDirectives\": \"#PBS -l x=1\" is not a Slurm directive line; each must start "
                + "with \"#SBATCH \" followed by the option as Slurm reads it there"), wrongPrefix);
        String shell = error(dahu("\"scheduler\": \"slurm\", \"workdir\": \"/w\", \"extraDirectives\": [\"rm -rf ~\"]"));
        assertTrue(shell.contains("\"rm -rf ~\" is not a Slurm directive line"), shell);
        String empty = error(dahu("\"scheduler\": \"sge\", \"workdir\": \"/w\", \"extraDirectives\": [\"#$  \"]"));
        assertTrue(empty.contains("is not a Grid Engine directive line"), empty);
        String newline = error(dahu("\"scheduler\": \"oar\", \"workdir\": \"/w\", \"extraDirectives\": [\"#OAR -p x\\necho hi\"]"));
        assertTrue(newline.contains("must not contain control characters such as line breaks"), newline);
        String tab = error(dahu("\"scheduler\": \"lsf\", \"workdir\": \"/w\", \"extraDirectives\": [\"#BSUB -x\\t; echo\"]"));
        assertTrue(tab.contains("contains a line break or control character (U+0009)"), tab);
    }

    @Test
    void unknownClusterListsTheKnownOnes() throws Exception {
        ClusterConfig config = load(FULL);
        ConfigException e = assertThrows(ConfigException.class, () -> config.get("dahuu"));
        assertEquals(LABEL + ": no cluster named \"dahuu\" (known: dahu, laptop); did you mean \"dahu\"?", e.getMessage());
        e = assertThrows(ConfigException.class, () -> config.get("x\n;rm"));
        assertEquals(LABEL + ": no cluster named \"x\\n;rm\" (known: dahu, laptop)", e.getMessage());
    }

    @Test
    void nullMeansNotSet() throws Exception {
        ClusterProfile p = load(dahu("\"scheduler\": \"local\", \"host\": null, \"java\": null, \"setup\": null")).get("dahu");
        assertNull(p.ssh());
        assertEquals(List.of(), p.setup());
    }
}
