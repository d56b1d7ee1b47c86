package org.hpckernel.hpc.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The values of --out, --in, --for and --max-input, each refused with the option's name before anything is written. */
class ValueOptionFormsTest {
    private static String error(String... words) {
        return assertThrows(OptionException.class, () -> HpcArguments.parse(List.of(words))).getMessage();
    }

    @Test
    void outTakesNamesAndTypesWithCommasInsideTypeArguments() throws Exception {
        assertEquals(List.of(new OutputName("a", null), new OutputName("b", null)), OutputName.parse("a,b"));
        assertEquals(List.of(new OutputName("m", "Map<String, List<Double>>"), new OutputName("t", "double"),
                new OutputName("xs", "int[]")), OutputName.parse("m:Map<String, List<Double>>,t:double,xs:int[]"));
        HpcArguments a = HpcArguments.parse(List.of("--out", "a,b", "--out=c", "--in", "x", "--in", "y", "--for", "p:params",
                "--max-input", "8MB"));
        assertEquals(List.of("a,b", "c"), a.list(HpcOption.OUT));
        assertEquals(List.of("x", "y"), a.list(HpcOption.IN));
        assertEquals("p:params", a.value(HpcOption.FOR).orElseThrow());
        assertEquals("8MB", a.value(HpcOption.MAX_INPUT).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"x;rm -rf ~", "1x", "a,,b", "class", "x:List<Double", "x:$(id)", "x:List<int>", "x:a b", "x:", "x:java.util."})
    void badOutValuesAreRefusedNamingTheOption(String value) {
        String e = error("--out", value);
        assertTrue(e.startsWith("--out: "), e);
    }

    @Test
    void outErrorsSayWhatIsExpected() {
        assertEquals("--out: \"1x\" is not a list of output names; expected " + OptionForms.expected(HpcOption.OUT), error("--out", "1x"));
        assertEquals("--out: \"1x\" in \"a,1x\" is not a variable name; expected " + OptionForms.expected(HpcOption.OUT),
                error("--out", "a,1x"));
        assertEquals("--out: \"List<Double\" (the type of x) is not a Java type: '>' is missing; expected a type such as double,"
                + " String, List<Double> or Map<String, Object>", error("--out", "x:List<Double"));
    }

    @Test
    void inForAndMaxInputAreChecked() {
        assertTrue(error("--in", "a.b").startsWith("--in: \"a.b\" is not a variable name"), error("--in", "a.b"));
        assertTrue(error("--for", "p").startsWith("--for: \"p\" is not a NAME:LIST pair; expected NAME:LIST"), error("--for", "p"));
        assertTrue(error("--for", "p:a:b").startsWith("--for: "));
        assertTrue(error("--for", "p:xs", "--for", "q:ys").contains("is given twice"));
        assertEquals("--max-input: \"lots\" is not a size; expected " + OptionForms.expected(HpcOption.MAX_INPUT), error("--max-input", "lots"));
        assertTrue(error("--max-input", "0").startsWith("--max-input: "));
        assertTrue(error("--max-input", "999999999999G").startsWith("--max-input: \"999999999999G\" is too large"),
                error("--max-input", "999999999999G"));
    }

    @Test
    void sizesArePowersOf1024() throws Exception {
        assertEquals(512, ByteSizes.bytes("512"));
        assertEquals(512, ByteSizes.bytes("512B"));
        assertEquals(2048, ByteSizes.bytes("2K"));
        assertEquals(8L << 20, ByteSizes.bytes("8MB"));
        assertEquals(8L << 20, ByteSizes.bytes("8MiB"));
        assertEquals(1L << 30, ByteSizes.bytes("1g"));
        assertEquals("1.5 KiB (1536 bytes)", ByteSizes.describe(1536));
        assertEquals("12 bytes", ByteSizes.describe(12));
    }

    @Test
    void javaTypesAreTypesAndNothingElse() {
        for (String ok : List.of("double", "String", "java.util.List<java.lang.Double>", "Map<String, Object>", "int[][]",
                "List<? extends Number>", "Map<String,List<Point>>", "Point[]")) {
            assertEquals(java.util.Optional.empty(), JavaTypes.problem(ok), ok);
        }
        for (String bad : List.of("", "List<Double>>", "x y", "a;b", "new Object()", "List<int>", "void", "class", "\"s\"",
                "List<Double>\n", "a-b", "A.<B>")) {
            assertTrue(JavaTypes.problem(bad).isPresent(), bad);
        }
    }

    @Test
    void valueOptionsAreNoClusterDefaults() {
        assertTrue(HpcOption.OUT.cellOnly() && HpcOption.IN.cellOnly() && HpcOption.FOR.cellOnly() && HpcOption.MAX_INPUT.cellOnly());
        assertTrue(!HpcOption.TIME.cellOnly());
    }
}
