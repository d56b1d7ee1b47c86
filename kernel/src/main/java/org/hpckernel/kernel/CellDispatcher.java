package org.hpckernel.kernel;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.display.MimeRenderer;
import org.hpckernel.eval.CellError;
import org.hpckernel.eval.CellOutput;
import org.hpckernel.eval.CellResult;
import org.hpckernel.eval.Inspection;
import org.hpckernel.eval.JavaEvaluator;
import org.hpckernel.magic.CellMagic;
import org.hpckernel.magic.LineMagic;
import org.hpckernel.magic.MagicArgs;
import org.hpckernel.magic.MagicContext;
import org.hpckernel.magic.MagicException;
import org.hpckernel.magic.MagicParser;
import org.hpckernel.magic.MagicRegistry;
import org.hpckernel.magic.ParsedCell;
import org.hpckernel.protocol.content.ErrorContent;

/**
 * Decides what a cell is (a help request {@code name?}, magics, Java) and runs it. Knows nothing
 * of sockets: output goes to the {@link CellOutput} it is given.
 */
final class CellDispatcher {
    private static final Pattern HELP = Pattern.compile("^\\s*([A-Za-z_$][\\w$.]*(?:\\(\\))?)\\?{1,2}\\s*$");

    private final EvaluatorStartup evaluator;
    private final MagicRegistry magics;
    private volatile Runnable interruptAction;

    CellDispatcher(EvaluatorStartup evaluator, MagicRegistry magics) {
        this.evaluator = evaluator;
        this.magics = magics;
    }

    CellOutcome run(String code, int executionCount, CellOutput output, java.util.Map<String, String> origin) {
        Matcher help = HELP.matcher(code);
        if (help.matches()) return page(help.group(1));
        ParsedCell cell = MagicParser.parse(code);
        Context context = new Context(output, origin);
        interruptAction = null;
        try {
            MimeBundle last = null;
            for (ParsedCell.Call call : cell.lineMagics()) {
                LineMagic magic = magics.line(call.name()).orElseThrow(() -> unknown("%", call.name()));
                last = magic.run(MagicArgs.split(call.arguments()), context);
            }
            if (cell.hasCellMagic()) {
                ParsedCell.Call call = cell.cellMagic();
                CellMagic magic = magics.cell(call.name()).orElseThrow(() -> unknown("%%", call.name()));
                return CellOutcome.ok(magic.run(MagicArgs.split(call.arguments()), call.body(), context));
            }
            if (cell.java().isBlank()) return CellOutcome.ok(last);
            CellResult result = evaluator.get().eval(cell.java(), executionCount);
            if (result.error() != null) return CellOutcome.failed(toContent(result.error()));
            boolean show = result.hasValue() && !endsWithSemicolon(cell.java());
            return CellOutcome.ok(show ? MimeRenderer.render(result.value()) : null);
        } catch (MagicException e) {
            return CellOutcome.failed(new ErrorContent(e.ename(), e.getMessage(), e.traceback()));
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return CellOutcome.failed(new ErrorContent(e.getClass().getSimpleName(), message,
                    List.of(e.getClass().getName() + ": " + message)));
        } finally {
            interruptAction = null;
        }
    }

    /** Called from the control thread. */
    void interrupt() {
        Runnable action = interruptAction;
        if (action != null) action.run();
        JavaEvaluator started = evaluator.ifStarted();
        if (started != null) started.interrupt();
    }

    private CellOutcome page(String name) {
        String expression = name.endsWith("()") ? name.substring(0, name.length() - 2) : name;
        Inspection found = evaluator.get().inspect(expression, expression.length(), 1);
        return CellOutcome.page(found.found() ? found.text() : "No documentation found for " + expression);
    }

    private MagicException unknown(String sigil, String name) {
        List<String> known = (sigil.equals("%%") ? magics.cellMagics() : magics.lineMagics()).keySet().stream()
                .sorted().map(n -> sigil + n).toList();
        return MagicException.usage("unknown magic " + sigil + name + "; known: " + String.join(", ", known)
                + " (%lsmagic lists them)");
    }

    /**
     * As in IPython, a final ';' hides the cell's value: {@code display(x);} shows the display,
     * not the id it returns. A trailing line comment does not count.
     */
    static boolean endsWithSemicolon(String java) {
        String[] lines = java.stripTrailing().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i];
            int comment = line.indexOf("//");
            if (comment >= 0 && line.lastIndexOf('"', comment) < 0) line = line.substring(0, comment);
            line = line.stripTrailing();
            if (!line.isEmpty()) return line.endsWith(";");
        }
        return false;
    }

    static ErrorContent toContent(CellError error) {
        return new ErrorContent(error.ename(), error.evalue(), error.traceback());
    }

    private final class Context implements MagicContext {
        private final CellOutput output;
        private final java.util.Map<String, String> origin;

        Context(CellOutput output, java.util.Map<String, String> origin) {
            this.output = output;
            this.origin = origin;
        }

        @Override
        public java.util.Map<String, String> origin() {
            return origin;
        }

        @Override
        public JavaEvaluator evaluator() {
            return evaluator.get();
        }

        @Override
        public CellOutput output() {
            return output;
        }

        @Override
        public void onInterrupt(Runnable action) {
            interruptAction = action;
        }
    }
}
