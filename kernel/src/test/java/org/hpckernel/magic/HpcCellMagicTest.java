package org.hpckernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hpckernel.hpc.JobPackager;
import org.hpckernel.hpc.options.HpcOption;
import org.junit.jupiter.api.Test;

class HpcCellMagicTest {
    /** Torque keeps 15 characters of a job name: the default one must fit and differ between cells. */
    @Test
    void theDefaultJobNameIsShortAndUniquePerKey() {
        String a = HpcCellMagic.defaultJobName(JobPackager.newKey());
        String b = HpcCellMagic.defaultJobName(JobPackager.newKey());
        assertTrue(a.length() <= 15, a);
        assertTrue(a.matches("hpc-[0-9a-f]{8}"), a);
        assertNotEquals(a, b);
        assertTrue(HpcOption.JOB_NAME.accepts(a));
    }

    @Test
    void theSummaryIsTheFirstMeaningfulLine() {
        assertEquals("echo hello", HpcCellMagic.summary("\n#!/bin/bash\n\n  echo hello\necho more"));
        assertEquals("System.out.println(1);", HpcCellMagic.summary("import java.util.*;\nSystem.out.println(1);"));
        assertEquals("#!/bin/bash", HpcCellMagic.summary("#!/bin/bash\n"));
    }
}
