package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LastLinesTest {
    @Test
    void keepsTheLastLinesAcrossChunksThatEndAnywhere() {
        LastLines tail = new LastLines(3, 100);
        tail.add("one\ntw");
        tail.add("o\nthree\nfo");
        tail.add("ur\nfive");
        assertEquals(List.of("three", "four", "five"), tail.lines());
    }

    @Test
    void aLongLineKeepsItsStartAndSaysItWasCut() {
        LastLines tail = new LastLines(2, 5);
        tail.add("abcdefghij\r\nok\n\n\n");
        assertEquals(List.of("abcde […]", "ok"), tail.lines());
    }

    @Test
    void blankLinesDoNotPushOutTheLinesThatSaySomething() {
        LastLines tail = new LastLines(2, 100);
        tail.add("Traceback\nerror: boom\n\n  \n\n");
        assertEquals(List.of("Traceback", "error: boom"), tail.lines());
        assertEquals(List.of(), new LastLines(1, 1).lines());
    }
}
