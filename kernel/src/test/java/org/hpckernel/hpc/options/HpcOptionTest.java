package org.hpckernel.hpc.options;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HpcOptionTest {
    @ParameterizedTest
    @CsvSource({
        "--time, 10", "--time, 10:30", "--time, 01:00:00", "--time, 2-12", "--time, 2-12:30", "--time, 2-12:30:15",
        "--mem, 4G", "--mem, 512M", "--mem, 1000", "--nodes, 2", "--nodes, 1-4", "--array, 1-4", "--array, 0-15%4",
        "--array, '1,3,5'", "--array, 1-100:10", "--gpus, 2", "--gpus, a100:1", "--env, OMP_NUM_THREADS=4",
        "--job-name, my_job.v2", "--partition, debug", "--module, java/17", "-p, long", "-c, 8"})
    void acceptsWhatSbatchAccepts(String option, String value) {
        assertTrue(HpcOption.byName(option).orElseThrow().accepts(value), option + " " + value);
    }

    @ParameterizedTest
    @CsvSource({
        "--time, abc", "--time, 1:2:3:4", "--mem, lots", "--mem, 4X", "--array, 1-", "--array, -3", "--nodes, 0",
        "--job-name, '$(touch /tmp/x)'", "--job-name, '`id`'", "--job-name, 'a;b'", "--job-name, 'a b'",
        "--partition, 'debug;rm'", "--env, 1X=3", "--env, 'NOEQUALS'", "--module, 'x y'", "--account, '-rf'"})
    void rejectsMalformedAndShellText(String option, String value) {
        assertFalse(HpcOption.byName(option).orElseThrow().accepts(value), option + " " + value);
    }

    @org.junit.jupiter.api.Test
    void newlinesNeverPass() {
        for (HpcOption o : HpcOption.values()) {
            if (o.takesValue()) assertFalse(o.accepts("x\nrm -rf ~"), o.longName());
        }
    }
}
