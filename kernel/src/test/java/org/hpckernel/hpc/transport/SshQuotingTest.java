package org.hpckernel.hpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The remote command line: each argv word must reach the program as exactly one literal argument. */
class SshQuotingTest {
    static final List<String> AWKWARD = List.of("plain", "two words", "it's", "\"double\"", "$(echo pwned)", "`id`",
            "a;b", "a && b", "line1\nline2", "", " ", "*", "?", "~", "$HOME", "${X:-y}", "back\\slash", "tab\there",
            "ünïcødé ✓", "!event", "'", "''", "'\\''", "-n", "--", "#comment", "a|b>c<d", "%s\\n");

    @Test
    void everyWordIsSingleQuoted() {
        assertEquals("'echo' 'a b' 'it'\\''s' ''", SshTransport.commandLine(List.of("echo", "a b", "it's", "")));
    }

    @Test
    void emptyOrNullCommandsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SshTransport.commandLine(List.of()));
        assertThrows(IllegalArgumentException.class, () -> SshTransport.commandLine(Arrays.asList("echo", null)));
    }

    @Test
    void posixShellsSplitTheLineBackIntoTheSameWords() throws Exception {
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(AWKWARD);
        String line = SshTransport.commandLine(argv);
        for (String shell : List.of("/bin/sh", "/bin/bash", "/bin/dash")) {
            if (!Files.isExecutable(Path.of(shell))) continue;
            Process p = new ProcessBuilder(shell, "-c", line).redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.getInputStream().transferTo(out);
            assertEquals(0, p.waitFor(), shell);
            assertEquals(AWKWARD, split(out.toString(StandardCharsets.UTF_8)), shell);
        }
    }

    static List<String> split(String nulTerminated) {
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < nulTerminated.length(); i++) {
            if (nulTerminated.charAt(i) == '\0') {
                words.add(nulTerminated.substring(start, i));
                start = i + 1;
            }
        }
        return words;
    }

    @Test
    void sftpPathsAreTakenLiterally() {
        assertEquals("/a/b c/d", SshTransport.literal("/a/b c/d"));
        assertEquals("/x/\\*\\?\\\\y", SshTransport.literal("/x/*?\\y"));
    }
}
