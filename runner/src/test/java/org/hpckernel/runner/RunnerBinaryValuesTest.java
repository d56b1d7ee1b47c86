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
 * fails the cell naming the variable; an array task's outputs travel the same way, each in its
 * task's file; the byte limits are the caps the kernel wrote in program.json.
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
    void anArrayTasksSerializableOutputTravelsInBinaryFormInItsOwnOutputsFile(@TempDir Path dir) throws Exception {
        Path job = job(dir, "BitSet on = new BitSet();\non.set(io.arrayIndex() + 5);\nio.output(\"n\", io.arrayIndex());\n"
                + "io.output(\"on\", new Flags(io.arrayIndex(), on));\nreturn 0;", FLAGS);
        RunnerMainTest.Run run = finish(start(job, "1"), job.resolve(JobLayout.events(1)));
        assertEquals(0, run.code(), run.toString());
        String outputs = Files.readString(job.resolve(JobLayout.outputs(1)));
        assertTrue(outputs.startsWith("{\"n\":1,\"" + SerialValues.MEMBER + "\":{\"on\":\"rO0AB"), outputs);
        // The same stream a plain job writes: the next job reads it back as its own Flags.
        Path reader = job(dir.resolve("b"), "Flags f = io.input(\"on\", new TypeCapture<Flags>() {});\nreturn f.x() + \" \" + f.on();",
                FLAGS);
        Files.writeString(reader.resolve(JobLayout.INPUTS), outputs);
        RunnerMainTest.Run read = run(reader);
        assertEquals(0, read.code(), read.toString());
        assertEquals(Map.of("text/plain", "1 {6}"), read.first("result").get("data"));
    }

    @Test
    void theByteLimitOfABinaryValueIsTheCapsTheKernelWroteInProgramJson(@TempDir Path dir) throws Exception {
        String body = "BitSet on = new BitSet();\non.set(20_000);\nio.output(\"on\", on);\nreturn 0;";
        Path roomy = job(dir.resolve("roomy"), body);
        assertEquals(0, run(roomy).code(), "without caps in program.json the default limit holds");

        Path tight = job(dir.resolve("tight"), body);
        withCaps(tight, 1 << 20, 1_000);
        RunnerMainTest.Run refused = run(tight);
        assertEquals(1, refused.code(), refused.toString());
        String evalue = refused.first("error").get("evalue").toString();
        assertTrue(evalue.contains("`on` in binary form is longer than the limit of 1000 bytes"), evalue);
        assertFalse(Files.exists(tight.resolve(JobLayout.outputs(null))));

        // Inputs: the input cap bounds a stream read on the node.
        String stream = Files.readString(roomy.resolve(JobLayout.outputs(null)));
        Path reader = job(dir.resolve("reader"), "BitSet on = io.input(\"on\", new TypeCapture<BitSet>() {});\nreturn on.length();");
        Files.writeString(reader.resolve(JobLayout.INPUTS), stream);
        withCaps(reader, 1_000, 1 << 20);
        RunnerMainTest.Run big = run(reader);
        assertEquals(1, big.code(), big.toString());
        assertTrue(big.first("error").get("evalue").toString().contains("above the limit of 1000"), big.toString());
        withCaps(reader, 10_000, 1 << 20);
        Files.delete(reader.resolve(JobLayout.events(null)));
        RunnerMainTest.Run fits = run(reader);
        assertEquals(0, fits.code(), fits.toString());
        assertEquals(Map.of("text/plain", "20001"), fits.first("result").get("data"));
    }

    private static void withCaps(Path job, long maxInputBytes, long maxOutputBytes) throws Exception {
        Path program = job.resolve(JobLayout.PROGRAM);
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(Files.readString(program)).getAsJsonObject();
        o.addProperty("maxInputBytes", maxInputBytes);
        o.addProperty("maxOutputBytes", maxOutputBytes);
        Files.writeString(program, o.toString());
    }

    private static byte[] raw(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }
}
