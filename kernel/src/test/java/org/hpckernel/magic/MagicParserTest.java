package org.hpckernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MagicParserTest {
    @Test
    void cellMagicOwnsTheBody() {
        ParsedCell c = MagicParser.parse("\n%%hpc -p debug --time 00:10:00\n#!/bin/bash\necho hi\n");
        assertTrue(c.hasCellMagic());
        assertEquals("hpc", c.cellMagic().name());
        assertEquals("-p debug --time 00:10:00", c.cellMagic().arguments());
        assertEquals("#!/bin/bash\necho hi\n", c.cellMagic().body());
        assertEquals("", c.java());
    }

    @Test
    void leadingLineMagicsBecomeBlankLinesSoJavaLinesKeepTheirNumbers() {
        ParsedCell c = MagicParser.parse("%jars a.jar\n%hpc use dahu\nint x = 1;\nx");
        assertEquals(List.of("jars", "hpc"), c.lineMagics().stream().map(ParsedCell.Call::name).toList());
        assertEquals("use dahu", c.lineMagics().get(1).arguments());
        assertEquals("\n\nint x = 1;\nx", c.java());
        assertNull(c.cellMagic());
    }

    @Test
    void aPercentLaterInTheCellIsJava() {
        String code = "int r = 10\n  % 3;";
        ParsedCell c = MagicParser.parse(code);
        assertTrue(c.lineMagics().isEmpty());
        assertEquals(code, c.java());
        assertFalse(c.hasCellMagic());
    }

    @Test
    void argsSplitLikeAShellWithoutExpanding() throws MagicException {
        assertEquals(List.of("--job-name", "$(touch /tmp/x)", "a b", "c\"d", "e f"),
                MagicArgs.split("--job-name '$(touch /tmp/x)' \"a b\" \"c\\\"d\" e\\ f"));
        assertEquals(List.of(), MagicArgs.split("   "));
        assertThrows(MagicException.class, () -> MagicArgs.split("--job-name 'open"));
        assertThrows(MagicException.class, () -> MagicArgs.split("\"open"));
    }
}
