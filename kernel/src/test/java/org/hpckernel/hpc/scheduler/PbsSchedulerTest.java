package org.hpckernel.hpc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hpckernel.hpc.transport.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PbsScheduler's rendering and argv, both flavors, without a PBS server. */
class PbsSchedulerTest {
    private final PbsScheduler pro = new PbsScheduler();
    private final PbsScheduler torque = new PbsScheduler(PbsScheduler.Flavor.TORQUE);

    private static JobSpec spec(String name, String dir, String partition, Duration time, String nodes, Integer ntasks,
            Integer cpus, Long mem, String gpus, String account, String qos, String array) {
        return JobSpec.builder().jobName(name).cluster("c").jobDir(dir).partition(partition).time(time)
                .nodes(nodes).ntasks(ntasks).cpusPerTask(cpus).memMegabytes(mem).gpus(gpus).account(account)
                .qos(qos).array(array).build();
    }

    private static JobSpec minimal() {
        return spec("cell-3", "/home/u/hpc/jobs/j1", null, null, null, null, null, null, null, null, null, null);
    }

    // ------------------------------------------------------------------ directives, exactly

    @Test
    void defaultFlavorIsPbsPro() {
        assertEquals(PbsScheduler.Flavor.PRO, new PbsScheduler().flavor());
        assertEquals("pbs", pro.name());
        assertEquals("pbs", torque.name());
    }

    @Test
    void minimalDirectives() throws Exception {
        List<String> expected = List.of(
                "#PBS -N cell-3",
                "#PBS -S /bin/bash",
                "#PBS -o /home/u/hpc/jobs/j1/scheduler.out",
                "#PBS -j oe");
        assertEquals(expected, pro.directives(minimal()));
        assertEquals(expected, torque.directives(minimal()));
    }

    @Test
    void everythingPbsProCanExpress() throws Exception {
        JobSpec s = spec("fit", "/w/jobs/j2/", "gpu", Duration.ofHours(30).plusMillis(1), "2", 8, 4, 16384L, "2",
                "proj1", null, "0-30:10");
        assertEquals(List.of(
                "#PBS -N fit",
                "#PBS -S /bin/bash",
                "#PBS -o /w/jobs/j2/scheduler.^array_index^.out",
                "#PBS -j oe",
                "#PBS -q gpu",
                "#PBS -l walltime=30:00:01",
                "#PBS -l select=2:ncpus=16:mpiprocs=4:ompthreads=4:mem=16384mb:ngpus=1",
                "#PBS -l place=scatter",
                "#PBS -A proj1",
                "#PBS -J 0-30:10"), pro.directives(s));
    }

    @Test
    void everythingTorqueCanExpress() throws Exception {
        JobSpec s = spec("fit", "/w/jobs/j2/", "gpu", Duration.ofHours(30).plusMillis(1), "2", 8, 4, 16384L, "2",
                "proj1", null, "0-30:10%2");
        assertEquals(List.of(
                "#PBS -N fit",
                "#PBS -S /bin/bash",
                "#PBS -o /w/jobs/j2/scheduler.out",
                "#PBS -j oe",
                "#PBS -q gpu",
                "#PBS -l walltime=30:00:01",
                "#PBS -l nodes=2:ppn=16:gpus=1",
                "#PBS -l mem=32768mb",             // Torque's mem is the whole job's: 2 nodes x 16384 MB
                "#PBS -A proj1",
                "#PBS -t 0,10,20,30%2"), torque.directives(s));
    }

    @Test
    void resourceShapes() throws Exception {
        assertEquals(List.of("#PBS -l select=1:ncpus=4:mpiprocs=1:ompthreads=4"),
                resources(pro, spec("n", "/w/j", null, null, null, null, 4, null, null, null, null, null)));
        assertEquals(List.of("#PBS -l select=1:ncpus=3:mpiprocs=3"),
                resources(pro, spec("n", "/w/j", null, null, null, 3, null, null, null, null, null, null)));
        assertEquals(List.of("#PBS -l select=1:ncpus=1:mpiprocs=1:mem=2048mb"),
                resources(pro, spec("n", "/w/j", null, null, null, null, null, 2048L, null, null, null, null)));
        assertEquals(List.of("#PBS -l select=3:ncpus=1:mpiprocs=1", "#PBS -l place=scatter"),
                resources(pro, spec("n", "/w/j", null, null, "3", null, null, null, null, null, null, null)));
        assertEquals(List.of("#PBS -l nodes=1:ppn=4"),
                resources(torque, spec("n", "/w/j", null, null, null, null, 4, null, null, null, null, null)));
        assertEquals(List.of("#PBS -l mem=2048mb"),
                resources(torque, spec("n", "/w/j", null, null, null, null, null, 2048L, null, null, null, null)));
    }

    private static List<String> resources(PbsScheduler pbs, JobSpec spec) throws Exception {
        return pbs.directives(spec).stream().filter(l -> l.startsWith("#PBS -l ")).toList();
    }

    @ParameterizedTest
    @CsvSource({"1-4, 1-4", "0-15, 0-15", "1-100:10, 1-91:10", "'2,4,6', 2-6:2", "1-2, 1-2"})
    void proArrays(String spec, String range) throws Exception {
        assertEquals(range, pro.proArray(spec));
    }

    @ParameterizedTest
    @CsvSource({"1-4, 1-4", "5, 5", "'1,3,5', '1,3,5'", "1-7:3, '1,4,7'", "0-15%4, 0-15%4", "'1-3,7,9-10', '1-3,7,9-10'"})
    void torqueArrays(String spec, String rendered) {
        assertEquals(rendered, PbsScheduler.torqueArray(spec));
    }

    @Test
    void jobNames() {
        assertEquals("cell-3", pro.jobName("cell-3"));
        assertEquals("j_x", pro.jobName("_x"));              // PBS Pro: the first character alphanumeric
        assertEquals("2024-run", pro.jobName("2024-run"));
        assertEquals("j2024-run", torque.jobName("2024-run")); // Torque: the first character alphabetic
        assertEquals("a-very-long-nam", torque.jobName("a-very-long-name-indeed")); // Torque: 15 characters
        assertEquals(15, torque.jobName("_0123456789abcdefgh").length());
        String sixtyFour = "n".repeat(64);
        assertEquals(sixtyFour, pro.jobName(sixtyFour));
    }

    @ParameterizedTest
    @CsvSource({"PT0S, 00:00:01", "PT0.5S, 00:00:01", "PT59S, 00:00:59", "PT1H, 01:00:00", "PT100H, 100:00:00"})
    void walltimes(Duration d, String hms) {
        assertEquals(hms, PbsScheduler.hms(d));
    }

    // ------------------------------------------------------------------ unsupported

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "qos; pbs cannot express --qos high",
        "array-single; pbs cannot express --array 5",
        "array-throttle; pbs cannot express --array 1-10%2",
        "array-uneven; pbs cannot express --array 1,2,5",
        "nodes-range; pbs cannot express --nodes 1-2",
        "uneven-tasks; pbs cannot express --ntasks 3 with --nodes 2",
        "gpu-type; pbs cannot express --gpus a100:2",
        "uneven-gpus; pbs cannot express --gpus 3 with --nodes 2",
        "queue-list; pbs cannot express --partition a,b",
    })
    void unsupportedOnPbsPro(String what, String start) {
        UnsupportedOptionException e = assertThrows(UnsupportedOptionException.class, () -> pro.directives(bad(what)));
        assertTrue(e.getMessage().startsWith(start + ": "), e.getMessage());
    }

    @Test
    void pbsProArraysSayWhatIsMissing() {
        UnsupportedOptionException single = assertThrows(UnsupportedOptionException.class,
                () -> pro.directives(bad("array-single")));
        assertTrue(single.getMessage().contains("at least two indices"), single.getMessage());
        UnsupportedOptionException throttle = assertThrows(UnsupportedOptionException.class,
                () -> pro.directives(bad("array-throttle")));
        assertTrue(throttle.getMessage().contains("%N"), throttle.getMessage());
        assertTrue(throttle.getMessage().contains("max_run_subjobs"), throttle.getMessage());
    }

    @Test
    void torqueTakesWhatPbsProCannot() throws Exception {
        assertTrue(torque.directives(bad("array-single")).contains("#PBS -t 5"));
        assertTrue(torque.directives(bad("array-throttle")).contains("#PBS -t 1-10%2"));
        assertTrue(torque.directives(bad("array-uneven")).contains("#PBS -t 1-2,5"));
        assertThrows(UnsupportedOptionException.class, () -> torque.directives(bad("qos")));
        assertThrows(UnsupportedOptionException.class, () -> torque.directives(bad("gpu-type")));
    }

    private static JobSpec bad(String what) {
        return switch (what) {
            case "qos" -> spec("n", "/w/j", null, null, null, null, null, null, null, null, "high", null);
            case "array-single" -> spec("n", "/w/j", null, null, null, null, null, null, null, null, null, "5");
            case "array-throttle" -> spec("n", "/w/j", null, null, null, null, null, null, null, null, null, "1-10%2");
            case "array-uneven" -> spec("n", "/w/j", null, null, null, null, null, null, null, null, null, "1,2,5");
            case "nodes-range" -> spec("n", "/w/j", null, null, "1-2", null, null, null, null, null, null, null);
            case "uneven-tasks" -> spec("n", "/w/j", null, null, "2", 3, null, null, null, null, null, null);
            case "gpu-type" -> spec("n", "/w/j", null, null, null, null, null, null, "a100:2", null, null, null);
            case "uneven-gpus" -> spec("n", "/w/j", null, null, "2", null, null, null, "3", null, null, null);
            case "queue-list" -> spec("n", "/w/j", "a,b", null, null, null, null, null, null, null, null, null);
            default -> throw new IllegalArgumentException(what);
        };
    }

    // ------------------------------------------------------------------ injection

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a\n#PBS -q evil", "a;rm", "a$(id)", "a`id`", "a'b", "a\"b", "a#b", "a\\b",
        "a\tb", "a\u00a0b", "a:b", "a@b", ""})
    void hostileValuesAreRefused(String v) {
        for (PbsScheduler pbs : List.of(pro, torque)) {
            assertThrows(IllegalArgumentException.class, () -> pbs.directives(spec(v, "/w/j", null, null, null, null,
                    null, null, null, null, null, null)), "name " + v);
            assertThrows(IllegalArgumentException.class, () -> pbs.directives(spec("n", "/w/j", null, null, null,
                    null, null, null, null, v, null, null)), "account " + v);
            assertThrows(IllegalArgumentException.class, () -> pbs.directives(spec("n", "/w/j", v, null, null, null,
                    null, null, null, null, null, null)), "partition " + v);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative/dir", "/w/a b", "/w/$HOME", "/w/x:y", "/w/a\nb", "/w/`id`", "/w/'q'",
        "/w/^array_index^", "/w/%j"})
    void hostileJobDirectoriesAreRefused(String dir) {
        assertThrows(IllegalArgumentException.class, () -> pro.directives(spec("n", dir, null, null, null, null, null,
                null, null, null, null, null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1;id", "12 13", "-u", "", "$(id)", "12.srv;rm", "12[1", "12.srv@other", "12.srv/x"})
    void hostileJobIdsAreRefused(String id) {
        assertThrows(IllegalArgumentException.class, () -> pro.cancelCommand(id));
        assertThrows(IllegalArgumentException.class, () -> pro.statusCommand(List.of("1.s", id)));
        assertThrows(IllegalArgumentException.class, () -> torque.accountingCommand(id));
    }

    @Test
    void findByNamePassesTheNameAsAParameter() {
        List<String> argv = pro.findByNameCommand("cell-3");
        assertEquals(List.of("/bin/sh", "-c", "qselect -x -u \"$(id -un)\" -N \"$1\"", "hpc-find-by-name", "cell-3"),
                argv);
        assertEquals(List.of("/bin/sh", "-c", "qselect -u \"$(id -un)\" -N \"$1\"", "hpc-find-by-name", "j2024-run"),
                torque.findByNameCommand("2024-run"));
        assertThrows(IllegalArgumentException.class, () -> pro.findByNameCommand("x\"; rm -rf ~; \""));
    }

    // ------------------------------------------------------------------ commands

    @Test
    void argv() {
        assertEquals(List.of("qsub", "/w/j/job.sh"), pro.submitCommand(minimal(), "/w/j/job.sh"));
        assertEquals(List.of("qstat", "-f", "-F", "json", "-x", "-t", "12.s", "13[].s"),
                pro.statusCommand(List.of("12.s", "13[].s", "12.s")));
        assertEquals(List.of("qstat", "-f", "-1", "-t", "12.s"), torque.statusCommand(List.of("12.s")));
        assertEquals(List.of("qdel", "13[].s"), pro.cancelCommand("13[].s"));
        assertEquals(Optional.of(List.of("qstat", "-f", "-F", "json", "-x", "-t", "12.s")), pro.accountingCommand("12.s"));
        assertEquals(List.of(List.of("qstat", "--version")), pro.versionCommands());
        assertThrows(IllegalArgumentException.class, () -> pro.statusCommand(List.of()));
    }

    @ParameterizedTest
    @EnumSource(PbsScheduler.Flavor.class)
    void jobIdAndArrayIndexInsideTheJob(PbsScheduler.Flavor flavor) {
        PbsScheduler pbs = new PbsScheduler(flavor);
        if (flavor == PbsScheduler.Flavor.PRO) {
            assertEquals("${PBS_ARRAY_ID:-$PBS_JOBID}", pbs.jobIdVariable());
            assertEquals("${PBS_ARRAY_INDEX:-}", pbs.arrayIndexVariable());
        } else {
            assertEquals("${PBS_JOBID/\\[${PBS_ARRAYID}\\]/[]}", pbs.jobIdVariable());
            assertEquals("${PBS_ARRAYID:-}", pbs.arrayIndexVariable());
        }
    }

    @Test
    void submitOutput() throws Exception {
        assertEquals("12.pbs01", pro.parseJobId(ok("12.pbs01\n"), null));
        assertEquals("12[].pbs01", pro.parseJobId(ok("12[].pbs01\n"), null));
        assertEquals("12", pro.parseJobId(ok("12\n"), null));
        SchedulerException e = assertThrows(SchedulerException.class, () -> pro.parseJobId(ok("whatever\n"), null));
        assertFalse(e.isTransient());
        assertTrue(pro.isTransient(new CommandResult(List.of("qsub"), 1, "",
                "qsub: submit error (Pbs Server is currently too busy to process your request)", false)));
        assertTrue(assertThrows(SchedulerException.class, () -> pro.parseJobId(
                new CommandResult(List.of("qsub"), -1, "", "", true), null)).isTransient());
    }

    private static CommandResult ok(String stdout) {
        return new CommandResult(List.of("qsub", "/x/job.sh"), 0, stdout, "", false);
    }

    @Test
    void brokenJsonIsAnError() {
        SchedulerException e = assertThrows(SchedulerException.class, () -> pro.parseStatus(
                new CommandResult(List.of("qstat"), 0, "{\"Jobs\": {\"1.s\": ", "", false), List.of("1.s")));
        assertFalse(e.isTransient());
    }

    @Test
    void sameJob() {
        assertTrue(PbsScheduler.sameJob("12.pbs01", "12.pbs01.example.org"));
        assertTrue(PbsScheduler.sameJob("12.pbs01.example.org", "12.pbs01"));
        assertTrue(PbsScheduler.sameJob("12", "12.pbs01"));
        assertTrue(PbsScheduler.sameJob("12[].pbs01", "12[].pbs01"));
        assertFalse(PbsScheduler.sameJob("12[].pbs01", "12.pbs01"));
        assertFalse(PbsScheduler.sameJob("12.pbs01", "12.pbs02"));
        assertFalse(PbsScheduler.sameJob("12.pbs", "12.pbs01"));
        assertFalse(PbsScheduler.sameJob("1", "12.pbs01"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', nullValues = "-", value = {
        "Q; -; -; PENDING", "H; -; -; PENDING", "W; -; -; PENDING", "T; -; -; PENDING", "R; -; -; RUNNING",
        "E; -; -; RUNNING", "S; -; -; RUNNING", "U; -; -; RUNNING", "B; -; -; RUNNING", "M; -; -; UNKNOWN",
        "Z; -; -; UNKNOWN", "F; 92; 0; COMPLETED", "F; 93; 1; FAILED", "F; 91; 265; CANCELLED", "F; 93; 265; FAILED",
        "F; 93; -29; TIMEOUT", "F; 93; -28; TIMEOUT", "F; 93; -26; OUT_OF_MEMORY", "F; 93; -1; FAILED",
        "X; 92; 0; COMPLETED", "F; 91; -; CANCELLED"})
    void proStates(String letter, Integer substate, Integer exit, String state) {
        PbsQstat.Job j = new PbsQstat.Job("1.s", "n", letter, substate, exit, null, null, null, null, null, null, false);
        assertEquals(JobState.valueOf(state), PbsStates.map(j, PbsScheduler.Flavor.PRO).state());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', nullValues = "-", value = {
        "0; -; COMPLETED", "2; -; FAILED", "271; -; CANCELLED", "265; -; CANCELLED", "143; -; CANCELLED",
        "143; PT2M; TIMEOUT", "1; PT2M; TIMEOUT", "-; -; CANCELLED", "-11; -; FAILED"})
    void torqueCompletedStates(Integer exit, Duration used, String state) {
        PbsQstat.Job j = new PbsQstat.Job("1.s", "n", "C", null, exit, null, null, used, Duration.ofMinutes(1), null,
                null, false);
        assertEquals(JobState.valueOf(state), PbsStates.map(j, PbsScheduler.Flavor.TORQUE).state());
    }

    @Test
    void values() {
        assertEquals(Duration.ofSeconds(26), PbsQstat.duration("00:00:26"));
        assertEquals(Duration.ofHours(26), PbsQstat.duration("26:00:00"));
        assertEquals(Duration.ofSeconds(600), PbsQstat.duration("600"));
        assertEquals(Duration.ofSeconds(4_445_838, 901_234_500), PbsQstat.duration("1234:56:78.9012345"));
        assertEquals(7060L * 1024, PbsQstat.bytes("7060kb"));
        assertEquals(512L << 20, PbsQstat.bytes("512mb"));
        assertEquals(1L << 30, PbsQstat.bytes("1gb"));
        assertEquals(123L, PbsQstat.bytes("123b"));
        assertEquals(16L, PbsQstat.bytes("2w"));
        assertEquals("n1,n2", new PbsQstat.Job("1.s", null, "R", null, null, "n1/0*2+n1/1+n2/0", null, null, null,
                null, null, false).nodes());
        assertEquals("12[].srv", PbsQstat.parentOf("12[3].srv"));
        assertEquals(null, PbsQstat.parentOf("12[].srv"));
    }

    @Test
    void foldedTorqueValuesAreJoined() {
        String text = "Job Id: 5.s\n    Job_Name = x\n    job_state = C\n    exit_status = 0\n"
                + "    exec_host = n1/0+n1/1+n1/2+n1/3+n1/4+n1/5+n1/6+n1/7+n2/0+n2/1+n2/2+n2/3+n2/4+n2/5+n2/6+n2/7+n3/0+\n"
                + "\tn3/1\n\n";
        PbsQstat.Job j = PbsQstat.parseText(text).get(0);
        assertEquals("n1,n2,n3", j.nodes());
        assertEquals(0, j.exitStatus());
    }
}
