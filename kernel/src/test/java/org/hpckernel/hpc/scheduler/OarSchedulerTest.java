package org.hpckernel.hpc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hpckernel.hpc.BatchScript;
import org.hpckernel.hpc.transport.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Directives, argv and parsing of OarScheduler on hand-made input; real outputs: OarRecordedTest. */
class OarSchedulerTest {
    private final OarScheduler oar = new OarScheduler();

    /** A spec with a name and a job directory; the with* helpers set one field each. */
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
        JobSpec spec = Spec.basic().partition("default").time(Duration.ofSeconds(90)).nodes("2").ntasks(4).cpus(3)
                .account("proj1").build();
        assertEquals(List.of(
                "#OAR -n hk-cell-7",
                "#OAR -d /home/u/.hpc-kernel/jobs/j7",
                "#OAR -O /home/u/.hpc-kernel/jobs/j7/scheduler.out",
                "#OAR -E /home/u/.hpc-kernel/jobs/j7/scheduler.out",
                "#OAR -q default",
                "#OAR --project proj1",
                "#OAR -l /nodes=2/core=6,walltime=0:01:30"), oar.directives(spec));
    }

    @Test
    void rendersOnlyWhatWasAsked() throws Exception {
        assertEquals(List.of(
                "#OAR -n hk-cell-7",
                "#OAR -d /home/u/.hpc-kernel/jobs/j7",
                "#OAR -O /home/u/.hpc-kernel/jobs/j7/scheduler.out",
                "#OAR -E /home/u/.hpc-kernel/jobs/j7/scheduler.out"), oar.directives(Spec.basic().build()));
        assertEquals(List.of("#OAR -n hk-cell-7", "#OAR -l walltime=26:00:00"),
                oar.directives(Spec.basic().jobDir(null).time(Duration.ofHours(26)).build()));
    }

    @Test
    void anArrayGetsItsCountAndAnExplanation() throws Exception {
        JobSpec spec = Spec.basic().jobDir("/scratch/j8/").array("0-15").time(Duration.ofMinutes(1)).build();
        assertEquals(List.of(
                "#OAR -n hk-cell-7",
                "#OAR -d /scratch/j8",
                "#OAR -O /scratch/j8/scheduler.out",
                "#OAR -E /scratch/j8/scheduler.out",
                "#OAR -l walltime=0:01:00",
                "#OAR --array 16",
                "# OAR numbers array subjobs 1..16; oarsub passes \"0 1\" (first index, step) as $1 $2, so "
                        + "HPC_ARRAY_INDEX is 0-15"), oar.directives(spec));
        assertEquals(List.of("oarsub", "-S", "/scratch/j8/job.sh 0 1"), oar.submitCommand(spec, "/scratch/j8/job.sh"));
        JobSpec stepped = Spec.basic().array("1-100:10").build();
        assertTrue(oar.directives(stepped).contains("#OAR --array 10"));
        assertEquals(List.of("oarsub", "-S", "/s/job.sh 1 10"), oar.submitCommand(stepped, "/s/job.sh"));
        assertEquals(List.of("oarsub", "-S", "/s/job.sh 7 1"), oar.submitCommand(Spec.basic().array("7").build(), "/s/job.sh"));
        assertEquals(List.of("oarsub", "-S", "/s/job.sh"), oar.submitCommand(Spec.basic().build(), "/s/job.sh"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // nodes | ntasks | cpus | -l
            "      |        | 4    | /nodes=1/core=4",
            "      | 1      |      | /nodes=1/core=1",
            "      | 8      |      | /core=8",
            "      | 8      | 1    | /core=8",
            "      | 2      | 3    | /nodes=1/core=6",
            "2     |        |      | /nodes=2/core=1",
            "2     |        | 4    | /nodes=2/core=4",
            "2     | 4      |      | /nodes=2/core=2",
            "2     | 4      | 3    | /nodes=2/core=6",
            "3-3   | 3      |      | /nodes=3/core=1",
            "1     |        |      | /nodes=1/core=1"})
    void resourcesFromNodesTasksAndCpus(String nodes, Integer ntasks, Integer cpus, String want) throws Exception {
        assertEquals(want, OarScheduler.resources(Spec.basic().nodes(nodes).ntasks(ntasks).cpus(cpus).build()));
    }

    @Test
    void noResourcesAskedMeansOarsDefault() throws Exception {
        assertNull(OarScheduler.resources(Spec.basic().build()));
    }

    @ParameterizedTest
    @CsvSource({"1,0:00:01", "59,0:00:59", "60,0:01:00", "3661,1:01:01", "90000,25:00:00", "360000,100:00:00"})
    void walltimes(long seconds, String want) {
        assertEquals(want, OarScheduler.walltime(Duration.ofSeconds(seconds)));
    }

    @Test
    void walltimeRoundsUpAndMustBePositive() {
        assertEquals("0:00:02", OarScheduler.walltime(Duration.ofMillis(1500)));
        assertThrows(IllegalArgumentException.class, () -> OarScheduler.walltime(Duration.ZERO));
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void refusesWhatOarCannotExpressNamingOar() {
        record Case(Spec spec, String message) {}
        for (Case c : List.of(
                new Case(Spec.basic().mem(4096L), "oar cannot express --mem 4096M: OAR has no standard memory resource"),
                new Case(Spec.basic().gpus("a100:2"), "oar cannot express --gpus a100:2: OAR 2.5 has no standard GPU resource"),
                new Case(Spec.basic().qos("high"), "oar cannot express --qos high: OAR has no quality of service"),
                new Case(Spec.basic().nodes("2-4"), "oar cannot express --nodes 2-4: OAR takes a fixed number of nodes"),
                new Case(Spec.basic().nodes("2").ntasks(3), "oar cannot express --nodes 2 with 3 tasks × 1 cpus: "
                        + "OAR gives each node the same number of cores, and 3 cores do not split evenly over 2 nodes"),
                new Case(Spec.basic().array("0-15%4"), "oar cannot express --array 0-15%4: OAR cannot limit how many"),
                new Case(Spec.basic().array("1,3,5"), "oar cannot express --array 1,3,5: OAR numbers subjobs 1..N"))) {
            UnsupportedOptionException e = assertThrows(UnsupportedOptionException.class,
                    () -> oar.directives(c.spec().build()), c.toString());
            assertTrue(e.getMessage().startsWith(c.message()), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a\nb", "x;rm -rf ~", "$(id)", "`id`", "a'b", "a\"b", "a#b", "a\\b", "%jobid%", "",
            "-q"})
    void rejectsInjectionInEveryStringValue(String bad) {
        assertThrows(IllegalArgumentException.class, () -> oar.directives(Spec.basic().jobName(bad).build()));
        assertThrows(IllegalArgumentException.class, () -> oar.directives(Spec.basic().partition(bad).build()));
        assertThrows(IllegalArgumentException.class, () -> oar.directives(Spec.basic().account(bad).build()));
        assertThrows(IllegalArgumentException.class, () -> oar.findByNameCommand(bad));
        if (!bad.isEmpty() && !bad.equals("-q")) { // both make fine path parts
            assertThrows(IllegalArgumentException.class, () -> oar.directives(Spec.basic().jobDir("/home/" + bad).build()));
            assertThrows(IllegalArgumentException.class,
                    () -> oar.submitCommand(Spec.basic().build(), "/home/" + bad + "/job.sh"));
        }
    }

    @Test
    void pathsMustBeAbsoluteAndPlain() {
        assertThrows(IllegalArgumentException.class, () -> oar.directives(Spec.basic().jobDir("relative/dir").build()));
        assertThrows(IllegalArgumentException.class, () -> oar.directives(Spec.basic().jobDir("/home/u/~x").build()));
        assertThrows(IllegalArgumentException.class, () -> oar.submitCommand(Spec.basic().build(), "job.sh"));
    }

    // ------------------------------------------------------------------ job id and index inside the job

    /** What bash makes of our variables, for a plain job and for subjob 3 of "--array 4-12:4". */
    @Test
    void theIndexExpressionGivesTheAskedIndexAndNothingForAPlainJob() throws Exception {
        String script = "export HPC_JOB_ID=\"" + oar.jobIdVariable() + "\"; export HPC_ARRAY_INDEX=\""
                + oar.arrayIndexVariable() + "\"; printf '%s|%s' \"$HPC_JOB_ID\" \"$HPC_ARRAY_INDEX\"";
        assertEquals("41|", bash(script, Map.of("OAR_JOB_ID", "41", "OAR_ARRAY_ID", "41", "OAR_ARRAY_INDEX", "1")));
        assertEquals("40|12", bash(script, Map.of("OAR_JOB_ID", "42", "OAR_ARRAY_ID", "40", "OAR_ARRAY_INDEX", "3"),
                "4", "4"));
        assertEquals("40|0", bash(script, Map.of("OAR_JOB_ID", "40", "OAR_ARRAY_ID", "40", "OAR_ARRAY_INDEX", "1"),
                "0", "1"));
    }

    private static String bash(String script, Map<String, String> env, String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("/bin/bash", "-c", script, "job.sh"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return out;
    }

    /** The whole job.sh, as the kernel renders it: oarsub reads every #OAR line, so only ours may be there. */
    @Test
    void theRenderedScriptHasOnlyOurOarLines() throws Exception {
        JobSpec spec = Spec.basic().array("2-5").time(Duration.ofMinutes(5)).build();
        String script = BatchScript.render(oar, spec, "/home/u/.hpc-kernel", List.of("source /etc/profile"),
                new BatchScript.ShebangPayload(), "test");
        List<String> oarLines = script.lines().filter(l -> l.startsWith("#OAR")).toList();
        assertEquals(oar.directives(spec).stream().filter(l -> l.startsWith("#OAR")).toList(), oarLines);
        assertTrue(script.startsWith("#!/bin/bash\n#OAR -n hk-cell-7\n"), script);
        assertTrue(script.contains("export HPC_ARRAY_INDEX=\"${1:+$(( $1 + (OAR_ARRAY_INDEX - 1) * ${2:-1} ))}\""),
                script);
    }

    // ------------------------------------------------------------------ argv

    @Test
    void buildsArgvLists() {
        assertEquals(List.of("oarstat", "-f", "-J", "--sql", "array_id IN (12,15) OR job_id IN (12,15)"),
                oar.statusCommand(List.of("12", "15", "12")));
        assertEquals(List.of("oardel", "--array", "12"), oar.cancelCommand("12"));
        assertEquals(Optional.of(oar.statusCommand(List.of("12"))), oar.accountingCommand("12"));
        assertEquals(List.of("/bin/sh", "-c", "exec oarstat -J --sql \"job_name = '$1' AND job_user = '$(id -un)'\"",
                "oarstat", "hk-cell-7"), oar.findByNameCommand("hk-cell-7"));
        assertEquals(List.of(List.of("oarsub", "-V"), List.of("oarstat", "-V")), oar.versionCommands());
        assertEquals("oar", oar.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "-5", "12_1", "12 13", "1) OR (1=1", "12;", "abc"})
    void rejectsAnythingButJobIds(String bad) {
        assertThrows(IllegalArgumentException.class, () -> oar.statusCommand(List.of(bad)));
        assertThrows(IllegalArgumentException.class, () -> oar.cancelCommand(bad));
    }

    @Test
    void rejectsAnEmptyIdList() {
        assertThrows(IllegalArgumentException.class, () -> oar.statusCommand(List.of()));
    }

    // ------------------------------------------------------------------ submit output

    @Test
    void parsesJobIds() throws Exception {
        List<String> argv = List.of("oarsub", "-S", "/x/job.sh");
        assertEquals("12", oar.parseJobId(result(argv, 0,
                "[ADMISSION RULE] Modify resource description with type constraints\nOAR_JOB_ID=12\n", ""), null));
        assertEquals("20", oar.parseJobId(
                result(argv, 0, "OAR_JOB_ID=20\nOAR_JOB_ID=21\nOAR_ARRAY_ID=20\n", ""), null));
        SchedulerException none = assertThrows(SchedulerException.class,
                () -> oar.parseJobId(result(argv, 0, "something else\n", ""), null));
        assertTrue(none.getMessage().startsWith("oarsub printed no job id"), none.getMessage());
        // an error code is not an id, whatever the exit code says
        assertThrows(SchedulerException.class, () -> oar.parseJobId(result(argv, 8, "OAR_JOB_ID=-5\n", "x"), null));
        assertThrows(SchedulerException.class, () -> oar.parseJobId(result(argv, 0, "OAR_JOB_ID=-5\n", ""), null));
    }

    @Test
    void timeoutsAndDatabaseTroubleAreTransient() {
        List<String> argv = List.of("oarsub", "-S", "/x/job.sh");
        CommandResult timedOut = new CommandResult(argv, -1, "", "", true);
        assertTrue(oar.isTransient(timedOut));
        SchedulerException e = assertThrows(SchedulerException.class, () -> oar.parseJobId(timedOut, null));
        assertTrue(e.isTransient());
        assertTrue(e.getMessage().contains("may have been submitted anyway"), e.getMessage());
        CommandResult db = result(argv, 1, "", "[IOlib] Cannot connect to database (type=Pg, host=127.0.0.1, user=oar, "
                + "database=oar) : could not connect to server: Connection refused");
        assertTrue(oar.isTransient(db));
        assertTrue(assertThrows(SchedulerException.class, () -> oar.parseJobId(db, null)).isTransient());
        assertTrue(assertThrows(SchedulerException.class, () -> oar.parseStatus(
                result(List.of("oarstat"), 1, "", "DB connection error, exiting."), List.of("1"))).isTransient());
        assertFalse(oar.isTransient(result(argv, 248, "", "ERROR : The queue nope does not exist")));
    }

    @Test
    void hintsForKnownRefusals() {
        JobSpec spec = Spec.basic().partition("q1").time(Duration.ofHours(3)).account("p1").array("1-4").nodes("2").build();
        assertEquals("--partition q1", OarScheduler.hint("ERROR : The queue q1 does not exist", spec));
        assertEquals("--partition nope", OarScheduler.hint("ERROR : The queue nope does not exist", null));
        assertEquals("--nodes 2, --partition q1", OarScheduler.hint("There are not enough resources for your request", spec));
        assertEquals("--time 3:00:00", OarScheduler.hint("[ADMISSION RULE] walltime too big", spec));
        assertEquals("--account p1", OarScheduler.hint("[ADMISSION RULE] unknown project", spec));
        assertEquals("--array 1-4", OarScheduler.hint("An array job must have a positive number of sub-jobs.", spec));
        assertNull(OarScheduler.hint("[ADMISSION RULE] something else", spec));
    }

    // ------------------------------------------------------------------ status parsing

    private static String job(String id, String arrayId, int index, String state, String exitCode, String events) {
        return "\"" + id + "\" : {\"Job_Id\" : " + id + ", \"array_id\" : " + arrayId + ", \"array_index\" : " + index
                + ", \"state\" : \"" + state + "\", \"exit_code\" : " + exitCode + ", \"name\" : \"n\", "
                + "\"assigned_network_address\" : [\"node1\"], \"startTime\" : 100, \"stopTime\" : 160, "
                + "\"events\" : [" + events + "]}";
    }

    private static String event(String type) {
        return "{\"type\" : \"" + type + "\", \"description\" : \"d\", \"date\" : 1}";
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Waiting          | null | | PENDING   |",
            "Hold             | null | | PENDING   | Hold",
            "toAckReservation | null | | PENDING   | toAckReservation",
            "toLaunch         | null | | PENDING   | toLaunch",
            "Launching        | null | | PENDING   | Launching",
            "Running          | null | | RUNNING   |",
            "Suspended        | null | | RUNNING   | Suspended",
            "Resuming         | null | | RUNNING   | Resuming",
            "Finishing        | null | | RUNNING   | Finishing",
            "Terminated       | 0    | | COMPLETED |",
            "Terminated       | null | | COMPLETED |",
            "Terminated       | 256  | | FAILED    | exit code 1",
            "Terminated       | 15   | | FAILED    | killed by signal 15",
            "Error            | null | FRAG_JOB_REQUEST,WALLTIME | TIMEOUT | WALLTIME",
            "Error            | null | FRAG_JOB_REQUEST | CANCELLED | FRAG_JOB_REQUEST",
            "Error            | null | BESTEFFORT_KILL | CANCELLED | BESTEFFORT_KILL",
            "Error            | null | PING_CHECKER_NODE_SUSPECTED | NODE_FAIL | PING_CHECKER_NODE_SUSPECTED",
            "Error            | null | EXIT_VALUE_OAREXEC | NODE_FAIL | EXIT_VALUE_OAREXEC",
            "Error            | null | | FAILED | Error",
            "Error            | null | SWITCH_INTO_ERROR_STATE | FAILED | Error (SWITCH_INTO_ERROR_STATE)",
            "toError          | null | WALLTIME | TIMEOUT | WALLTIME",
            "Whatever         | null | | UNKNOWN | Whatever"})
    void everyState(String state, String exit, String events, JobState want, String reason) throws Exception {
        String ev = events == null ? "" : String.join(",", java.util.Arrays.stream(events.split(","))
                .map(OarSchedulerTest::event).toList());
        CommandResult r = result(oar.statusCommand(List.of("5")), 0, "{" + job("5", "5", 1, state, exit, ev) + "}", "");
        JobStatus s = oar.parseStatus(r, List.of("5")).get("5");
        assertEquals(want, s.state());
        assertEquals(reason, s.reason());
        assertEquals("node1", s.node());
    }

    @Test
    void anArrayAggregatesItsSubjobs() throws Exception {
        String json = "{" + job("20", "20", 1, "Terminated", "0", "") + "," + job("21", "20", 2, "Terminated", "768", "")
                + "," + job("22", "20", 3, "Error", "null", event("WALLTIME")) + "}";
        CommandResult r = result(oar.statusCommand(List.of("20")), 0, json, "");
        assertEquals(JobState.FAILED, oar.parseStatus(r, List.of("20")).get("20").state());
        JobAccounting a = oar.parseAccounting(r, "20").orElseThrow();
        assertEquals(JobState.FAILED, a.state());
        assertEquals(3, a.exitCode());
        assertEquals(Duration.ofSeconds(60), a.elapsed());
        assertEquals(JobState.TIMEOUT, oar.parseStatus(r, List.of("22")).get("22").state());

        String running = "{" + job("20", "20", 1, "Terminated", "0", "") + "," + job("21", "20", 2, "Running", "null", "")
                + "," + job("22", "20", 3, "Waiting", "null", "") + "}";
        assertEquals(JobState.RUNNING, oar.parseStatus(result(List.of("oarstat"), 0, running, ""), List.of("20"))
                .get("20").state());
    }

    @Test
    void garbageIsAnErrorNotAState() {
        SchedulerException e = assertThrows(SchedulerException.class,
                () -> oar.parseStatus(result(List.of("oarstat"), 0, "Job id  S User\n----", ""), List.of("1")));
        assertTrue(e.getMessage().startsWith("oarstat printed something that is not JSON"), e.getMessage());
        assertFalse(e.isTransient());
        assertEquals(Optional.empty(), oar.parseAccounting(result(List.of("oarstat"), 1, "", "boom"), "1"));
        assertEquals(Optional.empty(), oar.parseFindByName(result(List.of("oarstat"), 1, "", "boom"), "n"));
    }

    @Test
    void findByNameTakesTheNewestJobOfThatName() {
        String json = "{" + job("30", "30", 1, "Terminated", "0", "") + "," + job("35", "35", 1, "Waiting", "null", "")
                + "," + job("36", "35", 2, "Waiting", "null", "") + "}";
        assertEquals(Optional.of("35"), oar.parseFindByName(result(List.of("sh"), 0, json, ""), "n"));
        assertEquals(Optional.empty(), oar.parseFindByName(result(List.of("sh"), 0, json, ""), "other"));
        assertEquals(Optional.empty(), oar.parseFindByName(result(List.of("sh"), 0, "", ""), "n"));
    }
}
