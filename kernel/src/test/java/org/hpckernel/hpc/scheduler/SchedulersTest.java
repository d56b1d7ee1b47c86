package org.hpckernel.hpc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hpckernel.hpc.transport.CommandResult;
import org.junit.jupiter.api.Test;

/** The registry builds each scheduler from the profile's settings, and the settings reach the batch script. */
class SchedulersTest {
    private static final JobSpec FOUR_CPUS = JobSpec.builder().jobName("hk-cell-1").jobDir("/w/j1").cpusPerTask(4).build();

    private static SchedulerSettings settings(PbsScheduler.Flavor flavor, String pe, Integer slots, List<String> extra) {
        return new SchedulerSettings(flavor, pe, slots, extra);
    }

    /** A probe that answers {@code qstat --version} as given and records what it was asked. */
    private static Schedulers.Probe answering(List<List<String>> asked, int rc, String stdout, String stderr) {
        return argv -> {
            asked.add(argv);
            return new CommandResult(argv, rc, stdout, stderr, false);
        };
    }

    @Test
    void theProfileAndTheRegistryShareOneList() throws Exception {
        assertEquals(List.of("slurm", "local", "pbs", "oar", "sge", "lsf"), Schedulers.names());
        for (String name : Schedulers.names()) {
            assertEquals(name, Schedulers.create(name, settings(PbsScheduler.Flavor.PRO, null, null, List.of()), null).name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedulers.create("slrum"));
        assertEquals("no scheduler \"slrum\" in this build; known: [slurm, local, pbs, oar, sge, lsf]", e.getMessage());
    }

    @Test
    void thePbsFlavorIsAskedOfQstatWhenTheProfileDoesNotSetIt() throws Exception {
        List<List<String>> asked = new ArrayList<>();
        PbsScheduler torque = (PbsScheduler) Schedulers.create("pbs", SchedulerSettings.none(),
                answering(asked, 0, "Version: 6.1.2\nCommit: 661e092552de43a785c15d39a3634a541d86898e\n", ""));
        assertEquals(PbsScheduler.Flavor.TORQUE, torque.flavor());
        assertEquals(List.of(List.of("qstat", "--version")), asked);
        assertTrue(torque.directives(JobSpec.builder().jobName("x").array("1-3").build()).contains("#PBS -t 1-3"));
        PbsScheduler pro = (PbsScheduler) Schedulers.create("pbs", SchedulerSettings.none(),
                answering(asked, 0, "pbs_version = 2022.1.1\n", ""));
        assertEquals(PbsScheduler.Flavor.PRO, pro.flavor());
    }

    @Test
    void aFlavorSetInTheProfileIsNotAsked() throws Exception {
        List<List<String>> asked = new ArrayList<>();
        PbsScheduler torque = (PbsScheduler) Schedulers.create("pbs",
                settings(PbsScheduler.Flavor.TORQUE, null, null, List.of()), answering(asked, 0, "pbs_version = 2022.1.1", ""));
        assertEquals(PbsScheduler.Flavor.TORQUE, torque.flavor());
        assertTrue(asked.isEmpty());
    }

    @Test
    void anUnreadableQstatVersionIsRefusedNamingTheProfileKey() {
        SchedulerException e = assertThrows(SchedulerException.class, () -> Schedulers.create("pbs",
                SchedulerSettings.none(), answering(new ArrayList<>(), 127, "", "sh: qstat: command not found")));
        assertEquals("cannot tell PBS Professional from Torque: \"qstat --version\" printed \"sh: qstat: command not "
                + "found\"; set \"pbs\": {\"flavor\": \"pro\"} or {\"flavor\": \"torque\"} in the cluster profile", e.getMessage());
        assertFalse(e.isTransient());
    }

    @Test
    void theGridEngineParallelEnvironmentComesFromTheProfile() throws Exception {
        Scheduler sge = Schedulers.create("sge", settings(null, "smp", null, List.of()), null);
        assertTrue(sge.directives(FOUR_CPUS).contains("#$ -pe smp 4"), sge.directives(FOUR_CPUS).toString());
        UnsupportedOptionException e = assertThrows(UnsupportedOptionException.class,
                () -> Schedulers.create("sge", SchedulerSettings.none(), null).directives(FOUR_CPUS));
        assertTrue(e.getMessage().contains("set it as \"sge.parallelEnvironment\" in the cluster profile"), e.getMessage());
    }

    @Test
    void localSlotsLimitHowManyJobsRunAtOnce() throws Exception {
        Scheduler local = Schedulers.create("local", settings(null, null, 3, List.of()), null);
        assertTrue(String.join("\n", local.prologue("/w")).contains("at most 3 jobs at once"), local.prologue("/w").toString());
    }

    @Test
    void extraDirectivesFollowTheGeneratedOnesOnEveryGridScheduler() throws Exception {
        record Case(String scheduler, String line) {}
        for (Case c : List.of(new Case("slurm", "#SBATCH --constraint=haswell"), new Case("pbs", "#PBS -l software=matlab"),
                new Case("sge", "#$ -l scratch=10G"), new Case("lsf", "#BSUB -R \"select[type==X86_64]\""),
                new Case("oar", "#OAR -p \"cluster='a'\""))) {
            Scheduler s = Schedulers.create(c.scheduler(), settings(PbsScheduler.Flavor.PRO, null, null, List.of(c.line())), null);
            List<String> lines = s.directives(JobSpec.builder().jobName("hk-cell-2").jobDir("/w/j2").build());
            assertEquals(c.line(), lines.get(lines.size() - 1), c.scheduler());
        }
    }

    @Test
    void anExtraDirectiveIsRefusedUnlessItIsOneDirectiveLineOfThatScheduler() {
        for (String bad : List.of("#PBS -l x=1", "--constraint=haswell", "#SBATCH", "#SBATCH ", "#SBATCH -C a\necho pwned",
                "#SBATCHX --a", " #SBATCH -C a")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Schedulers.check("slurm", settings(null, null, null, List.of(bad))), bad);
            assertTrue(e.getMessage().startsWith("extraDirectives: "), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Schedulers.check("sge", settings(null, null, null, List.of("#SBATCH -C a"))));
        assertEquals("extraDirectives: \"#SBATCH -C a\" is not a Grid Engine directive line; each must start with "
                + "\"#$ \" followed by the option as Grid Engine reads it there", e.getMessage());
    }
}
