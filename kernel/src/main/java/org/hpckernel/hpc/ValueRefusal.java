package org.hpckernel.hpc;

import java.util.List;

/**
 * A cell whose values cannot travel as asked: refused before anything is written or submitted
 * (a value that cannot be shipped, inputs over the cap), or, after the job, outputs that cannot be
 * bound. {@code name} is the cell error's name.
 */
public final class ValueRefusal extends Exception {
    private final String name;
    private final List<String> details;

    public ValueRefusal(String name, String message, List<String> details) {
        super(message);
        this.name = name;
        this.details = List.copyOf(details);
    }

    public ValueRefusal(String name, String message) {
        this(name, message, List.of());
    }

    public String name() {
        return name;
    }

    /** Lines shown under the message (one per variable, what to do). */
    public List<String> details() {
        return details;
    }
}
