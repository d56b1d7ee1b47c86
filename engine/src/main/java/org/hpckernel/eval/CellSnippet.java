package org.hpckernel.eval;

/**
 * One snippet of a cell.
 *
 * @param source what to give JShell (leading whitespace removed, a missing ';' added)
 * @param start offset in the cell of {@code source}'s first character
 * @param end offset in the cell just after the snippet's text
 * @param complete false when the cell ends in the middle of this snippet
 */
record CellSnippet(String source, int start, int end, boolean complete) {
}
