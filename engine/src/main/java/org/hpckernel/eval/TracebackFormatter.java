package org.hpckernel.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.UnresolvedReferenceException;
import org.hpckernel.translate.LineIndex;

/**
 * Builds {@link CellError}s whose tracebacks talk about cell lines, not JShell's snippet ids and
 * wrapper classes.
 */
final class TracebackFormatter {
    private static final int MAX_FRAMES = 100;

    private final SnippetOrigins origins;

    TracebackFormatter(SnippetOrigins origins) {
        this.origins = origins;
    }

    /** Compile errors of one snippet, each with its cell line, the source line and a caret. */
    CellError compilationError(LineIndex cell, CellSnippet snippet, List<Diag> errors) {
        List<String> traceback = new ArrayList<>();
        String evalue = null;
        for (Diag diag : errors) {
            List<String> message = messageLines(diag);
            if (evalue == null) {
                evalue = oneLine(message);
            }
            long position = diag.getPosition() >= 0 ? diag.getPosition() : diag.getStartPosition();
            if (position < 0) {
                traceback.add("Error in cell line " + cell.lineOf(snippet.start()) + ": " + message.get(0));
                message.subList(1, message.size()).forEach(traceback::add);
                continue;
            }
            int offset = (int) Math.min(snippet.start() + position, snippet.end());
            int line = cell.lineOf(offset);
            int column = cell.columnOf(offset);
            traceback.add("Error in cell line " + line + ", column " + (column + 1) + ": " + message.get(0));
            message.subList(1, message.size()).forEach(traceback::add);
            String source = cell.line(line);
            traceback.add("    " + source);
            traceback.add("    " + caretUnder(source, column));
        }
        if (evalue == null) {
            evalue = "the snippet was rejected";
            traceback.add("Error in cell line " + cell.lineOf(snippet.start()) + ": " + evalue);
        }
        return new CellError(CellError.COMPILATION_ERROR, evalue, traceback);
    }

    /** One exception of a "Caused by:" chain: its name, one-line message and cell-mapped frames. */
    record Thrown(String name, String message, StackTraceElement[] frames) {
    }

    /** An exception thrown by user code as JShell reports it, with "Caused by:" chains. */
    CellError runtimeError(JShell shell, JShellException exception, int currentCell) {
        List<Thrown> chain = new ArrayList<>();
        for (JShellException e = exception; e != null; e = e.getCause() instanceof JShellException c ? c : null) {
            chain.add(new Thrown(name(e), message(shell, e), e.getStackTrace()));
        }
        return runtimeError(chain, currentCell);
    }

    /** An exception thrown by user code, outermost first, with "Caused by:" chains. */
    CellError runtimeError(List<Thrown> chain, int currentCell) {
        List<String> traceback = new ArrayList<>();
        for (Thrown e : chain) {
            String head = e.name() + (e.message().isEmpty() ? "" : ": " + e.message());
            traceback.add(traceback.isEmpty() ? head : "Caused by: " + head);
            addFrames(e.frames(), currentCell, traceback);
        }
        return new CellError(chain.get(0).name(), chain.get(0).message(), traceback);
    }

    private void addFrames(StackTraceElement[] frames, int currentCell, List<String> traceback) {
        int shown = 0;
        int hidden = 0;
        for (StackTraceElement frame : frames) {
            if (isPlumbing(frame)) {
                continue;
            }
            if (shown == MAX_FRAMES) {
                hidden++;
                continue;
            }
            traceback.add("\tat " + describe(frame, currentCell));
            shown++;
        }
        if (hidden > 0) {
            traceback.add("\t... " + hidden + " more");
        }
    }

    private String describe(StackTraceElement frame, int currentCell) {
        String file = frame.getFileName();
        if (file != null && file.startsWith("#")) {
            // JShell already mapped this frame to (snippet id, line within the snippet).
            String method = frame.getMethodName().isEmpty() ? "do_it$" : frame.getMethodName();
            String type = SnippetNames.clean(frame.getClassName());
            String name = type.isEmpty() ? method : type + "." + method;
            return name + " (" + origins.describe(file.substring(1), frame.getLineNumber(), currentCell) + ")";
        }
        return SnippetNames.clean(frame.toString());
    }

    private static boolean isPlumbing(StackTraceElement frame) {
        String type = frame.getClassName();
        return type.startsWith("jdk.internal.reflect.")
                || type.startsWith("java.lang.reflect.")
                || type.startsWith("jdk.jshell.")
                || type.startsWith("REPL.$Cancel$");
    }

    private static String name(JShellException e) {
        if (e instanceof EvalException eval) {
            return SnippetNames.clean(eval.getExceptionClassName());
        }
        return CellError.UNRESOLVED_REFERENCE;
    }

    private static String message(JShell shell, JShellException e) {
        if (e instanceof UnresolvedReferenceException unresolved) {
            return unresolvedMessage(shell, unresolved.getSnippet());
        }
        return e.getMessage() == null ? "" : SnippetNames.clean(e.getMessage());
    }

    /** Why calling a declaration that is not usable yet failed. */
    static String unresolvedMessage(JShell shell, DeclarationSnippet snippet) {
        return SnippetNames.describe(snippet) + " cannot be " + SnippetNames.useVerb(snippet) + " "
                + SnippetNames.untilDeclared(shell, snippet);
    }

    /** javac's message minus the "location: class" line that only names JShell's wrapper. */
    private static List<String> messageLines(Diag diag) {
        List<String> lines = new ArrayList<>();
        for (String line : diag.getMessage(Locale.getDefault()).split("\\R")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("location:") && (trimmed.equals("location: class") || trimmed.contains("$JShell$"))) {
                continue;
            }
            lines.add(SnippetNames.clean(line));
        }
        if (lines.isEmpty()) {
            lines.add("compilation failed");
        }
        return lines;
    }

    private static String oneLine(List<String> message) {
        if (message.size() == 1) {
            return message.get(0);
        }
        List<String> details = new ArrayList<>();
        for (String line : message.subList(1, message.size())) {
            details.add(line.trim().replaceAll("\\s+", " "));
        }
        return message.get(0) + " (" + String.join(", ", details) + ")";
    }

    private static String caretUnder(String line, int column) {
        StringBuilder caret = new StringBuilder();
        for (int i = 0; i < column && i < line.length(); i++) {
            caret.append(line.charAt(i) == '\t' ? '\t' : ' ');
        }
        return caret.append('^').toString();
    }
}
