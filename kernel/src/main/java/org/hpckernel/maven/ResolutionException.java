package org.hpckernel.maven;

/** Dependencies that could not be resolved, or bad input; the message is for the user. */
public final class ResolutionException extends Exception {
    public ResolutionException(String message) {
        super(message);
    }

    public ResolutionException(String message, Throwable cause) {
        super(message, cause);
    }

    static ResolutionException interrupted(java.util.List<MavenCoordinate> roots) {
        return new ResolutionException("interrupted while resolving " + roots.stream().map(MavenCoordinate::toString).toList()
                + ": the download was stopped and nothing was added to the class path (what was fully downloaded stays in the"
                + " local repository; a partial file does not). Run %maven again to resume.");
    }
}
