package org.hpckernel.hpc.options;


/**
 * The one check every %%hpc value goes through, whether it comes from a cell or from a cluster's
 * defaults: the option table's strict pattern, then the meaning (a time limit must not be zero,
 * a memory size needs a unit before B). Nothing that fails here reaches a script.
 */
public final class OptionValues {
    private OptionValues() {}

    public static void check(HpcOption option, String value) throws BadValueException {
        if (!option.takesValue()) throw new IllegalArgumentException(option.longName() + " takes no value");
        if (value == null || !option.accepts(value)) throw new BadValueException(OptionForms.notA(option, value));
        switch (option) {
            case TIME -> TimeLimits.parse(value);
            case MEM -> MemorySizes.megabytes(value);
            case NODES -> ascending(option, value, value);
            case OUT -> OutputName.parse(value);
            case MAX_INPUT -> ByteSizes.bytes(value);
            case ARRAY -> {
                // "1-9:2%4": each comma-separated range, without its step and the concurrency limit.
                for (String range : value.replaceFirst("%.*", "").split(",")) ascending(option, value, range.replaceFirst(":.*", ""));
            }
            default -> { }
        }
    }

    /** A MIN-MAX range must not go down; sbatch would refuse it only after submission. */
    private static void ascending(HpcOption option, String value, String range) throws BadValueException {
        int dash = range.indexOf('-');
        if (dash < 0) return;
        if (Long.parseLong(range.substring(0, dash)) > Long.parseLong(range.substring(dash + 1))) {
            throw new BadValueException(Quoting.quote(value) + " has a range that goes down (" + range + "); expected "
                    + OptionForms.expected(option));
        }
    }
}
