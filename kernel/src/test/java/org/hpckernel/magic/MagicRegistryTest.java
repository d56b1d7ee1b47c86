package org.hpckernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hpckernel.eval.Completion;
import org.hpckernel.hpc.options.HpcOption;
import org.junit.jupiter.api.Test;

class MagicRegistryTest {
    private final MagicRegistry registry = Magics.standard(new org.hpckernel.hpc.HpcSession(org.hpckernel.hpc.config.SessionClusters.fromDefaultConfig()));

    @Test
    void completesCellMagicNames() {
        Completion c = registry.complete("%%h", 3).orElseThrow();
        assertEquals(java.util.List.of("%%hpc"), c.matches());
        assertEquals(0, c.cursorStart());
        assertEquals(3, c.cursorEnd());
    }

    @Test
    void completesHpcOptions() {
        String code = "%%hpc --par";
        Completion c = registry.complete(code, code.length()).orElseThrow();
        assertEquals(java.util.List.of("--partition"), c.matches());
        assertEquals(6, c.cursorStart());
        Completion all = registry.complete("%%hpc -", 7).orElseThrow();
        assertTrue(all.matches().containsAll(HpcOption.longNames()));
    }

    @Test
    void doesNotOfferAnOptionValueAsAnOption() {
        String code = "%%hpc --partition ";
        assertTrue(registry.complete(code, code.length()).orElseThrow().matches().isEmpty());
    }

    @Test
    void completesLineMagicSubcommands() {
        String code = "%hpc st";
        assertEquals(java.util.List.of("status"), registry.complete(code, code.length()).orElseThrow().matches());
        assertTrue(registry.complete("%j", 2).orElseThrow().matches().contains("%jars"));
    }

    @Test
    void javaLinesAreNotMagicCompletion() {
        assertFalse(registry.complete("Math.ma", 7).isPresent());
        String javaThenMagic = "int x = 1;\n%%hpc --p";
        assertFalse(registry.complete(javaThenMagic, javaThenMagic.length()).isPresent());
    }
}
