package org.hpckernel.translate;

import java.util.List;
import java.util.Map;

/**
 * A Java %%hpc cell compiled in the kernel, ready to ship.
 *
 * @param mainClass binary name of the {@link org.hpckernel.values.CellProgram} the node runs
 * @param jar the compiled classes as a jar with fixed timestamps (same cell, same bytes)
 * @param jarSha256 hex SHA-256 of {@code jar}
 * @param inputs the notebook variables the cell (or a notebook method it calls) uses, with their types
 * @param outputs the {@code --out} names with the types declared in the cell, written the way the
 *     notebook writes them ({@code List<Point>}, notebook types by simple name)
 * @param sources generated sources by file name, for --dry-run, export and errors
 */
public record CompiledCell(String mainClass, byte[] jar, String jarSha256, List<NotebookSnapshot.Variable> inputs,
        List<NotebookSnapshot.Variable> outputs, Map<String, String> sources) {}
