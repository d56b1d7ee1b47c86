package org.hpckernel.kernel.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GlobTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "*           | anything          | true",
        "*           | \"\"              | true",
        "\"\"        | \"\"              | true",
        "\"\"        | x                 | false",
        "int*        | int x = 1;        | true",
        "int*        | long x = 1;       | false",
        "*x*         | int x = 1;        | true",
        "x           | int x = 1;        | false",
        "*;          | int x = 1;        | true",
        "a?c         | abc               | true",
        "a?c         | ac                | false",
        "a?c         | abbc              | false",
        "*a*b        | xxaxxbxb          | true",
        "*a*b        | xxaxxbxc          | false",
        "a*b*c       | abc               | true",
        "Int*        | int x             | false",
        "[ab]        | [ab]              | true",
        "**a**       | a                 | true",
    })
    void matchesTheWholeInput(String pattern, String text, boolean expected) {
        assertEquals(expected, new Glob(pattern).matches(text));
    }

    @Test
    void starCrossesLines() {
        assertEquals(true, new Glob("for*}").matches("for (int i = 0; i < 3; i++) {\n  f(i);\n}"));
    }

    @Test
    void pathologicalPatternsStayFast() {
        String text = "a".repeat(100_000);
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertFalse(new Glob("*a*a*a*a*a*a*a*a*b").matches(text)));
    }
}
