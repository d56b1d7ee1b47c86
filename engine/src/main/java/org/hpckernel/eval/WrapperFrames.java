package org.hpckernel.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.spi.ExecutionControl;

/**
 * What an exception thrown in a {@link DirectSnippets} class looks like to the traceback: its
 * chain, with each frame of that class or of a JShell wrapper turned into a "#snippet id" frame,
 * as JShell turns its own, and nothing below the last of them.
 */
final class WrapperFrames {
    private static final Pattern WRAPPER = Pattern.compile("REPL\\.\\$JShell\\$\\d+[A-Z]*");

    private final JShell shell;
    private final String className;
    private final String id;
    private final int bodyLine;
    private final Map<String, Snippet> wrappers = new HashMap<>();

    /**
     * @param className the class run
     * @param id the id its frames are recorded under in {@link SnippetOrigins}
     * @param bodyLine the line of its source where the cell's text starts
     */
    WrapperFrames(JShell shell, String className, String id, int bodyLine) {
        this.shell = shell;
        this.className = className;
        this.id = id;
        this.bodyLine = bodyLine;
    }

    /** The thrown chain, outermost first, with frames pointing at cells as JShell's would. */
    List<TracebackFormatter.Thrown> chain(ExecutionControl.RunException thrown) {
        List<TracebackFormatter.Thrown> chain = new ArrayList<>();
        for (Throwable e = thrown; e instanceof ExecutionControl.RunException run; e = e.getCause()) {
            StackTraceElement[] frames = frames(run.getStackTrace());
            if (run instanceof ExecutionControl.ResolutionException unresolved) {
                Snippet snippet = snippetById(Integer.toString(unresolved.id()));
                String message = snippet instanceof DeclarationSnippet declaration
                        ? TracebackFormatter.unresolvedMessage(shell, declaration) : "a declaration is not usable yet";
                chain.add(new TracebackFormatter.Thrown(CellError.UNRESOLVED_REFERENCE, message, frames));
            } else {
                ExecutionControl.UserException user = (ExecutionControl.UserException) run;
                chain.add(new TracebackFormatter.Thrown(SnippetNames.clean(user.causeExceptionClass()),
                        user.getMessage() == null ? "" : SnippetNames.clean(user.getMessage()), frames));
            }
        }
        return chain;
    }

    /** Frames of this class and of JShell's wrappers as "#snippet id" frames; nothing below the last of them. */
    private StackTraceElement[] frames(StackTraceElement[] raw) {
        int last = raw.length - 1;
        while (last > 0 && !raw[last].getClassName().startsWith(ReplClassFiles.PACKAGE + ".")) {
            last--;
        }
        List<StackTraceElement> mapped = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            StackTraceElement frame = raw[i];
            String type = frame.getClassName();
            String method = frame.getMethodName().equals(DirectSnippets.METHOD) ? "" : frame.getMethodName();
            Matcher wrapper = WRAPPER.matcher(type);
            if (type.equals(className) || type.startsWith(className + "$")) {
                String nested = type.equals(className) ? "" : type.substring(className.length() + 1);
                mapped.add(new StackTraceElement(nested, method, "#" + id,
                        Math.max(1, frame.getLineNumber() - bodyLine + 1)));
            } else if (wrapper.lookingAt()) {
                Snippet snippet = wrapperSnippet(wrapper.group());
                mapped.add(snippet == null ? frame : new StackTraceElement(SnippetNames.clean(type), method,
                        "#" + snippet.id(), snippetLine(snippet, frame.getLineNumber())));
            } else {
                mapped.add(frame);
            }
        }
        return mapped.toArray(StackTraceElement[]::new);
    }

    private Snippet wrapperSnippet(String wrapperClass) {
        if (wrappers.isEmpty()) {
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            shell.snippets().forEach(s -> wrappers.put(analysis.wrapper(s).fullClassName(), s));
        }
        return wrappers.get(wrapperClass);
    }

    /** Line {@code wrappedLine} of a snippet's wrapper class, as a line of the snippet's own text. */
    private int snippetLine(Snippet snippet, int wrappedLine) {
        SourceCodeAnalysis.SnippetWrapper wrapper = shell.sourceCodeAnalysis().wrapper(snippet);
        String wrapped = wrapper.wrapped();
        int position = 0;
        for (int line = 1; line < wrappedLine && position >= 0; line++) {
            position = wrapped.indexOf('\n', position) + 1;
            if (position == 0) {
                return 1;
            }
        }
        while (position < wrapped.length() && wrapped.charAt(position) != '\n'
                && Character.isWhitespace(wrapped.charAt(position))) {
            position++;
        }
        int inSource = wrapper.wrappedToSourcePosition(position);
        if (inSource < 0) {
            return 1;
        }
        String text = wrapper.source();
        int line = 1;
        for (int i = 0; i < Math.min(inSource, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private Snippet snippetById(String id) {
        return shell.snippets().filter(s -> s.id().equals(id)).findFirst().orElse(null);
    }
}
