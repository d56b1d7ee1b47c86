package org.hpckernel.hpc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.hpckernel.hpc.transport.CommandResult;
import org.junit.jupiter.api.Test;

/**
 * A user's own job name ({@code -J fit}) on the schedulers that are looked up by name after an
 * ambiguous submit: the submitted name keeps the submission's tag, within each scheduler's limit,
 * so that two cells named alike are never taken for each other. Slurm is looked up by the
 * script path and keeps the user's name as given.
 */
class UniqueJobNameTest {
    private static final String TAG = "1a2b3c4d";
    private static final String OTHER = "99ffee00";
    private static final String SCRIPT = "/w/jobs/k/job.sh";

    private static JobSpec named(String name) {
        return JobSpec.builder().jobName(name).jobDir("/w/jobs/k").build();
    }

    private static CommandResult ok(List<String> argv, String stdout) {
        return new CommandResult(argv, 0, stdout, "", false);
    }

    @Test
    void slurmKeepsTheUsersNameAndLooksUpByScript() throws Exception {
        SlurmScheduler slurm = new SlurmScheduler();
        assertEquals("fit", slurm.uniqueName("fit", TAG));
        assertTrue(slurm.directives(named("fit")).contains("#SBATCH --job-name=fit"));
        List<String> find = slurm.findSubmittedCommand("fit", SCRIPT);
        assertFalse(find.contains("fit"), find.toString());
        String out = "20|/w/jobs/other/job.sh\n21|" + SCRIPT + "\n";
        assertEquals(Optional.of("21"), slurm.parseFindSubmitted(ok(find, out), "fit", SCRIPT));
    }

    @Test
    void gridEngineFoldsTheTagIntoTheName() throws Exception {
        SgeScheduler sge = new SgeScheduler();
        String name = sge.uniqueName("fit", TAG);
        assertEquals("fit-" + TAG, name);
        assertTrue(sge.directives(named(name)).contains("#$ -N fit-" + TAG));
        List<String> find = sge.findSubmittedCommand(name, SCRIPT);
        assertEquals(List.of("qstat", "-xml"), find);
        // two cells the user named "fit": only this submission's job is found
        String xml = "<?xml version='1.0'?><job_info><queue_info>"
                + row(40, "fit-" + OTHER) + row(41, "fit-" + TAG) + row(42, "fit")
                + "</queue_info><job_info></job_info></job_info>";
        assertEquals(Optional.of("41"), sge.parseFindSubmitted(ok(find, xml), name, SCRIPT));
        assertEquals(Optional.empty(), sge.parseFindSubmitted(ok(find, xml.replace("fit-" + TAG, "fit-x")), name, SCRIPT));
        // a name that starts with a digit gets the "j" Grid Engine needs, and keeps the tag
        String digit = sge.uniqueName("2024run", TAG);
        assertTrue(sge.directives(named(digit)).contains("#$ -N j2024run-" + TAG));
    }

    private static String row(int id, String name) {
        return "<job_list state=\"running\"><JB_job_number>" + id + "</JB_job_number><JB_name>" + name
                + "</JB_name><JB_owner>u</JB_owner><state>r</state><queue_name>all.q@n</queue_name><slots>1</slots></job_list>";
    }

    @Test
    void torqueKeepsTheWholeTagWithinFifteenCharacters() throws Exception {
        PbsScheduler torque = new PbsScheduler(PbsScheduler.Flavor.TORQUE);
        String name = torque.uniqueName("a-very-long-name-indeed", TAG);
        assertEquals("a-very-1a2b3c4d", name);
        assertTrue(torque.directives(named(name)).contains("#PBS -N a-very-1a2b3c4d"));
        assertEquals("hpc-find-by-name", torque.findSubmittedCommand(name, SCRIPT).get(3));
        assertEquals(name, torque.findSubmittedCommand(name, SCRIPT).get(4));
        // Torque puts a letter before a leading digit and then cuts to 15: the user's part gives way, not the tag
        String digit = torque.uniqueName("2024-run", TAG);
        List<String> directives = torque.directives(named(digit));
        String n = directives.stream().filter(d -> d.startsWith("#PBS -N ")).findFirst().orElseThrow().substring(8);
        assertTrue(n.length() <= 15 && n.endsWith("-" + TAG) && n.startsWith("j2024"), n);
        assertEquals(n, torque.findSubmittedCommand(digit, SCRIPT).get(4));
    }

    @Test
    void pbsProfessionalHasRoomForTheWholeName() throws Exception {
        PbsScheduler pro = new PbsScheduler();
        String name = pro.uniqueName("a-very-long-name-indeed", TAG);
        assertEquals("a-very-long-name-indeed-" + TAG, name);
        assertTrue(pro.directives(named(name)).contains("#PBS -N " + name));
        assertEquals(name, pro.findSubmittedCommand(name, SCRIPT).get(4));
        assertEquals(Optional.of("8.server"), pro.parseFindSubmitted(ok(List.of(), "8.server\n"), name, SCRIPT));
    }

    @Test
    void lsfFoldsTheTagIntoTheNameItsBjobsFilters() throws Exception {
        LsfScheduler lsf = new LsfScheduler();
        String name = lsf.uniqueName("fit", TAG);
        assertEquals("fit-" + TAG, name);
        assertTrue(lsf.directives(named(name)).contains("#BSUB -J fit-" + TAG));
        List<String> find = lsf.findSubmittedCommand(name, SCRIPT);
        assertEquals(List.of("bjobs", "-a", "-J", name, "-o", "jobid job_name", "-json"), find);
        String json = "{\"COMMAND\":\"bjobs\",\"JOBS\":2,\"RECORDS\":[{\"JOBID\":\"300\",\"JOB_NAME\":\"fit-" + OTHER
                + "\"},{\"JOBID\":\"301\",\"JOB_NAME\":\"fit-" + TAG + "\"}]}";
        assertEquals(Optional.of("301"), lsf.parseFindSubmitted(ok(find, json), name, SCRIPT));
    }

    @Test
    void oarFoldsTheTagIntoTheNameItsQueryFilters() throws Exception {
        OarScheduler oar = new OarScheduler();
        String name = oar.uniqueName("fit", TAG);
        assertEquals("fit-" + TAG, name);
        assertTrue(oar.directives(named(name)).contains("#OAR -n fit-" + TAG));
        List<String> find = oar.findSubmittedCommand(name, SCRIPT);
        assertEquals(name, find.get(find.size() - 1));
        String json = "{\"7\":{\"Job_Id\":7,\"array_id\":7,\"name\":\"fit-" + OTHER + "\",\"state\":\"Waiting\"},"
                + "\"8\":{\"Job_Id\":8,\"array_id\":8,\"name\":\"fit-" + TAG + "\",\"state\":\"Waiting\"}}";
        assertEquals(Optional.of("8"), oar.parseFindSubmitted(ok(find, json), name, SCRIPT));
        // OAR keeps 100 characters: the longest name a user may give still has room for the tag
        String longest = "n".repeat(64);
        assertEquals(longest + "-" + TAG, oar.uniqueName(longest, TAG));
    }

    @Test
    void aTagIsCheckedNotPasted() {
        assertThrows(IllegalArgumentException.class, () -> new SgeScheduler().uniqueName("fit", "x; rm"));
    }
}
