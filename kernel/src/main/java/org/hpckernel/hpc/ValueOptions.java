package org.hpckernel.hpc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.scheduler.Scheduler;
import java.util.Set;
import org.hpckernel.hpc.config.ValueCaps;
import org.hpckernel.hpc.options.BadValueException;
import org.hpckernel.hpc.options.ByteSizes;
import org.hpckernel.hpc.options.HpcArguments;
import org.hpckernel.hpc.options.HpcOption;
import org.hpckernel.hpc.options.OptionException;
import org.hpckernel.hpc.options.OutputName;
import org.hpckernel.runner.RunnerMain;

/**
 * What a cell's options say about its values: {@code --out}, {@code --in}, {@code --for} and
 * {@code --max-input}, checked against the kind of cell (Java or #!) and each other.
 *
 * @param forEach null without {@code --for}
 * @param maxInput {@code --max-input} in bytes, or null for the cluster's cap
 */
public record ValueOptions(List<OutputName> outs, List<String> ins, ForEach forEach, Long maxInput) {
    /** {@code --for NAME:LIST}. */
    public record ForEach(String name, String list) {
        /** The array --for implies: one task per element, tasks first..first+n-1; element i is task first+i. */
        public static String array(Scheduler scheduler, int elements) {
            int first = scheduler.firstArrayIndex();
            return first + "-" + (first + elements - 1);
        }

        /**
         * The job's environment with {@code HPC_ARRAY_BASE} set when tasks start at 1: the runner binds
         * element task-1 then, and the returned {@code List<R>} (in task order) stays aligned with LIST.
         */
        public static Map<String, String> env(Scheduler scheduler, Map<String, String> env) {
            int first = scheduler.firstArrayIndex();
            if (first == 0) return env;
            Map<String, String> with = new LinkedHashMap<>(env);
            with.put(RunnerMain.ARRAY_BASE_ENV, Integer.toString(first));
            return with;
        }

        @Override
        public String toString() {
            return name + ":" + list;
        }
    }

    public ValueOptions {
        outs = List.copyOf(outs);
        ins = List.copyOf(ins);
    }

    /** The cap on the values shipped with the job: {@code --max-input}, else the cluster's. */
    public long maxInputBytes(ValueCaps caps) {
        return maxInput != null ? maxInput : caps.maxInputBytes();
    }

    public List<String> outNames() {
        return outs.stream().map(OutputName::name).toList();
    }

    public static ValueOptions of(HpcArguments args, boolean shebang) throws OptionException {
        List<OutputName> outs = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String value : args.list(HpcOption.OUT)) {
            try {
                for (OutputName o : OutputName.parse(value)) {
                    if (!seen.add(o.name())) throw new OptionException("--out " + o.name() + " is given twice; name each output once");
                    if (!shebang && o.type() != null) {
                        throw new OptionException("--out " + o.name() + ":" + o.type() + ": in a Java cell an output has the type it is"
                                + " declared with in the cell; write --out " + o.name());
                    }
                    outs.add(o);
                }
            } catch (BadValueException e) {
                throw new OptionException("--out: " + e.getMessage());
            }
        }
        List<String> ins = new ArrayList<>();
        for (String in : args.list(HpcOption.IN)) {
            if (!shebang) {
                throw new OptionException("--in " + in + ": a Java cell gets every notebook variable it uses without asking;"
                        + " --in is for #! cells (the value is written to $HPC_INPUTS/" + in + ".json)");
            }
            if (ins.contains(in)) throw new OptionException("--in " + in + " is given twice; give each variable once");
            ins.add(in);
        }
        ForEach forEach = null;
        String spec = args.value(HpcOption.FOR).orElse(null);
        if (spec != null) {
            if (shebang) {
                throw new OptionException("--for " + spec + " is for Java cells; in a #! cell use --array with $HPC_ARRAY_INDEX"
                        + " and --in to pass the list");
            }
            if (args.value(HpcOption.ARRAY).isPresent()) {
                throw new OptionException("--for " + spec + " makes one array task per element; it cannot be combined with --array "
                        + args.value(HpcOption.ARRAY).get() + " (leave --array out)");
            }
            int colon = spec.indexOf(':');
            forEach = new ForEach(spec.substring(0, colon), spec.substring(colon + 1));
            if (forEach.name().equals(forEach.list())) {
                throw new OptionException("--for " + spec + ": the element needs a name of its own, e.g. --for p:" + forEach.list());
            }
            if (seen.contains(forEach.name())) {
                throw new OptionException("--for " + spec + ": " + forEach.name() + " is the element, bound for you on each task;"
                        + " it cannot also be an --out");
            }
        }
        Long maxInput = null;
        String max = args.value(HpcOption.MAX_INPUT).orElse(null);
        if (max != null) {
            try {
                maxInput = ByteSizes.bytes(max);
            } catch (BadValueException e) {
                throw new OptionException("--max-input: " + e.getMessage());
            }
        }
        return new ValueOptions(outs, ins, forEach, maxInput);
    }
}
