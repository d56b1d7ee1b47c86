package org.hpckernel.values;

/**
 * What a compiled cell reads and writes on the node: the notebook values shipped with the job, and
 * the values it returns with {@code --out}. Implemented by the runner.
 */
public interface CellIO {
    /** Returned by {@link CellProgram#run} when the cell has no final expression. */
    Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "(no value)";
        }
    };

    /** The notebook variable {@code name}, decoded as {@code type} (the type it was declared with). */
    <T> T input(String name, TypeCapture<T> type) throws MalformedValueException;

    /** Records the value of {@code --out name}; written when the cell body has completed. */
    void output(String name, Object value) throws NotShippableException;

    /** This task's index in an array job ({@code --array}, {@code --for}), or -1 outside arrays. */
    int arrayIndex();
}
