package org.hpckernel.runner;

import java.util.ArrayList;
import java.util.List;
import org.hpckernel.eval.CellError;
import org.hpckernel.eval.CellResult;
import org.hpckernel.eval.IsComplete;
import org.hpckernel.eval.JavaEvaluator;

/**
 * Replays the notebook's declarations ({@code declarations.jsh}: sources joined by blank lines)
 * into a fresh session, one declaration at a time, so a failure can name the declaration, and
 * afterwards lets a cell's traceback name declarations instead of internal cell numbers.
 */
final class Declarations {
    static final String REPLAY_PREFIX = "while replaying the notebook's declarations: ";
    private static final int MAX_NAME = 80;

    /** One declaration: its source, a short name, and its first line in declarations.jsh. */
    record Declaration(String source, String name, int line) {
    }

    private final List<Declaration> declarations = new ArrayList<>();

    /**
     * Evaluates every declaration in order.
     *
     * @return null when all replayed, else the error of the first one that failed
     */
    CellError replay(JavaEvaluator evaluator, String text) {
        declarations.clear();
        for (Declaration declaration : split(evaluator, text)) {
            declarations.add(declaration);
            // Numbered explicitly so that later tracebacks can be relabelled (see relabel).
            CellResult result = evaluator.eval(declaration.source(), declarations.size());
            if (result.isError()) {
                return replayError(declaration, result.error());
            }
        }
        return null;
    }

    /**
     * The cell's error with frames in replayed declarations ("cell [3], line 2") pointing at the
     * declaration instead ("declaration `int twice(int x)`, line 2").
     */
    CellError relabel(CellError error) {
        List<String> traceback = new ArrayList<>(error.traceback().size());
        for (String line : error.traceback()) {
            for (int i = declarations.size(); i >= 1 && line.contains("cell ["); i--) {
                line = line.replace("(cell [" + i + "], line ",
                        "(declaration `" + declarations.get(i - 1).name() + "`, line ");
            }
            traceback.add(line);
        }
        return new CellError(error.ename(), error.evalue(), traceback);
    }

    /**
     * Cuts the text at blank lines, joining pieces while JShell considers the source incomplete
     * (a class with blank lines between its members, a text block with an empty line).
     */
    static List<Declaration> split(JavaEvaluator evaluator, String text) {
        List<Declaration> result = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        StringBuilder pending = new StringBuilder();
        int pendingLine = 0;
        for (int i = 0; i <= lines.length; i++) {
            boolean boundary = i == lines.length || lines[i].isBlank();
            if (!boundary) {
                if (pending.length() == 0) {
                    pendingLine = i + 1;
                } else {
                    pending.append('\n');
                }
                pending.append(lines[i]);
                continue;
            }
            if (pending.length() == 0) {
                continue;
            }
            String source = pending.toString();
            if (i < lines.length && IsComplete.INCOMPLETE.equals(evaluator.isComplete(source).status())) {
                pending.append('\n');
                continue;
            }
            result.add(new Declaration(source.strip(), nameOf(source), pendingLine));
            pending.setLength(0);
        }
        return result;
    }

    /** The declaration's first line of code without its body: "record Point(int x, int y)". */
    static String nameOf(String source) {
        String first = null;
        boolean inComment = false;
        for (String line : source.split("\n")) {
            String s = line.strip();
            if (inComment) {
                inComment = !s.contains("*/");
                continue;
            }
            if (s.startsWith("/*")) {
                inComment = !s.contains("*/");
                continue;
            }
            if (s.isEmpty() || s.startsWith("//") || s.startsWith("@")) {
                continue;
            }
            first = s;
            break;
        }
        if (first == null) {
            first = source.strip().lines().findFirst().orElse("").strip();
        }
        int brace = first.indexOf('{');
        if (brace > 0) {
            first = first.substring(0, brace).strip();
        }
        return first.length() > MAX_NAME ? first.substring(0, MAX_NAME - 3) + "..." : first;
    }

    private static CellError replayError(Declaration declaration, CellError error) {
        List<String> traceback = new ArrayList<>();
        traceback.add("Error while replaying the notebook's declaration `" + declaration.name() + "` ("
                + JobLayout.DECLARATIONS + " line " + declaration.line() + "); the cell did not run.");
        traceback.addAll(error.traceback());
        return new CellError(error.ename(), REPLAY_PREFIX + "`" + declaration.name() + "`: " + error.evalue(), traceback);
    }
}
