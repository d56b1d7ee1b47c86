package org.hpckernel.maven;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/** A remote repository: {@code %mavenRepo ID URL}, or Maven Central. */
public record MavenRepository(String id, String url) {
    public static final MavenRepository CENTRAL = new MavenRepository("central", "https://repo.maven.apache.org/maven2/");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.\\-]+");

    public static MavenRepository of(String id, String url) throws ResolutionException {
        if (!ID.matcher(id).matches()) {
            throw new ResolutionException("repository id \"" + id + "\" may hold only letters, digits, '.', '-' and '_'"
                    + " (it is what <mirrorOf> and <server> in settings.xml refer to)");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http") || scheme.equals("file")) || uri.getPath() == null) {
                throw new ResolutionException("repository " + id + ": \"" + url + "\" is not an http(s):// or file:// URL");
            }
        } catch (URISyntaxException e) {
            throw new ResolutionException("repository " + id + ": \"" + url + "\" is not a URL (" + e.getReason() + ")");
        }
        return new MavenRepository(id, url);
    }

    @Override
    public String toString() {
        return id + " (" + url + ")";
    }
}
