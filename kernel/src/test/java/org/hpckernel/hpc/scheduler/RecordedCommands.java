package org.hpckernel.hpc.scheduler;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.hpckernel.hpc.transport.CommandResult;

/**
 * Recorded scheduler commands under {@code src/test/resources/<scheduler>/}: a file holds
 * "# argv: ...", "# rc: N", then "# stdout:" and "# stderr:" sections, as the capture scripts write them.
 */
final class RecordedCommands {
    private RecordedCommands() {}

    /** argv words separated by single spaces. */
    static CommandResult load(String scheduler, String name) {
        return load(scheduler, name, line -> Arrays.asList(line.split(" ")));
    }

    static CommandResult load(String scheduler, String name, Function<String, List<String>> argvWords) {
        String text = resource(scheduler, name + ".txt");
        List<String> argv = null;
        int rc = -1;
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        StringBuilder into = null;
        for (String line : text.split("\n", -1)) {
            if (into == null && line.startsWith("# argv: ")) {
                argv = argvWords.apply(line.substring(8));
            } else if (into == null && line.startsWith("# rc: ")) {
                rc = Integer.parseInt(line.substring(6).strip());
            } else if (line.equals("# stdout:")) {
                into = out;
            } else if (line.equals("# stderr:")) {
                into = err;
            } else if (into != null) {
                into.append(line).append('\n');
            }
        }
        assertNotNull(argv, scheduler + "/" + name);
        // split("\n", -1) gives one empty string after the file's last newline
        return new CommandResult(argv, rc, chop(out), chop(err), false);
    }

    static String resource(String scheduler, String file) {
        try (InputStream in = RecordedCommands.class.getResourceAsStream("/" + scheduler + "/" + file)) {
            assertNotNull(in, "missing test resource " + scheduler + "/" + file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String chop(StringBuilder sb) {
        return sb.length() > 0 ? sb.substring(0, sb.length() - 1) : "";
    }
}
