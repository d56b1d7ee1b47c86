package org.hpckernel.magic;

import java.util.List;

/**
 * A cell split into its magics and its Java. {@code java} keeps the cell's line count (magic lines
 * become blank lines), so error line numbers still point at the cell as the user sees it.
 */
public record ParsedCell(List<Call> lineMagics, Call cellMagic, String java) {
    /** One magic invocation: its name, its raw argument text, and (cell magics) the body. */
    public record Call(String name, String arguments, String body) {}

    public boolean hasCellMagic() {
        return cellMagic != null;
    }
}
