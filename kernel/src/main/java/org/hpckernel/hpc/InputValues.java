package org.hpckernel.hpc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.options.ByteSizes;
import org.hpckernel.translate.NotebookSnapshot;
import org.hpckernel.values.NotShippableException;
import org.hpckernel.values.SerialValues;
import org.hpckernel.values.ValueCodec;

/**
 * Encodes the notebook values a job takes with it, before anything is written: a value that
 * cannot travel (as JSON, or for a Java cell in binary form when it is Serializable) refuses the
 * cell with the codec's reason, and so do values that together exceed
 * the cap (nothing is ever cut to fit).
 */
public final class InputValues {
    private InputValues() {}

    /**
     * @param workdir the cluster's work directory, named in the advice for large inputs
     */
    public static List<EncodedValue> encode(List<NotebookSnapshot.Variable> variables, NotebookValues notebook, ValueCodec codec,
            long cap, String workdir) throws ValueRefusal {
        return encode(variables, notebook, codec, cap, workdir, false);
    }

    /**
     * @param binaryAllowed true for a Java cell, whose runner reads a Serializable value outside the
     *     JSON set in binary form (through its allow-list filter); a #! cell's script reads JSON only
     */
    public static List<EncodedValue> encode(List<NotebookSnapshot.Variable> variables, NotebookValues notebook, ValueCodec codec,
            long cap, String workdir, boolean binaryAllowed) throws ValueRefusal {
        List<EncodedValue> encoded = new ArrayList<>();
        long total = 0;
        for (NotebookSnapshot.Variable v : variables) {
            Object value;
            try {
                value = notebook.valueOf(v.name());
            } catch (NotebookValues.Failure e) {
                throw new ValueRefusal("ValueNotShippable", "nothing was submitted: the notebook variable " + v.name()
                        + " cannot be read: " + e.getMessage());
            }
            try {
                java.lang.reflect.Type declared = ValueCodec.declared(v.type());
                String text = binaryAllowed
                        ? SerialValues.encode(codec, v.name(), value, declared, notebook.classes(), SerialValues.Limits.forCap(cap))
                        : codec.encode(v.name(), value, declared);
                EncodedValue e = new EncodedValue(v.name(), v.type(), text);
                encoded.add(e);
                total += e.size();
            } catch (NotShippableException e) {
                throw new ValueRefusal("ValueNotShippable", "nothing was submitted: the cell uses notebook variable `" + v.name()
                        + "` (declared " + v.type() + "): " + e.getMessage());
            }
        }
        if (total > cap) throw overCap(encoded, total, cap, workdir);
        // Decoded here as the node will decode it, so a value that would not decode there (a
        // variable declared with an interface type, say) is refused before anything is submitted.
        Map<Integer, String> undecodable = notebook.undecodable(encoded.stream().map(EncodedValue::type).toList(),
                encoded.stream().map(EncodedValue::json).toList(), SerialValues.Limits.forCap(cap).maxBytes());
        if (!undecodable.isEmpty()) {
            Map.Entry<Integer, String> first = undecodable.entrySet().iterator().next();
            EncodedValue v = encoded.get(first.getKey());
            throw new ValueRefusal("ValueNotShippable", "nothing was submitted: the cell uses notebook variable `" + v.name()
                    + "` (declared " + v.type() + "), whose value would not decode on the node as its declared type: "
                    + first.getValue());
        }
        return List.copyOf(encoded);
    }

    private static ValueRefusal overCap(List<EncodedValue> encoded, long total, long cap, String workdir) {
        List<String> lines = new ArrayList<>();
        lines.add("InputTooLarge: the values this cell uses come to " + ByteSizes.describe(total) + ", above the cap of "
                + ByteSizes.describe(cap) + ":");
        encoded.stream().sorted(Comparator.comparingLong(EncodedValue::size).reversed())
                .forEach(e -> lines.add("  " + e.name() + " (" + e.type() + "): " + ByteSizes.describe(e.size())));
        String advice = "Pass a large input as a file on the cluster's file system instead: write it there (e.g. under "
                + workdir + ") and read it in the cell by its path; or raise the cap for this cell with --max-input SIZE"
                + " (e.g. --max-input " + Math.max(2, (total >> 20) + 1) + "MB), or for the cluster with its \"maxInputBytes\" key.";
        lines.add(advice);
        String names = String.join(", ", encoded.stream().sorted(Comparator.comparingLong(EncodedValue::size).reversed())
                .map(e -> e.name() + " " + ByteSizes.describe(e.size())).toList());
        return new ValueRefusal("InputTooLarge", "nothing was submitted: the notebook values this cell ships (" + names + ") come to "
                + ByteSizes.describe(total) + ", above the cap of " + ByteSizes.describe(cap) + ". " + advice, lines);
    }

    /** The number of elements of {@code --for}'s list: a List or an array, not empty. */
    public static int forEachSize(ValueOptions.ForEach forEach, NotebookValues notebook) throws ValueRefusal {
        String list = forEach.list();
        if (!notebook.names().contains(list)) {
            throw new ValueRefusal("UsageError", "--for " + forEach + ": the notebook has no variable " + list
                    + "; declare it in a cell first (e.g. List<Integer> " + list + " = List.of(1, 2, 3);)");
        }
        Object value;
        try {
            value = notebook.valueOf(list);
        } catch (NotebookValues.Failure e) {
            throw new ValueRefusal("UsageError", "--for " + forEach + ": " + list + " cannot be read: " + e.getMessage());
        }
        int n;
        if (value instanceof java.util.List<?> l) n = l.size();
        else if (value != null && value.getClass().isArray()) n = java.lang.reflect.Array.getLength(value);
        else {
            throw new ValueRefusal("UsageError", "--for " + forEach + ": " + list + " is "
                    + (value == null ? "null" : "a " + notebook.typeOf(list).orElse(value.getClass().getSimpleName()))
                    + ", not a List or an array");
        }
        if (n == 0) {
            throw new ValueRefusal("UsageError", "--for " + forEach + ": " + list + " is empty, so there is nothing to run;"
                    + " nothing was submitted");
        }
        if (n > org.hpckernel.hpc.options.ArraySpec.MAX_TASKS) {
            throw new ValueRefusal("UsageError", "--for " + forEach + ": " + list + " has " + n + " elements, more than the "
                    + org.hpckernel.hpc.options.ArraySpec.MAX_TASKS + " array tasks a cell can follow; split it (e.g. into chunks"
                    + " of a List<List<...>>) so that each task takes several elements");
        }
        return n;
    }
}
