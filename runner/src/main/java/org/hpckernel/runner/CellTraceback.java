package org.hpckernel.runner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.hpckernel.eval.CellError;
import org.hpckernel.translate.CellLines;
import org.hpckernel.values.CellIO;

/**
 * An exception thrown by a compiled cell as a Jupyter error: frames of the cell's own classes
 * (the cell and the notebook code compiled with it) point at the line the user wrote, by the line
 * table the kernel put in the cell jar ("cell, line 4", counted from the %%hpc line like compile
 * errors; "declaration twice, line 2"), else at the generated source; the runner's and
 * reflection's frames are left out.
 */
final class CellTraceback {
    private static final int MAX_FRAMES = 100;
    private static final String RUNNER_PACKAGE = RunnerMain.class.getPackageName() + ".";
    private static final String VALUES_PACKAGE = CellIO.class.getPackageName() + ".";

    private final CellClasses classes;
    private final String mainClass;
    private final CellLines lines;

    CellTraceback(CellClasses classes, String mainClass) {
        this.classes = classes;
        this.mainClass = mainClass;
        this.lines = CellLines.read(classes.loader());
    }

    CellError of(Throwable thrown) {
        List<String> traceback = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable e = thrown; e != null && seen.add(e); e = e.getCause()) {
            String head = name(e) + (e.getMessage() == null ? "" : ": " + e.getMessage());
            traceback.add(e == thrown ? head : "Caused by: " + head);
            addFrames(e.getStackTrace(), traceback);
        }
        return new CellError(name(thrown), thrown.getMessage() == null ? "" : thrown.getMessage(), traceback);
    }

    private void addFrames(StackTraceElement[] frames, List<String> traceback) {
        int shown = 0;
        int hidden = 0;
        for (StackTraceElement frame : frames) {
            String type = frame.getClassName();
            if (type.equals(RunnerMain.class.getName())) {
                break; // the runner calling the cell: everything below is ours, not the user's
            }
            if (type.startsWith(RUNNER_PACKAGE) || type.startsWith(VALUES_PACKAGE)
                    || type.startsWith("jdk.internal.reflect.") || type.startsWith("java.lang.reflect.")) {
                continue; // the CellIO the cell called into
            }
            if (shown == MAX_FRAMES) {
                hidden++;
                continue;
            }
            traceback.add("\tat " + describe(frame));
            shown++;
        }
        if (hidden > 0) {
            traceback.add("\t... " + hidden + " more");
        }
    }

    private String describe(StackTraceElement frame) {
        String type = frame.getClassName();
        if (!classes.isCellClass(type)) {
            return frame.toString();
        }
        String written = lines.describe(frame);
        if (written != null) {
            return simpleName(type) + "." + frame.getMethodName() + " (" + cellLine(written) + ")";
        }
        String where = (frame.getFileName() == null ? simpleName(type) + ".java" : frame.getFileName())
                + (frame.getLineNumber() > 0 ? " line " + frame.getLineNumber() : "");
        String owner = type.equals(mainClass) ? "the cell" : "notebook " + simpleName(type);
        return simpleName(type) + "." + frame.getMethodName() + " (" + owner + ", " + where + " as compiled)";
    }

    /** "cell, line N" of the body is line N + 1 of the cell, whose first line is %%hpc; other lines are a declaration's. */
    private static String cellLine(String written) {
        String prefix = "cell, line ";
        if (!written.startsWith(prefix)) return "declaration " + written;
        try {
            return prefix + (Integer.parseInt(written.substring(prefix.length())) + 1);
        } catch (NumberFormatException e) {
            return written;
        }
    }

    private String name(Throwable e) {
        String type = e.getClass().getName();
        return classes.isCellClass(type) ? simpleName(type) : type;
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
