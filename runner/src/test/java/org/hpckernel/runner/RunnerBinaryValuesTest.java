package org.hpckernel.runner;

import static org.hpckernel.runner.RunnerMainTest.finish;
import static org.hpckernel.runner.RunnerMainTest.job;
import static org.hpckernel.runner.RunnerMainTest.run;
import static org.hpckernel.runner.RunnerMainTest.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.hpckernel.values.SerialValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values in binary form on the node (a separate JVM, as a compute node runs it): a Serializable
 * --out outside the JSON set is written in the outputs file's "@serialized" member, read back as an
 * input by the cell's own classes; a stream naming a class outside the allow-list, or cut short,
 * fails the cell naming the variable; an array task's outputs stay JSON.
 */
class RunnerBinaryValuesTest {
    static final Map<String, String> FLAGS = Map.of("Flags.java",
            "package nb;\npublic record Flags(int x, java.util.BitSet on) implements java.io.Serializable {}\n");

    @Test
    void aSerializableOutputOutsideTheJsonSetTravelsInBinaryFormAndIsReadBackAsAnInput(@TempDir Path dir) throws Exception {
        Path writer = job(dir.resolve("a"), """
                BitSet on = new BitSet();
                on.set(4);
                io.output("n", 1);
                io.output("flags", new Flags(2, on));
                return 0;
                """, FLAGS);
        RunnerMainTest.Run wrote = run(writer);
        assertEquals(0, wrote.code(), wrote.toString());
        String outputs = Files.readString(writer.resolve(JobLayout.outputs(null)));
        assertTrue(outputs.startsWith("{\"n\":1,\"" + SerialValues.MEMBER + "\":{\"flags\":\"rO0AB"), outputs);

        Path reader = job(dir.resolve("b"), """
                Flags flags = io.input("flags", new TypeCapture<Flags>() {});
                int n = io.input("n", new TypeCapture<Integer>() {});
                return (flags.x() + n) + " " + flags.on() + " " + (flags.getClass().getClassLoader() == Flags.class.getClassLoader());
                """, FLAGS);
        Files.writeString(reader.resolve(JobLayout.INPUTS), outputs);
        RunnerMainTest.Run read = run(reader);
        assertEquals(0, read.code(), read.toString());
        assertEquals(Map.of("text/plain", "3 {4} true"), read.first("result").get("data"));
    }

    @Test
    void aClassOfTheSessionsJarsTravelsAndIsReadWithTheJarOnTheClassPath(@TempDir Path dir) throws Exception {
        // Job "lib" returns a nb.Money (not JSON-portable: a BitSet); its jar then serves the next job as a %jars library.
        Path lib = job(dir.resolve("lib"), "BitSet marks = new BitSet();\nmarks.set(1);\nio.output(\"money\", new Money(\"EUR\", marks));\nreturn 0;",
                Map.of("Money.java", "package nb;\npublic record Money(String currency, java.util.BitSet marks)"
                        + " implements java.io.Serializable {}\n"));
        assertEquals(0, run(lib).code());
        String outputs = Files.readString(lib.resolve(JobLayout.outputs(null)));
        Path libraryJar = Files.list(dir.resolve("lib").resolve(JobLayout.CLASSES_DIR)).findFirst().orElseThrow();

        String body = "Object money = io.input(\"money\", new TypeCapture<Object>() {});\n"
                + "return money + \" \" + (money.getClass().getClassLoader() == getClass().getClassLoader());";
        Path user = job(dir.resolve("user"), body);
        Files.writeString(user.resolve(JobLayout.INPUTS), outputs);
        Files.writeString(user.resolve(JobLayout.CLASSPATH), libraryJar + "\n");
        RunnerMainTest.Run read = run(user);
        assertEquals(0, read.code(), read.toString());
        assertEquals(Map.of("text/plain", "Money[currency=EUR, marks={1}] true"), read.first("result").get("data"));

        Path without = job(dir.resolve("without"), body);
        Files.writeString(without.resolve(JobLayout.INPUTS), outputs);
        RunnerMainTest.Run missing = run(without);
        assertEquals(1, missing.code());
        assertEquals("cannot read `money` as java.lang.Object: the binary value names a class that is not here: nb.Money",
                missing.first("error").get("evalue"));
    }

    @Test
    void aStreamOutsideTheAllowListOrCutShortFailsTheCellNamingTheVariable(@TempDir Path dir) throws Exception {
        Path job = job(dir, "Object fmt = io.input(\"fmt\", new TypeCapture<Object>() {});\nreturn 1;");
        byte[] hostile = raw(new java.text.DecimalFormat("0.00"));
        Files.writeString(job.resolve(JobLayout.INPUTS), "{\"" + SerialValues.MEMBER + "\": {\"fmt\": \""
                + Base64.getEncoder().encodeToString(hostile) + "\"}}");
        RunnerMainTest.Run refused = run(job);
        assertEquals(1, refused.code());
        assertEquals("org.hpckernel.values.MalformedValueException", refused.first("error").get("ename"));
        assertTrue(refused.first("error").get("evalue").toString().startsWith("cannot read `fmt` as java.lang.Object: the binary"
                + " value was refused: it holds a java.text.DecimalFormat, which is not allowed to travel in binary form"),
                refused.toString());

        byte[] cut = Arrays.copyOf(raw(new java.util.BitSet()), 20);
        Files.writeString(job.resolve(JobLayout.INPUTS), "{\"" + SerialValues.MEMBER + "\": {\"fmt\": \""
                + Base64.getEncoder().encodeToString(cut) + "\"}}");
        Files.delete(job.resolve(JobLayout.events(null)));
        RunnerMainTest.Run truncated = run(job);
        assertEquals(1, truncated.code());
        assertEquals("cannot read `fmt` as java.lang.Object: the binary value ends too early (a truncated file?)",
                truncated.first("error").get("evalue"));
    }

    @Test
    void anArrayTasksOutputsStayJson(@TempDir Path dir) throws Exception {
        Path job = job(dir, "io.output(\"on\", new BitSet());\nreturn 0;");
        RunnerMainTest.Run run = finish(start(job, "1"), job.resolve(JobLayout.events(1)));
        assertEquals(1, run.code());
        String evalue = run.first("error").get("evalue").toString();
        assertTrue(evalue.startsWith("cannot ship `on`: it is a java.util.BitSet"), evalue);
        assertTrue(evalue.endsWith("an array task's --out values are gathered into one List as JSON: they do not travel in"
                + " binary form.)"), evalue);
        assertFalse(Files.exists(job.resolve(JobLayout.outputs(1))));
    }

    private static byte[] raw(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }
}
