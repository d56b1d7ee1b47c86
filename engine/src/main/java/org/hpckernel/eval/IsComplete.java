package org.hpckernel.eval;

/**
 * Answer to Jupyter's is_complete_request.
 *
 * @param status "complete", "incomplete" or "invalid"
 * @param indent for "incomplete", what to put at the start of the next line
 */
public record IsComplete(String status, String indent) {
    public static final String COMPLETE = "complete";
    public static final String INCOMPLETE = "incomplete";
    public static final String INVALID = "invalid";
}
