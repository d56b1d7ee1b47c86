package org.hpckernel.hpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InheritedEnvironmentTest {
    @Test
    void keepsWhatShellsAndSchedulersNeed() {
        Map<String, String> kept = InheritedEnvironment.filter(Map.of("PATH", "/bin", "HOME", "/h", "LC_ALL", "C",
                "SLURM_CONF", "/etc/slurm.conf", "SGE_ROOT", "/sge", "TMPDIR", "/t", "LANG", "C.UTF-8"));
        assertEquals(7, kept.size(), kept.toString());
    }

    @Test
    void dropsTheKernelsSecretsAndEverythingUnlisted() {
        Map<String, String> kept = InheritedEnvironment.filter(Map.of("PATH", "/bin",
                "JUPYTERHUB_API_TOKEN", "secret", "JPY_API_TOKEN", "secret", "JPY_SESSION_NAME", "nb.ipynb",
                "JUPYTER_TOKEN", "secret", "SLURM_FAKE_TOKEN", "secret", "AWS_SECRET_ACCESS_KEY", "secret",
                "SSH_AUTH_SOCK", "/tmp/agent", "RANDOM_THING", "x"));
        assertEquals(Map.of("PATH", "/bin"), kept);
    }

    @Test
    void extraNamesPassButNeverASecret() {
        Map<String, String> kept = InheritedEnvironment.filter(Map.of(InheritedEnvironment.PASS_ENV, "PROJECT, MY_TOKEN",
                "PROJECT", "p1", "MY_TOKEN", "secret"));
        assertEquals(Map.of("PROJECT", "p1"), kept);
    }

    @Test
    void aLocallyRunCommandSeesOnlyTheAllowedEnvironment() throws Exception {
        // The JVM running this test has secrets of its own only if the CI sets them; what matters
        // is that nothing outside the allow-list arrives, whatever this process holds.
        CommandResult r = new LocalTransport().run(List.of("env"), null, Duration.ofSeconds(30));
        assertTrue(r.ok(), r.output());
        for (String line : r.stdout().split("\n")) {
            if (line.isEmpty() || !line.contains("=")) continue;
            String name = line.substring(0, line.indexOf('='));
            assertFalse(InheritedEnvironment.isSecret(name), "a secret reached the command: " + name);
            assertTrue(InheritedEnvironment.filter(Map.of(name, "v")).containsKey(name)
                    || name.equals("PWD") || name.equals("SHLVL") || name.equals("_"), "not allow-listed: " + name);
        }
        assertTrue(r.stdout().contains("PATH="), r.stdout());
    }
}
