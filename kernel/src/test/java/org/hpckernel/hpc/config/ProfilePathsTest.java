package org.hpckernel.hpc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProfilePathsTest {
    private static final String HOME = "/home/me";

    @Test
    void homeFormsBecomeAbsolute() {
        assertEquals("/home/me", ProfilePaths.expand("~", HOME));
        assertEquals("/home/me/x", ProfilePaths.expand("~/x", HOME));
        assertEquals("/home/me", ProfilePaths.expand("$HOME", HOME));
        assertEquals("/home/me/x/y", ProfilePaths.expand("$HOME/x/y", HOME));
        assertEquals("/home/me", ProfilePaths.expand("${HOME}", HOME));
        assertEquals("/home/me/x", ProfilePaths.expand("${HOME}/x", HOME));
        assertEquals("/home/me/x", ProfilePaths.expand("~/x/", "/home/me/"));
        assertEquals("/home/me/x", ProfilePaths.expand("~//./x", HOME));
    }

    @Test
    void absolutePathsStayApartFromTidying() {
        assertEquals("/scratch/me/hpc", ProfilePaths.expand("/scratch/me/hpc", HOME));
        assertEquals("/scratch/me/hpc", ProfilePaths.expand("/scratch//me/hpc/", HOME));
        assertEquals("/", ProfilePaths.expand("/", HOME));
        assertEquals("/w/~/x", ProfilePaths.expand("/w/~/x", HOME)); // a "~" inside a path is a name like any other
    }

    @Test
    void relativeAndForeignFormsAreRefusedWithTheReason() {
        assertTrue(ProfilePaths.problem("jobs").orElseThrow().startsWith("it is relative"));
        assertTrue(ProfilePaths.problem("./jobs").orElseThrow().startsWith("it is relative"));
        assertTrue(ProfilePaths.problem("~bob/jobs").orElseThrow().contains("~user is not expanded"));
        assertTrue(ProfilePaths.problem("$SCRATCH/jobs").orElseThrow().contains("only $HOME is expanded"));
        assertTrue(ProfilePaths.problem("$HOMEX/jobs").orElseThrow().contains("only $HOME is expanded"));
        assertTrue(ProfilePaths.problem("").isPresent());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProfilePaths.expand("jobs", HOME));
        assertTrue(e.getMessage().startsWith("\"jobs\": it is relative"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(" + ProfilePaths.FORMS + ")"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProfilePaths.expand("~/a/../b", HOME));
        // a home that is not absolute would silently make every path relative again
        assertThrows(IllegalArgumentException.class, () -> ProfilePaths.expand("~/x", "."));
        assertThrows(IllegalArgumentException.class, () -> ProfilePaths.expand("~/x", null));
    }

    @Test
    void javaIsACommandNameOrAPath() {
        assertEquals("java", ProfilePaths.expandCommand("java", HOME));
        assertEquals("/home/me/jdk/bin/java", ProfilePaths.expandCommand("~/jdk/bin/java", HOME));
        assertEquals("/home/me/jdk/bin/java", ProfilePaths.expandCommand("$HOME/jdk/bin/java", HOME));
        assertEquals("/opt/jdk/bin/java", ProfilePaths.expandCommand("/opt/jdk/bin/java", HOME));
        assertTrue(ProfilePaths.isCommandName("java17"));
        assertFalse(ProfilePaths.isCommandName("~"));
        assertFalse(ProfilePaths.isCommandName("$JAVA"));
        assertThrows(IllegalArgumentException.class, () -> ProfilePaths.expandCommand("jdk/bin/java", HOME));
    }
}
