package org.hpckernel.hpc.options;

import org.hpckernel.magic.HpcOption;

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
            default -> { }
        }
    }
}
