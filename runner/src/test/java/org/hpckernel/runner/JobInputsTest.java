package org.hpckernel.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobInputsTest {
    @Test
    void readsTheCellAloneWhenNothingElseIsThere(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(JobLayout.CELL), "1 + 1");
        JobInputs inputs = JobInputs.read(dir);
        assertEquals("1 + 1", inputs.cell());
        assertEquals("", inputs.declarations());
        assertEquals(List.of(), inputs.classpath());
    }

    @Test
    void readsDeclarationsAndClasspath(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(JobLayout.CELL), "x()");
        Files.writeString(dir.resolve(JobLayout.DECLARATIONS), "int x() { return 1; }\n");
        Files.writeString(dir.resolve(JobLayout.CLASSPATH), "/opt/a.jar\r\n\n  /opt/b c.jar  \nlib/rel.jar\n");
        JobInputs inputs = JobInputs.read(dir);
        assertEquals("int x() { return 1; }\n", inputs.declarations());
        assertEquals(List.of("/opt/a.jar", "/opt/b c.jar", dir.resolve("lib/rel.jar").toString()), inputs.classpath());
    }

    @Test
    void aMissingCellOrBadUtf8IsASetupError(@TempDir Path dir) throws Exception {
        JobInputs.SetupException missing = assertThrows(JobInputs.SetupException.class, () -> JobInputs.read(dir));
        assertTrue(missing.getMessage().contains("cell.jsh"), missing.getMessage());
        Files.write(dir.resolve(JobLayout.CELL), new byte[] {(byte) 0xc3, (byte) 0x28});
        JobInputs.SetupException bad = assertThrows(JobInputs.SetupException.class, () -> JobInputs.read(dir));
        assertTrue(bad.getMessage().contains("UTF-8"), bad.getMessage());
    }

    @Test
    void arrayIndexIsEmptyOrANonNegativeInteger() throws Exception {
        assertNull(JobInputs.arrayIndex(null));
        assertNull(JobInputs.arrayIndex(""));
        assertEquals(0, JobInputs.arrayIndex("0"));
        assertEquals(17, JobInputs.arrayIndex("17"));
        assertThrows(JobInputs.SetupException.class, () -> JobInputs.arrayIndex("-1"));
        assertThrows(JobInputs.SetupException.class, () -> JobInputs.arrayIndex("x"));
        assertEquals("events.17.jsonl", JobLayout.events(JobInputs.arrayIndex("17")));
    }
}
