package org.hpckernel.eval;

/** Help for the name at the cursor: signatures and, where the JDK ships sources, Javadoc. */
public record Inspection(boolean found, String text) {
    static final Inspection NOT_FOUND = new Inspection(false, "");
}
