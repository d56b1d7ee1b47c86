package org.hpckernel.install;

import static org.hpckernel.install.InstallTestSupport.fakeJar;
import static org.hpckernel.install.InstallTestSupport.install;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hpckernel.install.InstallTestSupport.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad command lines: exit 2, name the culprit, show the usage, write nothing. */
class InstallUsageTest {
    @TempDir Path root;
    InstallEnvironment env;
    Path jar;

    @BeforeEach
    void setUp() throws IOException {
        env = InstallTestSupport.environment(root);
        jar = fakeJar(root, "jar");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--frobnicate                        | '--frobnicate'",
        "stray                               | 'stray'",
        "--name                              | --name needs a value",
        "--name a/b                          | --name 'a/b'",
        "--name ..                           | --name '..'",
        "--name java hpc                     | 'hpc'",
        "--display-name ''                   | --display-name",
        "--jvm-opt Xmx2g                     | --jvm-opt 'Xmx2g'",
        "--jvm-opt -jar                      | --jvm-opt '-jar'",
        "--user --prefix /tmp/x              | --user and --prefix /tmp/x cannot be combined",
        "--sys-prefix --user                 | --sys-prefix and --user cannot be combined",
        "--no-cds=yes                        | --no-cds takes no value",
        "--java /does/not/exist/java         | --java '/does/not/exist/java' does not exist",
        "--java                              | --java needs a value",
    })
    void rejected(String args, String expected) {
        Result r = install(env, jar, args.isBlank() ? new String[0] : split(args));

        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertTrue(r.err().contains("usage: java -jar hpc-kernel.jar install"), r.err());
        assertFalse(Files.exists(root.resolve("data")));
    }

    @Test
    void javaThatIsNotExecutable() throws IOException {
        Path notExecutable = root.resolve("java");
        Files.writeString(notExecutable, "");

        Result r = install(env, jar, "--java", notExecutable.toString());

        assertEquals(2, r.exit());
        assertTrue(r.err().contains("is not an executable file"), r.err());
    }

    @Test
    void sameLocationTwiceIsFine() throws IOException {
        Result r = install(env, jar, "--no-cds", "--user", "--user");
        assertEquals(0, r.exit(), r.err());
    }

    /** Splits on spaces, with '' as an empty argument. */
    private static String[] split(String args) {
        String[] parts = args.trim().split(" +");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equals("''")) parts[i] = "";
        }
        return parts;
    }
}
