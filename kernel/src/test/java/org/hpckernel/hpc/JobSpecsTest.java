package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.options.HpcArguments;
import org.hpckernel.hpc.options.HpcOption;
import org.hpckernel.hpc.options.OptionException;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.junit.jupiter.api.Test;

class JobSpecsTest {
    private static ClusterProfile profile(Map<HpcOption, String> defaults) {
        return new ClusterProfile("dahu", "slurm", "/scratch/me", "java", List.of(), defaults, null,
                ClusterProfile.Monitoring.defaults());
    }

    private static JobSpec build(String line, Map<HpcOption, String> defaults) throws OptionException {
        return JobSpecs.build(HpcArguments.parse(line.isEmpty() ? List.of() : List.of(line.split(" +"))), profile(defaults), "cell-3", "/scratch/me/job-1");
    }

    @Test
    void nothingAskedMeansNullsAndTheGivenName() throws OptionException {
        JobSpec spec = build("", Map.of());
        assertEquals(JobSpec.builder().jobName("cell-3").cluster("dahu").jobDir("/scratch/me/job-1").build(), spec);
        assertTrue(!spec.isArray());
    }

    @Test
    void everyOptionIsConverted() throws OptionException {
        JobSpec spec = build("-p debug -t 1-02:03:04 -N 1-4 -n 16 -c 2 --mem 4G --gpus a100:2 -A proj --qos high "
                + "-J run.1 --array 0-15%4 --env A=1 --env B=x=y --module java/17 --module gcc/12 --cluster other", Map.of());
        assertEquals("run.1", spec.jobName());
        assertEquals("dahu", spec.cluster()); // --cluster chose the profile; it is not re-applied here
        assertEquals("debug", spec.partition());
        assertEquals(Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4), spec.time());
        assertEquals("1-4", spec.nodes());
        assertEquals(16, spec.ntasks());
        assertEquals(2, spec.cpusPerTask());
        assertEquals(4096L, spec.memMegabytes());
        assertEquals("a100:2", spec.gpus());
        assertEquals("proj", spec.account());
        assertEquals("high", spec.qos());
        assertEquals("0-15%4", spec.array());
        assertTrue(spec.isArray());
        assertEquals(Map.of("A", "1", "B", "x=y"), spec.env());
        assertEquals(List.of("java/17", "gcc/12"), spec.modules());
    }

    @Test
    void defaultsFillWhatTheCellDidNotGive() throws OptionException {
        Map<HpcOption, String> defaults = Map.of(HpcOption.PARTITION, "debug", HpcOption.TIME, "00:10:00",
                HpcOption.MEM, "1G", HpcOption.ACCOUNT, "proj");
        JobSpec spec = build("-p long --mem 512", defaults);
        assertEquals("long", spec.partition()); // the cell wins
        assertEquals(512L, spec.memMegabytes());
        assertEquals(Duration.ofMinutes(10), spec.time()); // the default fills
        assertEquals("proj", spec.account());
    }

    @Test
    void jobNamePrecedenceIsCellThenDefaultThenGiven() throws OptionException {
        assertEquals("cell-3", build("", Map.of()).jobName());
        assertEquals("nightly", build("", Map.of(HpcOption.JOB_NAME, "nightly")).jobName());
        assertEquals("mine", build("-J mine", Map.of(HpcOption.JOB_NAME, "nightly")).jobName());
    }

    @Test
    void envMergesPerVariableWithTheCellWinning() throws OptionException {
        assertEquals(Map.of("OMP_PROC_BIND", "true", "X", "1"),
                build("--env X=1", Map.of(HpcOption.ENV, "OMP_PROC_BIND=true")).env());
        assertEquals(Map.of("X", "2"), build("--env X=2", Map.of(HpcOption.ENV, "X=1")).env());
    }

    @Test
    void sameEnvVariableTwiceInACellIsAnError() {
        OptionException e = assertThrows(OptionException.class, () -> build("--env X=1 --env X=2", Map.of()));
        assertEquals("--env X is given twice (\"X=1\" and \"X=2\"); give each variable once", e.getMessage());
    }

    @Test
    void cellModulesReplaceTheDefault() throws OptionException {
        assertEquals(List.of("java/17"), build("", Map.of(HpcOption.MODULE, "java/17")).modules());
        assertEquals(List.of("java/21"), build("--module java/21", Map.of(HpcOption.MODULE, "java/17")).modules());
    }

    @Test
    void badDefaultsAreCaughtAndBlamedOnTheCluster() {
        // A profile built by code rather than by the config loader is checked all the same.
        OptionException e = assertThrows(OptionException.class, () -> build("", Map.of(HpcOption.PARTITION, "x;rm -rf ~")));
        assertTrue(e.getMessage().startsWith("--partition (default of cluster \"dahu\"): \"x;rm -rf ~\" is not a partition name"),
                e.getMessage());
        e = assertThrows(OptionException.class, () -> build("", Map.of(HpcOption.TIME, "0")));
        assertTrue(e.getMessage().startsWith("--time (default of cluster \"dahu\"): \"0\" is zero"), e.getMessage());
        // A value the cell gives replaces a bad default before it is looked at.
        OptionException none = null;
        try {
            build("-t 5", Map.of(HpcOption.TIME, "0"));
        } catch (OptionException x) {
            none = x;
        }
        assertNull(none);
    }

    @Test
    void argumentsBuiltByCodeAreCheckedToo() {
        HpcArguments forged = new HpcArguments(Map.of(HpcOption.JOB_NAME, "$(touch /tmp/x)"), Map.of(), java.util.Set.of());
        OptionException e = assertThrows(OptionException.class,
                () -> JobSpecs.build(forged, profile(Map.of()), "cell-1", "/scratch/job"));
        assertTrue(e.getMessage().startsWith("--job-name: \"$(touch /tmp/x)\" is not a job name"), e.getMessage());
        HpcArguments forgedEnv = new HpcArguments(Map.of(), Map.of(HpcOption.ENV, List.of("X=1\nid")), java.util.Set.of());
        e = assertThrows(OptionException.class, () -> JobSpecs.build(forgedEnv, profile(Map.of()), "cell-1", "/scratch/job"));
        assertTrue(e.getMessage().startsWith("--env: \"X=1\\nid\" is not"), e.getMessage());
    }

    @Test
    void aBadDefaultJobNameIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class,
                () -> JobSpecs.build(HpcArguments.empty(), profile(Map.of()), "my cell", "/scratch/job"));
    }

    @Test
    void timeAndMemoryConversions() throws OptionException {
        assertEquals(Duration.ofMinutes(90), build("-t 90", Map.of()).time());
        assertEquals(Duration.ofSeconds(30), build("-t 0:30", Map.of()).time());
        assertEquals(Duration.ofHours(36), build("-t 1-12", Map.of()).time());
        assertEquals(2L, build("--mem 1025K", Map.of()).memMegabytes());
        assertEquals(3L * 1024 * 1024, build("--mem 3T", Map.of()).memMegabytes());
        assertEquals(100L, build("--mem 100", Map.of()).memMegabytes());
    }
}
