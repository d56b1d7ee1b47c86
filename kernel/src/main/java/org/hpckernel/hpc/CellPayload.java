package org.hpckernel.hpc;

/**
 * What an %%hpc cell asks to run: a script with its own interpreter (the body starts with
 * "#!"), or Java run by the remote runner after the notebook's declarations.
 */
public record CellPayload(String body, boolean shebang) {
    public static CellPayload of(String body) {
        String b = body.stripLeading();
        return new CellPayload(shebang(b) ? b : body, shebang(b));
    }

    private static boolean shebang(String body) {
        return body.startsWith("#!");
    }
}
