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
import org.junit.jupiter.params.provider.ValueSource;

/** Directives, argv and parsing of SlurmScheduler on hand-made input; real outputs: SlurmRecordedTest. */
class SlurmSchedulerTest {
    private final SlurmScheduler slurm = new SlurmScheduler();

    /** A spec with only a name and a job directory; the with* helpers set one field each. */
    record Spec(String jobName, String jobDir, String partition, Duration time, String nodes, Integer ntasks,
            Integer cpus, Long mem, String gpus, String account, String qos, String array) {
        static Spec basic() {
            return new Spec("hk-cell-7", "/home/u/.hpc-kernel/jobs/j7", null, null, null, null, null, null, null, null,
                    null, null);
        }

        JobSpec build() {
            return JobSpec.builder().jobName(jobName).cluster("test").jobDir(jobDir).partition(partition)
                    .time(time).nodes(nodes).ntasks(ntasks).cpusPerTask(cpus).memMegabytes(mem).gpus(gpus)
                    .account(account).qos(qos).array(array).env(Map.of("A", "1")).modules(List.of("gcc")).build();
        }

        Spec partition(String v) {
            return new Spec(jobName, jobDir, v, time, nodes, ntasks, cpus, mem, gpus, account, qos, array);
        }

        Spec time(Duration v) {
            return new Spec(jobName, jobDir, partition, v, nodes, ntasks, cpus, mem, gpus, account, qos, array);
        }

        Spec nodes(String v) {
            return new Spec(jobName, jobDir, partition, time, v, ntasks, cpus, mem, gpus, account, qos, array);
        }

        Spec ntasks(Integer v) {
            return new Spec(jobName, jobDir, partition, time, nodes, v, cpus, mem, gpus, account, qos, array);
        }

        Spec cpus(Integer v) {
            return new Spec(jobName, jobDir, partition, time, nodes, ntasks, v, mem, gpus, account, qos, array);
        }

        Spec mem(Long v) {
            return new Spec(jobName, jobDir, partition, time, nodes, ntasks, cpus, v, gpus, account, qos, array);
        }

        Spec gpus(String v) {
            return new Spec(jobName, jobDir, partition, time, nodes, ntasks, cpus, mem, v, account, qos, array);
        }

        Spec account(String v) {
            return new Spec(jobName, jobDir, partition, time, nodes, ntasks, cpus, mem, gpus, v, qos, array);
        }

        Spec qos(String v) {
            return new Spec(jobName, jobDir, partition, time, nodes, ntasks, cpus, mem, gpus, account, v, array);
        }

        Spec array(String v) {
            return new Spec(jobName, jobDir, partition, time, nodes, ntasks, cpus, mem, gpus, account, qos, v);
        }

        Spec jobName(String v) {
            return new Spec(v, jobDir, partition, time, nodes, ntasks, cpus, mem, gpus, account, qos, array);
        }

        Spec jobDir(String v) {
            return new Spec(jobName, v, partition, time, nodes, ntasks, cpus, mem, gpus, account, qos, array);
        }
    }

    static CommandResult result(List<String> argv, int rc, String stdout, String stderr) {
        return new CommandResult(argv, rc, stdout, stderr, false);
    }

    // ------------------------------------------------------------------ directives

    @Test
    void rendersEveryDirective() throws Exception {
        JobSpec spec = Spec.basic().partition("debug").time(Duration.ofSeconds(90)).nodes("1").ntasks(2).cpus(4)
                .mem(4096L).gpus("a100:2").account("proj1").qos("normal").build();
        assertEquals(List.of(
                "#SBATCH --job-name=hk-cell-7",
                "#SBATCH --output=/home/u/.hpc-kernel/jobs/j7/scheduler.out",
                "#SBATCH --error=/home/u/.hpc-kernel/jobs/j7/scheduler.out",
                "#SBATCH --partition=debug",
                "#SBATCH --time=00:02:00",
                "#SBATCH --nodes=1",
                "#SBATCH --ntasks=2",
                "#SBATCH --cpus-per-task=4",
                "#SBATCH --mem=4096M",
                "#SBATCH --gpus=a100:2",
                "#SBATCH --account=proj1",
                "#SBATCH --qos=normal"), slurm.directives(spec));
    }

    @Test
    void rendersOnlyWhatWasAsked() throws Exception {
        assertEquals(List.of(
                "#SBATCH --job-name=hk-cell-7",
                "#SBATCH --output=/home/u/.hpc-kernel/jobs/j7/scheduler.out",
                "#SBATCH --error=/home/u/.hpc-kernel/jobs/j7/scheduler.out"), slurm.directives(Spec.basic().build()));
    }

    @Test
    void anArrayWritesOneSchedulerFilePerTask() throws Exception {
        JobSpec spec = Spec.basic().jobDir("/scratch/j8/").array("0-15%4").time(Duration.ofHours(26)).build();
        assertEquals(List.of(
                "#SBATCH --job-name=hk-cell-7",
                "#SBATCH --output=/scratch/j8/scheduler.%a.out",
                "#SBATCH --error=/scratch/j8/scheduler.%a.out",
                "#SBATCH --time=1-02:00:00",
                "#SBATCH --array=0-15%4"), slurm.directives(spec));
    }

    @Test
    void noJobDirectoryNoOutputDirectives() throws Exception {
        assertEquals(List.of("#SBATCH --job-name=hk-cell-7"), slurm.directives(Spec.basic().jobDir(null).build()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"debug x", "debug\n#SBATCH --uid=0", "a'b", "a\"b", "$(id)", "${HOME}", "`id`", "a;b",
        "a#b", "a\\b", "a\tb", "a\rb", "a\u00a0b", ""})
    void rejectsInjectionInEveryStringValue(String bad) {
        List<Spec> specs = List.of(Spec.basic().partition(bad), Spec.basic().nodes(bad), Spec.basic().gpus(bad),
                Spec.basic().account(bad), Spec.basic().qos(bad), Spec.basic().array(bad), Spec.basic().jobName(bad),
                Spec.basic().jobDir("/tmp/" + bad));
        for (Spec s : specs) {
            if (s.jobDir().equals("/tmp/")) {
                continue; // an empty suffix is a fine directory
            }
            assertThrows(IllegalArgumentException.class, () -> slurm.directives(s.build()), () -> s.toString());
        }
    }

    @Test
    void rejectsPercentInTheJobDirectoryAndNonPositiveNumbers() {
        assertThrows(IllegalArgumentException.class, () -> slurm.directives(Spec.basic().jobDir("/tmp/a%j").build()));
        assertThrows(IllegalArgumentException.class, () -> slurm.directives(Spec.basic().ntasks(0).build()));
        assertThrows(IllegalArgumentException.class, () -> slurm.directives(Spec.basic().cpus(-1).build()));
        assertThrows(IllegalArgumentException.class, () -> slurm.directives(Spec.basic().mem(0L).build()));
        assertThrows(IllegalArgumentException.class,
                () -> slurm.directives(Spec.basic().time(Duration.ofSeconds(-5)).build()));
    }

    @Test
    void jobIdVariablesGiveTheSubmittedId() {
        assertEquals("${SLURM_ARRAY_JOB_ID:-$SLURM_JOB_ID}", slurm.jobIdVariable());
        assertEquals("${SLURM_ARRAY_TASK_ID:-}", slurm.arrayIndexVariable());
        assertEquals("slurm", slurm.name());
    }

    // ------------------------------------------------------------------ argv

    @Test
    void buildsArgvLists() {
        assertEquals(List.of("sbatch", "--parsable", "/home/u/j7/job.sh"),
                slurm.submitCommand(Spec.basic().build(), "/home/u/j7/job.sh"));
        assertEquals(List.of("squeue", "-h", "-t", "all", "-r", "-o", "%i|%A|%T|%N|%r", "-j", "12,8,8_2"),
                slurm.statusCommand(List.of("12", "8", "12", "8_2")));
        assertEquals(List.of("scancel", "12"), slurm.cancelCommand("12"));
        assertEquals(Optional.of(List.of("sacct", "-n", "-P", "-j", "12",
                "--format=JobID,State,ExitCode,Elapsed,TotalCPU,MaxRSS,NodeList")), slurm.accountingCommand("12"));
        assertEquals(List.of("squeue", "-h", "--me", "-t", "all", "-n", "hk-cell-7", "-o", "%i|%j"),
                slurm.findByNameCommand("hk-cell-7"));
        assertEquals(List.of(List.of("sbatch", "--version"), List.of("squeue", "--version")), slurm.versionCommands());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12;rm", "-1", "12 13", "abc", "8_[1-3]", "12.batch", "--all"})
    void rejectsAnythingButJobIds(String bad) {
        assertThrows(IllegalArgumentException.class, () -> slurm.cancelCommand(bad));
        assertThrows(IllegalArgumentException.class, () -> slurm.statusCommand(List.of("1", bad)));
        assertThrows(IllegalArgumentException.class, () -> slurm.accountingCommand(bad));
    }

    @Test
    void rejectsBadNamesAndEmptyIdLists() {
        assertThrows(IllegalArgumentException.class, () -> slurm.statusCommand(List.of()));
        assertThrows(IllegalArgumentException.class, () -> slurm.findByNameCommand("a,b"));
        assertThrows(IllegalArgumentException.class, () -> slurm.findByNameCommand("a b"));
    }

    // ------------------------------------------------------------------ submit output

    @Test
    void parsesJobIds() throws Exception {
        List<String> argv = List.of("sbatch", "--parsable", "/x/job.sh");
        assertEquals("12", slurm.parseJobId(result(argv, 0, "12\n", ""), null));
        assertEquals("12", slurm.parseJobId(result(argv, 0, "12;hpctest\n", ""), null));
        assertEquals("13", slurm.parseJobId(result(argv, 0, "13\n",
                "sbatch: warning: can't run 1 processes on 2 nodes, setting nnodes to 1\n"), null));
        assertEquals("14", slurm.parseJobId(result(argv, 0, "Submitted batch job 14\n", ""), null));
        SchedulerException e = assertThrows(SchedulerException.class,
                () -> slurm.parseJobId(result(argv, 0, "what?\n", ""), null));
        assertFalse(e.isTransient());
    }

    @Test
    void namesTheOptionWithTheValueFromTheSpec() throws Exception {
        JobSpec spec = Spec.basic().partition("debugx").build();
        List<String> argv = slurm.submitCommand(spec, "/x/j1/job.sh");
        SchedulerException e = assertThrows(SchedulerException.class, () -> slurm.parseJobId(result(argv, 1, "",
                "sbatch: error: invalid partition specified: debugx\n"
                + "sbatch: error: Batch job submission failed: Invalid partition name specified\n"), spec));
        assertEquals("sbatch: error: invalid partition specified: debugx\n"
                + "sbatch: error: Batch job submission failed: Invalid partition name specified"
                + " (from --partition debugx)", e.getMessage());
        assertFalse(e.isTransient());
    }

    @Test
    void namesEveryCpuOptionOfTheSpecWhenTheArgvWasWrapped() {
        JobSpec spec = Spec.basic().cpus(3).ntasks(2).build();
        CommandResult r = result(List.of("ssh", "host", "sbatch --parsable '/x/j2/job.sh'"), 1, "",
                "sbatch: error: Batch job submission failed: More processors requested than permitted\n");
        SchedulerException e = assertThrows(SchedulerException.class, () -> slurm.parseJobId(r, spec));
        assertTrue(e.getMessage().endsWith(" (from --ntasks 2, --cpus-per-task 3)"), e.getMessage());
    }

    @Test
    void hintsForEveryKnownRefusal() {
        JobSpec spec = Spec.basic().partition("debug").time(Duration.ofHours(2)).nodes("2").cpus(3).mem(102400L)
                .gpus("1").account("nosuch").qos("nosuchqos").array("x-y").build();
        assertEquals("--partition nope", SlurmScheduler.hint("invalid partition specified: nope", null));
        assertEquals("--partition debug", SlurmScheduler.hint("Invalid partition name specified", spec));
        assertEquals("--time 02:00:00", SlurmScheduler.hint(
                "Requested time limit is invalid (missing or exceeds some limit)", spec));
        assertEquals("--time 02:00:00", SlurmScheduler.hint("sbatch: error: Invalid --time specification", spec));
        assertEquals("--nodes 2", SlurmScheduler.hint("Node count specification invalid", spec));
        assertEquals("--cpus-per-task 3", SlurmScheduler.hint("More processors requested than permitted", spec));
        assertEquals("--mem 102400M", SlurmScheduler.hint("sbatch: error: Memory specification can not be satisfied\n"
                + "sbatch: error: Batch job submission failed: Requested node configuration is not available", spec));
        assertEquals("--gpus 1", SlurmScheduler.hint("Invalid generic resource (gres) specification", spec));
        assertEquals("--account nosuch", SlurmScheduler.hint(
                "Invalid account or account/partition combination specified", spec));
        assertEquals("--qos nosuchqos", SlurmScheduler.hint("Invalid qos specification", spec));
        assertEquals("--array x-y", SlurmScheduler.hint("Invalid job array specification", spec));
        // without the spec: the option alone
        assertEquals("--nodes", SlurmScheduler.hint("Node count specification invalid", null));
        assertEquals("--cpus-per-task/--ntasks", SlurmScheduler.hint("More processors requested than permitted", null));
        // the spec does not set it, or the words do not tell
        assertEquals(null, SlurmScheduler.hint("Node count specification invalid", Spec.basic().build()));
        assertEquals(null, SlurmScheduler.hint("Job violates accounting/QOS policy (job submit limit, user's size"
                + " and/or time limits)", spec));
        assertEquals(null, SlurmScheduler.hint("Requested node configuration is not available", spec));
        assertEquals(null, SlurmScheduler.hint("This does not look like a batch script.", spec));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sbatch: error: Batch job submission failed: Socket timed out on send/recv operation",
        "sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)",
        "sbatch: error: Slurm temporarily unable to accept job, sleeping and retrying",
        "sbatch: error: Batch job submission failed: Resource temporarily unavailable",
        "slurm_load_jobs error: Zero Bytes were transmitted or received",
    })
    void transientErrors(String text) {
        CommandResult r = result(List.of("sbatch"), 1, "", text + "\n");
        assertTrue(slurm.isTransient(r));
        SchedulerException e = assertThrows(SchedulerException.class, () -> slurm.parseJobId(r, null));
        assertTrue(e.isTransient());
        assertEquals(text, e.getMessage());
        SchedulerException s = assertThrows(SchedulerException.class,
                () -> slurm.parseStatus(result(List.of("squeue"), 1, "", text), List.of("1")));
        assertTrue(s.isTransient());
    }

    @Test
    void timeoutsAreTransient() {
        CommandResult r = new CommandResult(List.of("squeue"), -1, "", "", true);
        assertTrue(slurm.isTransient(r));
        assertTrue(assertThrows(SchedulerException.class, () -> slurm.parseStatus(r, List.of("1"))).isTransient());
        assertTrue(assertThrows(SchedulerException.class, () -> slurm.parseJobId(r, null)).isTransient());
        assertFalse(slurm.isTransient(result(List.of("sbatch"), 1, "", "sbatch: error: Invalid --time specification")));
    }

    // ------------------------------------------------------------------ status output (hand-made)

    @Test
    void statusOfPlainJobs() throws Exception {
        String out = "12|12|RUNNING|node[01-02]|None\n"
                + "13|13|PENDING||ReqNodeNotAvail, UnavailableNodes:n1\n"
                + "14|14|COMPLETING|n3|None\n"
                + "15|15|SUSPENDED|n3|None\n"
                + "16|16|FROBNICATED|n3|None\n";
        Map<String, JobStatus> s = slurm.parseStatus(result(List.of("squeue"), 0, out, ""), List.of("12", "13", "14", "15", "16"));
        assertEquals(new JobStatus(JobState.RUNNING, null, "node[01-02]", null), s.get("12"));
        assertEquals(new JobStatus(JobState.PENDING, "ReqNodeNotAvail, UnavailableNodes:n1", null, null), s.get("13"));
        assertEquals(new JobStatus(JobState.RUNNING, "COMPLETING", "n3", null), s.get("14"));
        assertEquals(new JobStatus(JobState.RUNNING, "SUSPENDED", "n3", null), s.get("15"));
        assertEquals(JobState.UNKNOWN, s.get("16").state());
    }

    @Test
    void heterogeneousComponentsAreOneJob() throws Exception {
        String out = "30+0|30|RUNNING|n1|None\n30+1|31|PENDING||Resources\n";
        Map<String, JobStatus> s = slurm.parseStatus(result(List.of("squeue"), 0, out, ""), List.of("30"));
        assertEquals(JobState.RUNNING, s.get("30").state());
    }

    @Test
    void expandsPendingRanges() {
        assertEquals(List.of("8_1", "8_2", "8_3", "8_5"), SlurmIds.expand("8_[1-3,5%2]"));
        assertEquals(List.of("8_1", "8_3", "8_5"), SlurmIds.expand("8_[1-5:2]"));
        assertEquals(List.of("8_4"), SlurmIds.expand("8_4"));
        assertEquals(List.of("8_[x]"), SlurmIds.expand("8_[x]"));
        assertEquals(List.of("8_[1-999999999]"), SlurmIds.expand("8_[1-999999999]"));
    }

    @Test
    void otherSqueueFailuresAreNotTransient() {
        SchedulerException e = assertThrows(SchedulerException.class, () -> slurm.parseStatus(
                result(List.of("squeue"), 1, "", "squeue: error: Invalid user: nobody\n"), List.of("1")));
        assertFalse(e.isTransient());
        assertEquals("squeue: error: Invalid user: nobody", e.getMessage());
    }

    @Test
    void findsTheNewestJobWithExactlyThatName() {
        String out = "40|hk-cell-7\n41|hk-cell-7x\n44_[1-3]|hk-cell-7\n42|hk-cell-7\n";
        assertEquals(Optional.of("44"), slurm.parseFindByName(result(List.of(), 0, out, ""), "hk-cell-7"));
        assertEquals(Optional.empty(), slurm.parseFindByName(result(List.of(), 0, out, ""), "hk-cell"));
        assertEquals(Optional.empty(), slurm.parseFindByName(result(List.of(), 1, out, ""), "hk-cell-7"));
    }

    /** After an ambiguous submit the job is found by its script path (unique per submission), whatever its -J name. */
    @Test
    void findsTheSubmittedJobByScriptPathWhateverItsName() {
        String script = "/w/jobs/20260101-000000-0a1b2c3d/job.sh";
        assertEquals(List.of("squeue", "-h", "--me", "-t", "all", "-o", "%i|%o"), slurm.findSubmittedCommand("run", script));
        String out = "40|/w/jobs/20251231-000000-ffffffff/job.sh\n41|" + script + "\n43_[1-3]|" + script + "x\n"
                + "42_7|" + script + "\n";
        assertEquals(Optional.of("42"), slurm.parseFindSubmitted(result(List.of(), 0, out, ""), "run", script));
        assertEquals(Optional.empty(), slurm.parseFindSubmitted(result(List.of(), 0, "40|/w/other/job.sh\n", ""), "run", script));
        assertEquals(Optional.empty(), slurm.parseFindSubmitted(result(List.of(), 1, out, ""), "run", script));
    }

    @Test
    void accountingThatDoesNotKnowEveryArrayTaskYetIsNotFinal() throws Exception {
        JobSpec spec = Spec.basic().array("1-3").build();
        List<String> argv = slurm.submitCommand(spec, "/x/j3/job.sh");
        assertEquals("32", slurm.parseJobId(result(argv, 0, "32\n", ""), spec));
        String partial = "32_1|COMPLETED|0:0|00:00:00|00:00.001||vm\n"
                + "32_1.batch|COMPLETED|0:0|00:00:00|00:00.001||vm\n"
                + "32_3|COMPLETED|0:0|00:00:00|00:00.001||vm\n";
        assertEquals(JobState.UNKNOWN, slurm.parseAccounting(result(List.of(), 0, partial, ""), "32").orElseThrow().state());
        String all = partial + "32_2|FAILED|4:0|00:00:00|00:00.001||vm\n";
        JobAccounting a = slurm.parseAccounting(result(List.of(), 0, all, ""), "32").orElseThrow();
        assertEquals(JobState.FAILED, a.state());
        assertEquals(4, a.exitCode());
        // a pending range counts for its tasks; an array this instance did not submit: as printed
        String pending = "32_1|COMPLETED|0:0|00:00:00|00:00.001||vm\n32_[2-3]|PENDING|0:0|00:00:00|00:00:00||None assigned\n";
        assertEquals(JobState.PENDING, slurm.parseAccounting(result(List.of(), 0, pending, ""), "32").orElseThrow().state());
        assertEquals(JobState.COMPLETED, new SlurmScheduler().parseAccounting(result(List.of(), 0, partial, ""), "32")
                .orElseThrow().state());
    }

    @Test
    void accountingOfAnOutOfMemoryJobAndOfOddLines() {
        String out = "50|OUT_OF_MEMORY|0:125|00:01:05|00:10.500||n1\n"
                + "50.batch|OUT_OF_MEMORY|0:125|00:01:05|00:10.500|2000M|n1\n"
                + "50.extern|COMPLETED|0:0|00:01:05|00:00:00|1024K|n1\n"
                + "garbage\n";
        JobAccounting a = slurm.parseAccounting(result(List.of(), 0, out, ""), "50").orElseThrow();
        assertEquals(new JobAccounting(JobState.OUT_OF_MEMORY, 0, 125, Duration.ofSeconds(65), Duration.ofMillis(10500),
                2000L * 1024 * 1024, "n1"), a);
        assertEquals(Optional.empty(), slurm.parseAccounting(result(List.of(), 0, "", ""), "50"));
        assertEquals(Optional.empty(), slurm.parseAccounting(result(List.of(), 1, "", "sacct: error: x"), "50"));
    }
}
