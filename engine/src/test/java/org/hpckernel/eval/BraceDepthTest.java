package org.hpckernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BraceDepthTest {
    @Test
    void countsOpenBracesOutsideStringsAndComments() {
        assertEquals(0, BraceDepth.of("int x = 1;"));
        assertEquals(1, BraceDepth.of("for (;;) {"));
        assertEquals(2, BraceDepth.of("class A {\n  void f() {"));
        assertEquals(1, BraceDepth.of("void f() { String s = \"{{\"; char c = '{'; // {\n /* { */"));
        assertEquals(1, BraceDepth.of("void f() { String t = \"\"\"\n  {\n  \"\"\";"));
        assertEquals(0, BraceDepth.of("}}"));
    }
}
