package org.hpckernel.eval;

/**
 * What a cell produced besides its side effects.
 *
 * @param value the cell's final value, the real object (render it with
 *     {@link org.hpckernel.display.MimeRenderer}); null when there is none or it is null
 * @param hasValue true only when the cell ends in an expression with a non-void value
 * @param error why the cell stopped, or null when it ran to the end
 */
public record CellResult(Object value, boolean hasValue, CellError error) {
    private static final CellResult NO_VALUE = new CellResult(null, false, null);

    public static CellResult noValue() {
        return NO_VALUE;
    }

    public static CellResult of(Object value) {
        return new CellResult(value, true, null);
    }

    public static CellResult failed(CellError error) {
        return new CellResult(null, false, error);
    }

    public boolean isError() {
        return error != null;
    }
}
