package org.hpckernel.magic;

import java.util.ArrayList;
import java.util.List;
import org.hpckernel.translate.CellCompileException;

/**
 * A Java %%hpc cell that does not compile, as the cell's error: each problem at its line and
 * column in the cell as the user sees it (the %%hpc line is line 1; the body was dedented before
 * compiling, so the indentation taken off is added back), with the line and a caret under the column.
 */
final class CompileErrors {
    private CompileErrors() {}

    /** @param body the cell body as typed (after the %%hpc line); {@code compiled} is its dedented form */
    static MagicException of(CellCompileException e, String body, String compiled) {
        List<String> typed = body.lines().toList();
        List<String> dedented = compiled.lines().toList();
        List<String> traceback = new ArrayList<>();
        List<String> summaries = new ArrayList<>();
        for (CellCompileException.Problem p : e.problems()) {
            String line;
            long column = p.column();
            String where;
            if ("cell".equals(p.where())) {
                int i = (int) p.line() - 1;
                line = i >= 0 && i < typed.size() ? typed.get(i) : p.sourceLine();
                if (i >= 0 && i < typed.size() && i < dedented.size() && column > 0) {
                    column += typed.get(i).length() - dedented.get(i).length();
                }
                where = "cell line " + (p.line() + 1) + ", column " + column;
            } else {
                line = p.sourceLine();
                where = "notebook declaration " + p.where() + ", line " + p.line() + ", column " + column;
            }
            summaries.add(where + ": " + p.message());
            traceback.add("CompileError: " + where + ": " + p.message());
            if (line != null && !line.isEmpty()) {
                traceback.add("    " + line);
                if (column > 0) traceback.add("    " + caretIndent(line, (int) column - 1) + "^");
            }
        }
        if (summaries.isEmpty()) summaries.add(e.getMessage());
        traceback.add("Nothing was submitted: fix the cell and run it again.");
        String evalue = "the cell does not compile, nothing was submitted: " + String.join("; ", summaries);
        return new MagicException("CompileError", evalue, traceback);
    }

    /** Spaces up to the column, keeping the line's tabs so the caret lines up under them. */
    private static String caretIndent(String line, int column) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < column && i < line.length(); i++) s.append(line.charAt(i) == '\t' ? '\t' : ' ');
        for (int i = line.length(); i < column; i++) s.append(' ');
        return s.toString();
    }
}
