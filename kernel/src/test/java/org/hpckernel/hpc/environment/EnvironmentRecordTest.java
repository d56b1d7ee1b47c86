package org.hpckernel.hpc.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What %hpc status shows of environment.json, and what it says differs between two jobs. */
class EnvironmentRecordTest {
    private static final String IN_IMAGE = """
            {"recorded": "2026-12-03T05:49:47Z", "hostname": "n1", "run": "1", "modules": ["java/17", "gcc/12"],
             "container": {"runtime": "ch-run", "runtimeVersion": "0.31", "image": "/img/a", "digest": "sha256:aa", "digestOf": "directory manifest"},
             "java": {"command": "java", "version": "openjdk version \\"17.0.21\\"\\nOpenJDK Runtime Environment"}}
            """;
    private static final String ON_HOST = """
            {"recorded": "2026-12-03T06:00:00Z", "hostname": "n2", "run": "1", "modules": ["java/17"],
             "java": {"command": "/usr/bin/java", "version": "openjdk version \\"17.0.15\\"\\nOpenJDK Runtime Environment"}}
            """;

    @Test
    void describesEveryPartInWords() {
        List<String> lines = EnvironmentRecord.parse(IN_IMAGE).orElseThrow().describe();
        assertEquals(List.of("environment recorded on n1 at 2026-12-03T05:49:47Z (run 1):",
                "  modules loaded: java/17, gcc/12",
                "  container: /img/a run by ch-run (0.31)",
                "    digest: sha256:aa (SHA-256 of the directory manifest)",
                "  java (java):",
                "    openjdk version \"17.0.21\"",
                "    OpenJDK Runtime Environment"), lines);
    }

    @Test
    void theRunnersVendorAndHomeAreShownUnderItsVersion() {
        List<String> lines = EnvironmentRecord.parse("""
                {"recorded": "t", "hostname": "n1", "run": "1", "modules": [],
                 "java": {"command": "java", "version": "openjdk version \\"17.0.21\\"", "vendor": "Debian", "home": "/usr/lib/jvm/j17"}}
                """).orElseThrow().describe();
        assertEquals(List.of("  java (java):", "    openjdk version \"17.0.21\"", "    vendor Debian, home /usr/lib/jvm/j17"),
                lines.subList(2, lines.size()));
    }

    @Test
    void differencesLeaveOutWhereAndWhenUnlessAsked() {
        EnvironmentRecord a = EnvironmentRecord.parse(IN_IMAGE).orElseThrow();
        EnvironmentRecord b = EnvironmentRecord.parse(ON_HOST).orElseThrow();
        List<String> diffs = a.differences(b, false);
        assertEquals(List.of("container.digest: sha256:aa | (none)", "container.digestOf: directory manifest | (none)",
                "container.image: /img/a | (none)", "container.runtime: ch-run | (none)", "container.runtimeVersion: 0.31 | (none)",
                "java.command: java | /usr/bin/java", "java.version: openjdk version \"17.0.21\" … | openjdk version \"17.0.15\" …",
                "modules: java/17, gcc/12 | java/17"), diffs);
        assertTrue(a.differences(b, true).contains("hostname: n1 | n2"));
        assertEquals(List.of(), a.differences(EnvironmentRecord.parse(IN_IMAGE).orElseThrow(), false));
    }

    @Test
    void somethingThatIsNotAJsonObjectIsNoRecord() {
        assertTrue(EnvironmentRecord.parse("{\"recorded\": ").isEmpty());
        assertTrue(EnvironmentRecord.parse("[1]").isEmpty());
        assertTrue(EnvironmentRecord.parse("").isEmpty());
    }
}
