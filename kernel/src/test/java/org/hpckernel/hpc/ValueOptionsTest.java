package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.config.ValueCaps;
import org.hpckernel.hpc.options.ArraySpec;
import org.hpckernel.hpc.options.HpcArguments;
import org.hpckernel.hpc.options.OptionException;
import org.hpckernel.hpc.options.OutputName;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.Scheduler;
import org.hpckernel.hpc.scheduler.Schedulers;
import org.junit.jupiter.api.Test;

/** The value options against the kind of cell and each other. */
class ValueOptionsTest {
    private static ValueOptions java(String... words) throws OptionException {
        return ValueOptions.of(HpcArguments.parse(List.of(words)), false);
    }

    private static ValueOptions script(String... words) throws OptionException {
        return ValueOptions.of(HpcArguments.parse(List.of(words)), true);
    }

    private static String javaError(String... words) {
        return assertThrows(OptionException.class, () -> java(words)).getMessage();
    }

    private static String scriptError(String... words) {
        return assertThrows(OptionException.class, () -> script(words)).getMessage();
    }

    @Test
    void forRunsElementIAsTheSchedulersTaskFirstPlusI() throws Exception {
        assertEquals("0-2", ValueOptions.ForEach.array(Schedulers.create("slurm"), 3));
        assertEquals("1-3", ValueOptions.ForEach.array(Schedulers.create("sge"), 3));
        assertEquals("1-3", ValueOptions.ForEach.array(Schedulers.create("lsf"), 3));
        assertEquals(Map.of("A", "b"), ValueOptions.ForEach.env(Schedulers.create("slurm"), Map.of("A", "b")));
        assertEquals(Map.of("A", "b", "HPC_ARRAY_BASE", "1"), ValueOptions.ForEach.env(Schedulers.create("sge"), Map.of("A", "b")));
        assertEquals(Map.of("HPC_ARRAY_BASE", "1"), ValueOptions.ForEach.env(Schedulers.create("lsf"), Map.of()));
        for (String name : List.of("slurm", "sge", "oar", "pbs", "lsf", "local")) {
            // Every scheduler takes the array --for implies (Grid Engine and LSF refuse a task 0) ...
            Scheduler scheduler = Schedulers.create(name);
            String array = ValueOptions.ForEach.array(scheduler, 3);
            JobSpec spec = JobSpec.builder().jobName("j").cluster("c").jobDir("/w/jobs/j").array(array)
                    .env(ValueOptions.ForEach.env(scheduler, Map.of())).build();
            scheduler.directives(spec);
            // ... and element i (task id minus HPC_ARRAY_BASE) is task first+i, in task order.
            int base = Integer.parseInt(spec.env().getOrDefault("HPC_ARRAY_BASE", "0"));
            assertEquals(List.of(0, 1, 2), ArraySpec.indices(array).stream().map(task -> task - base).toList(), name);
        }
    }

    @Test
    void javaCellsNameOutputsAndMayMapOverAList() throws OptionException {
        ValueOptions v = java("--out", "a,b", "--out", "c", "--for", "p:params", "--max-input", "2MB");
        assertEquals(List.of("a", "b", "c"), v.outNames());
        assertEquals(new ValueOptions.ForEach("p", "params"), v.forEach());
        assertEquals(2L << 20, v.maxInputBytes(ValueCaps.defaults()));
        assertEquals(List.of(), v.ins());
    }

    @Test
    void theCapIsTheClustersUnlessTheCellSetsIt() throws OptionException {
        assertEquals(1L << 20, java().maxInputBytes(ValueCaps.defaults()));
        assertEquals(4096, java().maxInputBytes(new ValueCaps(4096, 1 << 20)));
        assertNull(java().forEach());
    }

    @Test
    void scriptCellsTakeInputsAndTypedOutputs() throws OptionException {
        ValueOptions v = script("--in", "xs", "--in", "n", "--out", "total:double,ys:List<Double>,raw");
        assertEquals(List.of("xs", "n"), v.ins());
        assertEquals(List.of(new OutputName("total", "double"), new OutputName("ys", "List<Double>"), new OutputName("raw", null)),
                v.outs());
    }

    @Test
    void mismatchesAreRefusedNamingTheOption() {
        assertEquals("--in x: a Java cell gets every notebook variable it uses without asking; --in is for #! cells (the value is"
                + " written to $HPC_INPUTS/x.json)", javaError("--in", "x"));
        assertEquals("--out r:int: in a Java cell an output has the type it is declared with in the cell; write --out r",
                javaError("--out", "r:int"));
        assertEquals("--for p:xs is for Java cells; in a #! cell use --array with $HPC_ARRAY_INDEX and --in to pass the list",
                scriptError("--for", "p:xs"));
        assertEquals("--for p:xs makes one array task per element; it cannot be combined with --array 0-3 (leave --array out)",
                javaError("--for", "p:xs", "--array", "0-3"));
        assertEquals("--out a is given twice; name each output once", javaError("--out", "a,b", "--out", "a"));
        assertEquals("--in x is given twice; give each variable once", scriptError("--in", "x", "--in", "x"));
        assertEquals("--for xs:xs: the element needs a name of its own, e.g. --for p:xs", javaError("--for", "xs:xs"));
        assertEquals("--for p:xs: p is the element, bound for you on each task; it cannot also be an --out",
                javaError("--for", "p:xs", "--out", "p"));
    }
}
