package org.hpckernel.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/** javac's errors on generated files, told in terms of the cell and the notebook. */
final class CompileProblems {
    private static final Pattern UNRESOLVED_VARIABLE = Pattern.compile("symbol:\\s+variable (\\S+)");

    private CompileProblems() {}

    /** One problem with no position: a directive, a variable. */
    static CellCompileException single(String where, String message) {
        return new CellCompileException(message, List.of(new CellCompileException.Problem(where, 0, 0, message, "")));
    }

    /** True when the body cannot complete normally, so the outputs and return after it are unreachable. */
    static boolean endsUnreachable(List<Diagnostic<? extends JavaFileObject>> errors, InMemoryJavac.Run run,
            CellTranslator.Rendered rendered) {
        if (rendered.epilogueStart() < 0) {
            return false;
        }
        for (Diagnostic<? extends JavaFileObject> error : errors) {
            if ("compiler.err.unreachable.stmt".equals(error.getCode())
                    && rendered.cellFile().equals(run.fileName(error.getSource()))
                    && error.getPosition() >= rendered.epilogueStart()) {
                return true;
            }
        }
        return false;
    }

    /** True when the final expression, written as a value, is a void call. */
    static boolean voidFinalValue(List<Diagnostic<? extends JavaFileObject>> errors, InMemoryJavac.Run run,
            CellTranslator.Rendered rendered) {
        for (Diagnostic<? extends JavaFileObject> error : errors) {
            if ("compiler.err.prob.found.req".equals(error.getCode())
                    && rendered.cellFile().equals(run.fileName(error.getSource()))
                    && error.getPosition() >= rendered.finalStart() && error.getPosition() < rendered.finalEnd()
                    && error.getMessage(Locale.ENGLISH).contains("void cannot be converted")) {
                return true;
            }
        }
        return false;
    }

    /** The errors, each placed in the cell or the notebook declaration it comes from. */
    static CellCompileException of(List<Diagnostic<? extends JavaFileObject>> errors, InMemoryJavac.Run run,
            CellTranslator.Rendered rendered, PreparedCell prepared) {
        List<CellCompileException.Problem> problems = new ArrayList<>();
        StringBuilder message = new StringBuilder("the cell does not compile:");
        for (Diagnostic<? extends JavaFileObject> error : errors) {
            String file = run.fileName(error.getSource());
            GeneratedSource source = file == null ? null : rendered.files().get(file);
            GeneratedSource.Located located = source == null || error.getPosition() < 0 ? null : source.locate(error.getPosition());
            String text = error.getMessage(Locale.ENGLISH).replace(prepared.names.packageName() + ".", "")
                    + hint(error, prepared);
            CellCompileException.Problem problem = located == null
                    ? new CellCompileException.Problem(file == null ? "cell" : file, 0, 0, text, "")
                    : new CellCompileException.Problem(located.source().where(), located.line(), located.column(), text,
                            located.sourceLine());
            if (problems.contains(problem)) {
                continue;
            }
            problems.add(problem);
            message.append('\n').append(problem.where());
            if (problem.line() > 0) {
                message.append(", line ").append(problem.line()).append(", column ").append(problem.column());
            }
            message.append(": ").append(text);
            if (!problem.sourceLine().isEmpty()) {
                message.append("\n    ").append(problem.sourceLine());
                if (problem.column() > 0) {
                    message.append("\n    ").append(" ".repeat((int) problem.column() - 1)).append('^');
                }
            }
        }
        return new CellCompileException(message.toString(), problems);
    }

    /**
     * Where compiled Java and JShell differ, says so: JShell makes a cell's variables fields, the
     * compiled cell makes them local variables of its body.
     */
    private static String hint(Diagnostic<? extends JavaFileObject> error, PreparedCell prepared) {
        String code = error.getCode();
        if ("compiler.err.cant.ref.non.effectively.final.var".equals(code)) {
            return "\n  (in a compiled %%hpc cell the cell's variables are local variables: a lambda or inner class can "
                    + "only read those never reassigned; for a counter use an AtomicInteger or an array)";
        }
        if ("compiler.err.not.stmt".equals(code)) {
            return "\n  (a compiled %%hpc cell is plain Java: a value on a line of its own is only the cell's result "
                    + "on its last line; elsewhere assign it or print it)";
        }
        if (code != null && code.startsWith("compiler.err.cant.resolve")) {
            Matcher symbol = UNRESOLVED_VARIABLE.matcher(error.getMessage(Locale.ENGLISH));
            if (symbol.find() && prepared.cellVariables.contains(symbol.group(1))) {
                return "\n  (" + symbol.group(1) + " is a variable of this cell; in a compiled %%hpc cell it is local to "
                        + "the cell's body, so a method or class declared in the cell cannot see it: pass it as a parameter)";
            }
        }
        return "";
    }
}
