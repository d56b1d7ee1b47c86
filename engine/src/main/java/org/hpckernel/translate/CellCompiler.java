package org.hpckernel.translate;

import java.util.List;

/**
 * Turns the notebook's declarations and one %%hpc cell into plain Java classes and compiles them
 * in the kernel with javac, so a typo fails the cell at once and the node runs exactly these classes.
 *
 * <p>CONTRACT STUB: implemented by the translate work; signatures are fixed.
 */
public final class CellCompiler {
    private final List<String> classpath;

    /** @param classpath the session's class path (%jars, %maven); the engine itself is always added */
    public CellCompiler(List<String> classpath) {
        this.classpath = List.copyOf(classpath);
    }

    /**
     * @param body the cell body (without the %%hpc line), dedented
     * @param outs the {@code --out} names, each declared in the body
     * @param forEach {@code NAME:LIST} of {@code --for}, or null: {@code NAME} is bound on the node to
     *     element {@code arrayIndex()} of the notebook's {@code LIST} (a List or an array)
     */
    public CompiledCell compile(NotebookSnapshot notebook, String body, List<String> outs, String forEach)
            throws CellCompileException {
        throw new UnsupportedOperationException("not implemented yet: " + classpath);
    }
}
