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
import org.junit.jupiter.params.provider.ValueSource;

/** SgeScheduler's rendering and argv, without a Grid Engine. */
class SgeSchedulerTest {
    private final SgeScheduler sge = new SgeScheduler("smp");

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
    void minimalDirectives() throws Exception {
        assertEquals(List.of(
                "#$ -N cell-3",
                "#$ -S /bin/bash",
                "#$ -o /home/u/hpc/jobs/j1/scheduler.out",
                "#$ -j y"), sge.directives(minimal()));
    }

    @Test
    void everyOptionGridEngineCanExpress() throws Exception {
        JobSpec s = spec("fit", "/w/jobs/j2/", "all.q,long.q", Duration.ofMinutes(90).plusSeconds(1), "1", 2, 4,
                4097L, null, "proj1", null, "1-10:3%2");
        assertEquals(List.of(
                "#$ -N fit",
                "#$ -S /bin/bash",
                "#$ -o /w/jobs/j2/scheduler.$TASK_ID.out",
                "#$ -j y",
                "#$ -q all.q,long.q",
                "#$ -l h_rt=1:30:01",
                "#$ -pe smp 8",
                "#$ -l h_vmem=513M",          // 4097 MB over 8 slots, rounded up: h_vmem is per slot
                "#$ -P proj1",
                "#$ -t 1-10:3",
                "#$ -tc 2"), sge.directives(s));
    }

    @ParameterizedTest
    @CsvSource({"PT0S, 0:00:01", "PT0.2S, 0:00:01", "PT59S, 0:00:59", "PT1H, 1:00:00", "PT26H, 26:00:00",
        "PT49H30M5S, 49:30:05"})
    void timeLimits(Duration d, String hms) {
        assertEquals(hms, SgeScheduler.hms(d));
    }

    @ParameterizedTest
    @CsvSource({"1-4, 1-4", "1, 1", "1-100:10, 1-91:10", "'2,4,6', 2-6:2", "3-3, 3", "1-4%2, 1-4"})
    void arrays(String spec, String range) throws Exception {
        assertEquals("#$ -t " + range, SgeScheduler.arrayDirectives(spec).get(0));
    }

    @Test
    void arrayThrottleIsTc() throws Exception {
        assertEquals(List.of("#$ -t 1-4", "#$ -tc 2"), SgeScheduler.arrayDirectives("1-4%2"));
    }

    @Test
    void namesStartingWithADigitGetAPrefix() throws Exception {
        // qsub: "9abc" is not a valid object name (cannot start with a digit)
        assertEquals("j9abc", SgeScheduler.jobName("9abc"));
        assertEquals("_x.y+z-1", SgeScheduler.jobName("_x.y+z-1"));
        assertEquals("#$ -N j2024-run", sge.directives(spec("2024-run", "/w/j", null, null, null, null, null, null,
                null, null, null, null)).get(0));
    }

    @Test
    void aSingleTaskNeedsNoParallelEnvironment() throws Exception {
        SgeScheduler none = new SgeScheduler();
        List<String> d = none.directives(spec("n", "/w/j", null, null, "1", 1, 1, 1000L, null, null, null, null));
        assertFalse(d.stream().anyMatch(l -> l.startsWith("#$ -pe")), d.toString());
        assertTrue(d.contains("#$ -l h_vmem=1000M"), d.toString());
    }

    // ------------------------------------------------------------------ unsupported

    @Test
    void multiCpuWithoutAParallelEnvironmentSaysWhatToConfigure() {
        SgeScheduler none = new SgeScheduler();
        UnsupportedOptionException e = assertThrows(UnsupportedOptionException.class,
                () -> none.directives(spec("n", "/w/j", null, null, null, null, 4, null, null, null, null, null)));
        assertTrue(e.getMessage().startsWith("sge cannot express --cpus-per-task 4: "), e.getMessage());
        assertTrue(e.getMessage().contains("parallel environment"), e.getMessage());
        assertTrue(e.getMessage().contains("qconf -spl"), e.getMessage());
        UnsupportedOptionException t = assertThrows(UnsupportedOptionException.class,
                () -> none.directives(spec("n", "/w/j", null, null, null, 2, 2, null, null, null, null, null)));
        assertTrue(t.getMessage().startsWith("sge cannot express --ntasks 2 --cpus-per-task 2: "), t.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "qos; sge cannot express --qos high",
        "gpus; sge cannot express --gpus 1",
        "nodes; sge cannot express --nodes 2",
        "nodes-range; sge cannot express --nodes 1-2",
        "array-zero; sge cannot express --array 0-15",
        "array-uneven; sge cannot express --array 1,2,5",
    })
    void unsupported(String what, String start) {
        JobSpec s = switch (what) {
            case "qos" -> spec("n", "/w/j", null, null, null, null, null, null, null, null, "high", null);
            case "gpus" -> spec("n", "/w/j", null, null, null, null, null, null, "1", null, null, null);
            case "nodes" -> spec("n", "/w/j", null, null, "2", null, null, null, null, null, null, null);
            case "nodes-range" -> spec("n", "/w/j", null, null, "1-2", null, null, null, null, null, null, null);
            case "array-zero" -> spec("n", "/w/j", null, null, null, null, null, null, null, null, null, "0-15");
            default -> spec("n", "/w/j", null, null, null, null, null, null, null, null, null, "1,2,5");
        };
        UnsupportedOptionException e = assertThrows(UnsupportedOptionException.class, () -> sge.directives(s));
        assertTrue(e.getMessage().startsWith(start + ": "), e.getMessage());
    }

    // ------------------------------------------------------------------ injection

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a\n#$ -q evil", "a;rm", "a$(id)", "a`id`", "a'b", "a\"b", "a#b", "a\\b", "a,b",
        "a\tb", "a\u00a0b", "a:b", ""})
    void hostileValuesAreRefused(String v) {
        assertThrows(IllegalArgumentException.class, () -> sge.directives(spec(v, "/w/j", null, null, null, null,
                null, null, null, null, null, null)), "name " + v);
        assertThrows(IllegalArgumentException.class, () -> sge.directives(spec("n", "/w/j", null, null, null, null,
                null, null, null, v, null, null)), "account " + v);
        if (!v.equals("a,b")) { // a queue list is comma-separated
            assertThrows(IllegalArgumentException.class, () -> sge.directives(spec("n", "/w/j", v, null, null, null,
                    null, null, null, null, null, null)), "partition " + v);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative/dir", "/w/a b", "/w/$HOME", "/w/x:y", "/w/x,y", "/w/a\nb", "/w/`id`", "/w/'q'",
        "/w/%j", "/w/^array_index^"})
    void hostileJobDirectoriesAreRefused(String dir) {
        assertThrows(IllegalArgumentException.class, () -> sge.directives(spec("n", dir, null, null, null, null, null,
                null, null, null, null, null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1;id", "12 13", "-u", "1.2", "", "$(id)"})
    void hostileJobIdsAreRefused(String id) {
        assertThrows(IllegalArgumentException.class, () -> sge.cancelCommand(id));
        assertThrows(IllegalArgumentException.class, () -> sge.accountingCommand(id));
        assertThrows(IllegalArgumentException.class, () -> sge.statusCommand(List.of("1", id)));
    }

    @Test
    void hostileParallelEnvironmentIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SgeScheduler("smp 2 -q evil"));
        assertThrows(IllegalArgumentException.class, () -> new SgeScheduler("smp\n"));
    }

    // ------------------------------------------------------------------ commands

    @Test
    void argv() {
        assertEquals(List.of("qsub", "-terse", "-b", "n", "/w/j/job.sh"), sge.submitCommand(minimal(), "/w/j/job.sh"));
        assertEquals(List.of("qstat", "-xml"), sge.statusCommand(List.of("15", "16")));
        assertEquals(List.of("qdel", "15"), sge.cancelCommand("15"));
        assertEquals(Optional.of(List.of("qacct", "-j", "15")), sge.accountingCommand("15"));
        assertEquals(List.of("qstat", "-xml"), sge.findByNameCommand("cell-3"));
        assertThrows(IllegalArgumentException.class, () -> sge.statusCommand(List.of()));
        assertThrows(IllegalArgumentException.class, () -> sge.findByNameCommand("a b"));
        assertEquals("sge", sge.name());
    }

    @Test
    void jobIdAndArrayIndexInsideTheJob() {
        assertEquals("${JOB_ID}", sge.jobIdVariable());
        // SGE_TASK_ID is the word "undefined" outside an array
        assertEquals("${SGE_TASK_ID#undefined}", sge.arrayIndexVariable());
    }

    @Test
    void thePrologueFitsTheJvmIntoAnAddressSpaceLimit() {
        String p = String.join("\n", sge.prologue("/w"));
        assertTrue(p.contains("ulimit -v"), p);
        assertTrue(p.contains("-XX:CompressedClassSpaceSize=64m"), p);
        assertTrue(p.contains("JAVA_TOOL_OPTIONS"), p);
    }

    @Test
    void terseAndVerboseSubmitOutput() throws Exception {
        assertEquals("15", sge.parseJobId(ok("15\n"), null));
        assertEquals("15", sge.parseJobId(ok("15.1-4:1\n"), null));
        assertEquals("16", sge.parseJobId(ok("Your job 16 (\"x\") has been submitted\n"), null));
        assertEquals("17", sge.parseJobId(ok("Your job-array 17.1-3:1 (\"x\") has been submitted\n"), null));
        SchedulerException e = assertThrows(SchedulerException.class, () -> sge.parseJobId(ok("nonsense\n"), null));
        assertFalse(e.isTransient());
        SchedulerException t = assertThrows(SchedulerException.class, () -> sge.parseJobId(
                new CommandResult(List.of("qsub"), -1, "", "", true), null));
        assertTrue(t.isTransient());
    }

    private static CommandResult ok(String stdout) {
        return new CommandResult(List.of("qsub", "-terse", "-b", "n", "/x/job.sh"), 0, stdout, "", false);
    }

    @Test
    void notXmlIsAnError() {
        SchedulerException e = assertThrows(SchedulerException.class, () -> sge.parseStatus(
                new CommandResult(List.of("qstat", "-xml"), 0, "<job_info><oops", "", false), List.of("1")));
        assertFalse(e.isTransient());
        // a DOCTYPE (entity expansion) is refused, not processed
        assertThrows(SchedulerException.class, () -> sge.parseStatus(new CommandResult(List.of("qstat", "-xml"), 0,
                "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><job_info>&e;</job_info>",
                "", false), List.of("1")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', nullValues = "-", value = {
        "qw; PENDING; -", "hqw; PENDING; held (hqw)", "hRwq; PENDING; held (hRwq)", "Rq; PENDING; rescheduled (Rq)",
        "r; RUNNING; -", "t; RUNNING; starting (t)", "Rr; RUNNING; restarted (Rr)", "hr; RUNNING; running, hold set (hr)",
        "s; RUNNING; suspended (s)", "S; RUNNING; suspended (S)", "T; RUNNING; suspended (T)",
        "dr; RUNNING; being deleted (dr)", "dt; RUNNING; being deleted (dt)", "dqw; CANCELLED; deleted (dqw)",
        "Eqw; FAILED; error state (Eqw): qstat -j 5 shows why, qmod -cj 5 clears it", "z; COMPLETED; finished (z)",
        "x; UNKNOWN; x", "-; UNKNOWN; -"})
    void stateLetters(String letters, String state, String reason) {
        JobStatus s = SgeStates.map(letters, "5");
        assertEquals(JobState.valueOf(state), s.state());
        assertEquals(reason, s.reason());
    }

    @Test
    void qacctValues() {
        assertEquals(Duration.ofSeconds(4), SgeAccounting.duration("4s"));
        assertEquals(Duration.ofMillis(3), SgeAccounting.duration("0.003s"));
        assertEquals(Duration.ofSeconds(12), SgeAccounting.duration("12")); // older versions: no unit
        assertEquals(3_747_611L, SgeAccounting.bytes("3.574MB"));
        assertEquals(0L, SgeAccounting.bytes("0.000B"));
        assertEquals(3_747_611L, SgeAccounting.bytes("3.574M"));
        assertEquals(1L << 30, SgeAccounting.bytes("1G"));
        assertEquals(137, SgeAccounting.leadingInt("137                  (Killed)"));
        assertEquals(3600L, SgeAccounting.seconds("1:00:00"));
        assertEquals(3L, SgeAccounting.seconds("3"));
    }

    @Test
    void memoryLimitFailuresReadAsOutOfMemory() {
        String block = "==============================================================\n"
                + "hostname     n1\njobnumber    9\ntaskid       undefined\nslots        2\n"
                + "failed       37  : qmaster enforced h_rt, h_cpu, or h_vmem limit\n"
                + "exit_status  137                  (Killed)\nru_wallclock 20s\ncpu          19.000s\n"
                + "maxvmem      2.000GB\ncategory     -l h_vmem=1G -pe smp 2\n";
        assertEquals(JobState.OUT_OF_MEMORY, SgeAccounting.parse(block, "9").orElseThrow().state());
        String other = block.replace("failed       37  : qmaster enforced h_rt, h_cpu, or h_vmem limit",
                "failed       26  : opening output file").replace("exit_status  137                  (Killed)",
                "exit_status  0");
        assertEquals(JobState.FAILED, SgeAccounting.parse(other, "9").orElseThrow().state());
    }
}
