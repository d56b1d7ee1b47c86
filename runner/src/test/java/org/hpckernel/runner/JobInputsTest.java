package org.hpckernel.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobInputsTest {
    private static final String PROGRAM = "{\"mainClass\": \"nb.Cell\", \"jar\": \"/work/classes/cell-ab.jar\", \"jarSha256\": \"ab\"}";

    @Test
    void readsTheProgramAloneWhenNothingElseIsThere(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(JobLayout.PROGRAM), PROGRAM);
        JobInputs inputs = JobInputs.read(dir);
        assertEquals(new JobInputs.Program("nb.Cell", Path.of("/work/classes/cell-ab.jar"), "ab"), inputs.program());
        assertEquals(Map.of(), inputs.values());
        assertEquals(List.of(), inputs.classpath());
    }

    @Test
    void readsInputsAndClasspath(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(JobLayout.PROGRAM), PROGRAM);
        Files.writeString(dir.resolve(JobLayout.INPUTS), "{\"n\": 3, \"p\": {\"x\": [1, \"\\u00e9\"]}, \"s\": null}");
        Files.writeString(dir.resolve(JobLayout.CLASSPATH), "/opt/a.jar\r\n\n  /opt/b c.jar  \nlib/rel.jar\n");
        JobInputs inputs = JobInputs.read(dir);
        // Each value's text as the kernel wrote it: the cell's decoder parses it once, as its declared type.
        assertEquals(Map.of("n", "3", "p", "{\"x\": [1, \"\\u00e9\"]}", "s", "null"), inputs.values());
        assertEquals(List.of("/opt/a.jar", "/opt/b c.jar", dir.resolve("lib/rel.jar").toString()), inputs.classpath());
    }

    @Test
    void readsTheCapsThatBoundValuesInBinaryFormAndRefusesABadOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(JobLayout.PROGRAM), PROGRAM.replace("}", ", \"maxInputBytes\": 2048, \"maxOutputBytes\": 134217728}"));
        assertEquals(new JobInputs.Program("nb.Cell", Path.of("/work/classes/cell-ab.jar"), "ab", 2048, 128L << 20, Set.of()),
                JobInputs.read(dir).program());
        for (String bad : List.of("0", "-5", "1.5", "\"64M\"", "[1]")) {
            Files.writeString(dir.resolve(JobLayout.PROGRAM), PROGRAM.replace("}", ", \"maxOutputBytes\": " + bad + "}"));
            JobInputs.SetupException e = assertThrows(JobInputs.SetupException.class, () -> JobInputs.read(dir), bad);
            assertTrue(e.getMessage().contains("\"maxOutputBytes\" must be a positive whole number of bytes"), e.getMessage());
        }
    }

    @Test
    void readsTheOutputsDeclaredObjectAndRefusesWhatIsNotAListOfNames(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(JobLayout.PROGRAM), PROGRAM.replace("}", ", \"objectOutputs\": [\"a\", \"b\"]}"));
        assertEquals(Set.of("a", "b"), JobInputs.read(dir).program().objectOutputs());
        for (String bad : List.of("\"a\"", "[1]", "[\"a b\"]", "[\"$(x)\"]", "{}")) {
            Files.writeString(dir.resolve(JobLayout.PROGRAM), PROGRAM.replace("}", ", \"objectOutputs\": " + bad + "}"));
            JobInputs.SetupException e = assertThrows(JobInputs.SetupException.class, () -> JobInputs.read(dir), bad);
            assertTrue(e.getMessage().contains("\"objectOutputs\" must be a list of Java names"), e.getMessage());
        }
    }

    @Test
    void aMissingOrBadProgramOrBadInputsIsASetupError(@TempDir Path dir) throws Exception {
        JobInputs.SetupException missing = assertThrows(JobInputs.SetupException.class, () -> JobInputs.read(dir));
        assertTrue(missing.getMessage().contains(JobLayout.PROGRAM), missing.getMessage());
        Files.write(dir.resolve(JobLayout.PROGRAM), new byte[] {(byte) 0xc3, (byte) 0x28});
        JobInputs.SetupException bad = assertThrows(JobInputs.SetupException.class, () -> JobInputs.read(dir));
        assertTrue(bad.getMessage().contains("UTF-8"), bad.getMessage());
        Files.writeString(dir.resolve(JobLayout.PROGRAM), PROGRAM.replace("/work", "work"));
        bad = assertThrows(JobInputs.SetupException.class, () -> JobInputs.read(dir));
        assertTrue(bad.getMessage().contains("must be an absolute path"), bad.getMessage());
        Files.writeString(dir.resolve(JobLayout.PROGRAM), "[1]");
        bad = assertThrows(JobInputs.SetupException.class, () -> JobInputs.read(dir));
        assertTrue(bad.getMessage().contains("not a JSON object"), bad.getMessage());

        Files.writeString(dir.resolve(JobLayout.PROGRAM), PROGRAM);
        for (String inputs : List.of("{\"n\": 1", "[1, 2]", "{\"n\": 1, \"n\": 2}", "{\"n\": 1} x", "{'n': 1}")) {
            Files.writeString(dir.resolve(JobLayout.INPUTS), inputs);
            bad = assertThrows(JobInputs.SetupException.class, () -> JobInputs.read(dir), inputs);
            assertTrue(bad.getMessage().startsWith(JobLayout.INPUTS + " is not what the kernel writes"), bad.getMessage());
        }
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
