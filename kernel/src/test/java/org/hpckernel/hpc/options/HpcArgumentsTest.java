package org.hpckernel.hpc.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hpckernel.magic.MagicArgs;
import org.hpckernel.magic.MagicException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HpcArgumentsTest {
    private static HpcArguments parse(String line) throws OptionException {
        try {
            return HpcArguments.parse(MagicArgs.split(line));
        } catch (MagicException e) {
            throw new AssertionError("the test's line does not split: " + line, e);
        }
    }

    private static String error(String... words) {
        OptionException e = assertThrows(OptionException.class, () -> HpcArguments.parse(List.of(words)));
        return e.getMessage();
    }

    @Test
    void acceptsEveryWayOfGivingAValue() throws OptionException {
        HpcArguments a = parse("--partition debug --time=00:10:00 -N 2 -n4 -c 8 --mem=4G -A proj -J my_job.v2 --gpus a100:1");
        assertEquals(Map.of(HpcOption.PARTITION, "debug", HpcOption.TIME, "00:10:00", HpcOption.NODES, "2",
                HpcOption.NTASKS, "4", HpcOption.CPUS_PER_TASK, "8", HpcOption.MEM, "4G", HpcOption.ACCOUNT, "proj",
                HpcOption.JOB_NAME, "my_job.v2", HpcOption.GPUS, "a100:1"), a.values());
        assertTrue(a.flags().isEmpty());
        assertTrue(a.repeated().isEmpty());
    }

    @Test
    void shortOptionsTakeAGluedValueLikeSbatch() throws OptionException {
        HpcArguments a = parse("-pdebug -t10 -Jrun1");
        assertEquals("debug", a.value(HpcOption.PARTITION).orElseThrow());
        assertEquals("10", a.value(HpcOption.TIME).orElseThrow());
        assertEquals("run1", a.value(HpcOption.JOB_NAME).orElseThrow());
    }

    @Test
    void repeatableOptionsKeepTheirOrderAndFlagsAreSet() throws OptionException {
        HpcArguments a = parse("--env A=1 --module java/17 --env=B=x=y --module gcc/12 --detach --dry-run --resubmit");
        assertEquals(List.of("A=1", "B=x=y"), a.list(HpcOption.ENV));
        assertEquals(List.of("java/17", "gcc/12"), a.list(HpcOption.MODULE));
        assertEquals(Set.of(HpcOption.DETACH, HpcOption.DRY_RUN, HpcOption.RESUBMIT), a.flags());
        assertTrue(a.has(HpcOption.DETACH));
    }

    @Test
    void clusterIsParsedButLeftToTheCaller() throws OptionException {
        assertEquals("dahu", parse("--cluster dahu").cluster().orElseThrow());
        assertTrue(parse("").cluster().isEmpty());
    }

    @Test
    void emptyLineGivesNothing() throws OptionException {
        HpcArguments a = HpcArguments.parse(List.of());
        assertEquals(HpcArguments.empty(), a);
    }

    @Test
    void resultIsImmutable() throws OptionException {
        HpcArguments a = parse("--env A=1 -p x --detach");
        assertThrows(UnsupportedOperationException.class, () -> a.values().put(HpcOption.QOS, "q"));
        assertThrows(UnsupportedOperationException.class, () -> a.list(HpcOption.ENV).add("B=2"));
        assertThrows(UnsupportedOperationException.class, () -> a.flags().add(HpcOption.RESUBMIT));
    }

    @Test
    void badValueNamesOptionAndExpectedForm() {
        assertEquals("--time: \"abc\" is not a time limit; expected MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS",
                error("--time", "abc"));
        assertEquals("--mem: \"lots\" is not a memory size; expected a number with an optional unit K, M, G or T (e.g. 4G)",
                error("--mem=lots"));
        assertTrue(error("-N", "0").startsWith("--nodes: \"0\" is not a node count; expected N or MIN-MAX"));
        assertTrue(error("--array", "1-").startsWith("--array: \"1-\" is not a job array spec; expected 0-15, 1,3,5"));
        assertTrue(error("-pa;b").startsWith("--partition: \"a;b\" is not a partition name; expected "));
        assertTrue(error("--env", "1X=3").startsWith("--env: \"1X=3\" is not an environment assignment; expected K=V"));
    }

    @Test
    void everyValueOptionRejectsGarbageWithItsOwnNameAndForm() {
        for (HpcOption o : HpcOption.values()) {
            if (!o.takesValue()) continue;
            String message = error(o.longName(), "%bad value%");
            assertTrue(message.startsWith(o.longName() + ": \"%bad value%\" is not "), message);
            assertTrue(message.endsWith("expected " + OptionForms.expected(o)), message);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"$(touch /tmp/x)", "`touch /tmp/x`", "a;touch /tmp/x", "a\ntouch /tmp/x", "a|b", "a&&b",
        "a b", "'a'", "a>b", "../../etc", "a\u0000b"})
    void shellTextIsRejectedInEveryNameLikeOption(String evil) {
        for (HpcOption o : List.of(HpcOption.JOB_NAME, HpcOption.PARTITION, HpcOption.ACCOUNT, HpcOption.QOS,
                HpcOption.CLUSTER, HpcOption.MODULE, HpcOption.GPUS, HpcOption.ARRAY, HpcOption.TIME, HpcOption.MEM)) {
            String message = error(o.longName(), evil);
            assertTrue(message.startsWith(o.longName() + ": "), message);
            // Shown Java-escaped: a newline in the value never becomes a line of the message.
            assertFalse(message.contains("\n"), message);
            assertFalse(message.contains("\u0000"), message);
        }
    }

    @Test
    void injectionInJobNameIsQuotedAndEscapedInTheMessage() {
        assertTrue(error("--job-name", "$(touch /tmp/x)").startsWith("--job-name: \"$(touch /tmp/x)\" is not a job name"));
        assertTrue(error("--job-name", "a\nrm -rf ~").startsWith("--job-name: \"a\\nrm -rf ~\" is not a job name"));
        assertTrue(error("-J", "x\"; id; \"").startsWith("--job-name: \"x\\\"; id; \\\"\" is not"));
    }

    @Test
    void envValueMayHoldTextButNoLineBreak() throws OptionException {
        // The value is data for the script writer to quote; only the name is a token.
        assertEquals(List.of("X=$(id) `id`; a"), HpcArguments.parse(List.of("--env", "X=$(id) `id`; a")).list(HpcOption.ENV));
        String message = error("--env", "X=1\nrm -rf ~");
        assertTrue(message.startsWith("--env: \"X=1\\nrm -rf ~\" is not an environment assignment"), message);
        assertTrue(error("--env", "A;B=1").startsWith("--env: \"A;B=1\" is not"));
    }

    @Test
    void unknownOptionSuggestsACloseName() {
        assertEquals("unknown option \"--tiem\"; did you mean --time? (%hpc help lists the options)", error("--tiem", "10"));
        assertTrue(error("--partiton=debug").contains("did you mean --partition?"));
        assertTrue(error("--part", "debug").contains("did you mean --partition?"));
        assertTrue(error("-qos", "high").contains("unknown option \"-qos\"; did you mean --qos?"));
    }

    @Test
    void unknownOptionWithoutCloseNameListsAll() {
        String message = error("--frobnicate");
        assertTrue(message.startsWith("unknown option \"--frobnicate\"; the options are --cluster, --partition (-p), --time (-t)"),
                message);
        assertTrue(message.contains("--resubmit"), message);
        assertTrue(error("-x", "1").startsWith("unknown option \"-x\"; the options are"));
    }

    @Test
    void missingValueNamesTheForm() {
        assertEquals("--time needs a value TIME; expected MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS", error("--time"));
        assertEquals("--partition needs a value NAME; expected at most 128 letters, digits, _ . , or -, starting with a "
                + "letter or digit (found the option \"--detach\" instead)", error("-p", "--detach"));
    }

    @Test
    void nonRepeatableOptionTwiceIsAnError() {
        assertEquals("--partition is given twice (\"a\" and \"b\"); give it once", error("-p", "a", "--partition=b"));
        assertEquals("--detach is given twice; give it once", error("--detach", "--detach"));
    }

    @Test
    void flagWithValueIsAnError() {
        assertEquals("--detach takes no value (got \"yes\")", error("--detach=yes"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"debug", "-", "--", "println(1)"})
    void strayWordIsAnError(String word) {
        String message = error("-p", "x", word);
        assertTrue(message.startsWith("unexpected word " + Quoting.quote(word) + ": %%hpc takes only options"), message);
    }

    @Test
    void zeroTimeIsCaughtAtParseTime() {
        assertTrue(error("-t", "0").startsWith("--time: \"0\" is zero; expected a positive time limit"));
    }

    @Test
    void rangesMustNotGoDown() throws OptionException {
        assertEquals("--nodes: \"4-2\" has a range that goes down (4-2); expected N or MIN-MAX, positive whole numbers (e.g. 2 or 1-4)",
                error("-N", "4-2"));
        assertTrue(error("--array", "1,9-3:2%4").startsWith("--array: \"1,9-3:2%4\" has a range that goes down (9-3); expected 0-15"));
        assertEquals("0-15:3,20%4", parse("-N 2-2 --array 0-15:3,20%4").value(HpcOption.ARRAY).orElseThrow());
    }

    @Test
    void optionTableIsCoveredByForms() {
        Arrays.stream(HpcOption.values()).filter(HpcOption::takesValue).forEach(o -> {
            assertFalse(OptionForms.noun(o).isBlank());
            assertFalse(OptionForms.expected(o).isBlank());
        });
    }
}
