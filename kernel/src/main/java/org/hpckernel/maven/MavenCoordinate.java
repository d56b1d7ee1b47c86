package org.hpckernel.maven;

import java.util.regex.Pattern;

/**
 * An artifact as {@code %maven} takes it, the form Maven and JJava use:
 * {@code group:artifact:version}, {@code group:artifact:extension:version} or
 * {@code group:artifact:extension:classifier:version}.
 */
public record MavenCoordinate(String groupId, String artifactId, String extension, String classifier, String version) {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_.\\-+\\[\\](),]+");

    public static MavenCoordinate parse(String text) throws ResolutionException {
        String[] p = text.split(":", -1);
        MavenCoordinate c = switch (p.length) {
            case 3 -> new MavenCoordinate(p[0], p[1], "jar", "", p[2]);
            case 4 -> new MavenCoordinate(p[0], p[1], p[2], "", p[3]);
            case 5 -> new MavenCoordinate(p[0], p[1], p[2], p[3], p[4]);
            default -> throw new ResolutionException("\"" + text + "\" is not a Maven coordinate: write group:artifact:version,"
                    + " e.g. org.apache.commons:commons-text:1.12.0");
        };
        for (String part : new String[] {c.groupId, c.artifactId, c.extension}) {
            if (!PART.matcher(part).matches()) throw bad(text, part);
        }
        if (!c.classifier.isEmpty() && !PART.matcher(c.classifier).matches()) throw bad(text, c.classifier);
        if (!VERSION.matcher(c.version).matches()) throw bad(text, c.version);
        return c;
    }

    private static ResolutionException bad(String text, String part) {
        return new ResolutionException("\"" + text + "\" is not a Maven coordinate: \"" + part + "\" may hold only letters, digits,"
                + " '.', '-' and '_' (write group:artifact:version, e.g. org.apache.commons:commons-text:1.12.0)");
    }

    /** group:artifact (with extension and classifier when not a plain jar): the same library in any version. */
    public String versionlessKey() {
        return groupId + ":" + artifactId + (extension.equals("jar") && classifier.isEmpty() ? "" : ":" + extension + ":" + classifier);
    }

    @Override
    public String toString() {
        if (classifier.isEmpty()) {
            return extension.equals("jar") ? groupId + ":" + artifactId + ":" + version
                    : groupId + ":" + artifactId + ":" + extension + ":" + version;
        }
        return groupId + ":" + artifactId + ":" + extension + ":" + classifier + ":" + version;
    }
}
