package org.hpckernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The jar's command line as a newcomer meets it. */
class MainTest {
    private record Run(int status, String out, String err) {}

    private static Run run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noArgumentsSaysACommandIsMissingAndShowsUsage() throws Exception {
        Run r = run();
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("missing command"), r.err());
        assertTrue(r.err().contains("usage: java -jar hpc-kernel.jar COMMAND"), r.err());
    }

    @Test
    void usageListsEveryCommandIncludingVersion() throws Exception {
        Run r = run("--help");
        assertEquals(0, r.status());
        for (String command : new String[] {"install", "uninstall", "kernel CONNECTION_FILE", "warmup", "--version", "help"}) {
            assertTrue(r.out().contains(command), command + " missing from:\n" + r.out());
        }
    }

    @Test
    void versionPrintsTheVersion() throws Exception {
        Run r = run("--version");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("hpc-kernel "), r.out());
    }

    @Test
    void anUnknownCommandIsNamed() throws Exception {
        Run r = run("instal");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("unknown command: instal"), r.err());
    }
}
