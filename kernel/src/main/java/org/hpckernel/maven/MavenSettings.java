package org.hpckernel.maven;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.settings.Mirror;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.io.xpp3.SettingsXpp3Reader;
import org.codehaus.plexus.util.xml.pull.XmlPullParserException;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.repository.Authentication;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.eclipse.aether.util.repository.DefaultAuthenticationSelector;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.DefaultProxySelector;

/**
 * The user's Maven settings, as {@code mvn} reads them: {@code ~/.m2/settings.xml} (or the file
 * named by {@value #SETTINGS_VARIABLE}, like {@code mvn -s}) merged over the installation's global
 * {@code ${maven.conf}/settings.xml} ({@code $MAVEN_HOME/conf/settings.xml}), with the local
 * repository, offline flag, mirrors, proxies and server credentials. {@code ${user.home}} and
 * {@code ${env.NAME}} are expanded as Maven does. Encrypted passwords ({@code {...}}, from
 * settings-security.xml) are not decrypted: the credential is left out and {@link #warnings()} says so.
 */
public final class MavenSettings {
    public static final String SETTINGS_VARIABLE = "HPC_KERNEL_MAVEN_SETTINGS";
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{(user\\.home|env\\.[A-Za-z_][A-Za-z0-9_]*)}");

    private final Path source;
    private final Path global;
    private final Settings settings;
    private final Path home;
    private final List<String> warnings;

    private MavenSettings(Path source, Path global, Settings settings, Path home) {
        this.source = source;
        this.global = global;
        this.settings = settings;
        this.home = home;
        this.warnings = EncryptedPasswords.warnings(settings, source, global);
    }

    public static MavenSettings load() throws ResolutionException {
        return load(System.getenv(), Path.of(System.getProperty("user.home")), System.getProperty("maven.conf"));
    }

    /** With the given environment and home directory, so that tests need not touch the real ones. */
    public static MavenSettings load(Map<String, String> env, Path home) throws ResolutionException {
        return load(env, home, null);
    }

    /**
     * @param mavenConf the {@code maven.conf} property (Maven's conf directory), or null: then
     *     {@code $MAVEN_HOME/conf}, or no global settings without MAVEN_HOME
     */
    public static MavenSettings load(Map<String, String> env, Path home, String mavenConf) throws ResolutionException {
        Path globalFile = globalFile(env, mavenConf);
        Settings globalSettings = globalFile != null && Files.isRegularFile(globalFile) ? read(globalFile, env, home) : null;
        if (globalSettings == null) globalFile = null;
        Path file = userFile(env, home);
        Settings user = file != null ? read(file, env, home) : null;
        Settings merged = globalSettings == null ? (user == null ? new Settings() : user)
                : user == null ? globalSettings : SettingsMerge.userOverGlobal(user, globalSettings);
        return new MavenSettings(file, globalFile, merged, home);
    }

    private static Path globalFile(Map<String, String> env, String mavenConf) throws ResolutionException {
        String conf = mavenConf != null && !mavenConf.isBlank() ? mavenConf : null;
        String mavenHome = env.get("MAVEN_HOME");
        try {
            if (conf != null) return Path.of(conf).resolve("settings.xml");
            return mavenHome != null && !mavenHome.isBlank() ? Path.of(mavenHome).resolve("conf").resolve("settings.xml") : null;
        } catch (InvalidPathException e) {
            throw new ResolutionException((conf != null ? "maven.conf" : "$MAVEN_HOME") + " is not a valid path: "
                    + (conf != null ? conf : mavenHome) + " (it names Maven's installation, whose conf/settings.xml is read)");
        }
    }

    /** The user's settings file, or null when there is none. */
    private static Path userFile(Map<String, String> env, Path home) throws ResolutionException {
        String named = env.get(SETTINGS_VARIABLE);
        Path file;
        try {
            file = named != null && !named.isBlank() ? Path.of(named) : home.resolve(".m2").resolve("settings.xml");
        } catch (InvalidPathException e) {
            throw new ResolutionException("$" + SETTINGS_VARIABLE + " is not a valid path: " + named);
        }
        if (!Files.exists(file)) {
            if (named != null && !named.isBlank()) {
                throw new ResolutionException(file + ": no such file (named by $" + SETTINGS_VARIABLE + "); create it or unset the variable");
            }
            return null;
        }
        return file;
    }

    private static Settings read(Path file, Map<String, String> env, Path home) throws ResolutionException {
        try {
            String text = expand(Files.readString(file), env, home);
            return new SettingsXpp3Reader().read(new StringReader(text), false);
        } catch (IOException | XmlPullParserException e) {
            throw new ResolutionException("cannot read the Maven settings " + file + ": " + e.getMessage()
                    + " (fix the file, or point $" + SETTINGS_VARIABLE + " at another one)", e);
        }
    }

    private static String expand(String text, Map<String, String> env, Path home) {
        Matcher m = EXPRESSION.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = name.equals("user.home") ? home.toString() : env.get(name.substring("env.".length()));
            m.appendReplacement(sb, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The user's settings file read, or null when there is none (Maven's defaults then). */
    public Path source() {
        return source;
    }

    /** The global settings file read (under the user's), or null when there is none. */
    public Path global() {
        return global;
    }

    /** What the user must know about these settings: credentials left out (never their values). */
    public List<String> warnings() {
        return warnings;
    }

    public Path localRepository() {
        String configured = settings.getLocalRepository();
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured.strip());
            return p.isAbsolute() ? p : home.resolve(p);
        }
        String property = System.getProperty("maven.repo.local");
        return property != null && !property.isBlank() ? Path.of(property) : home.resolve(".m2").resolve("repository");
    }

    public boolean offline() {
        return settings.isOffline();
    }

    /** Mirrors, proxies, credentials and offline mode into a resolver session. */
    void applyTo(RepositorySystemSession.SessionBuilder session) {
        DefaultMirrorSelector mirrors = new DefaultMirrorSelector();
        for (Mirror m : settings.getMirrors()) {
            mirrors.add(m.getId(), m.getUrl(), m.getLayout(), false, m.isBlocked(), m.getMirrorOf(), m.getMirrorOfLayouts());
        }
        DefaultProxySelector proxies = new DefaultProxySelector();
        for (Proxy p : settings.getProxies()) {
            if (!p.isActive()) continue;
            // An encrypted password would be sent as is, and fail as a wrong one: only the user name goes.
            String password = EncryptedPasswords.isEncrypted(p.getPassword()) ? null : p.getPassword();
            Authentication auth = p.getUsername() == null ? null
                    : new AuthenticationBuilder().addUsername(p.getUsername()).addPassword(password).build();
            proxies.add(new org.eclipse.aether.repository.Proxy(p.getProtocol(), p.getHost(), p.getPort(), auth), p.getNonProxyHosts());
        }
        DefaultAuthenticationSelector credentials = new DefaultAuthenticationSelector();
        for (Server s : settings.getServers()) {
            String password = EncryptedPasswords.isEncrypted(s.getPassword()) ? null : s.getPassword();
            String passphrase = EncryptedPasswords.isEncrypted(s.getPassphrase()) ? null : s.getPassphrase();
            AuthenticationBuilder auth = new AuthenticationBuilder().addUsername(s.getUsername()).addPassword(password);
            if (s.getPrivateKey() != null) auth.addPrivateKey(s.getPrivateKey(), passphrase);
            credentials.add(s.getId(), auth.build());
        }
        session.setMirrorSelector(mirrors).setProxySelector(proxies).setAuthenticationSelector(credentials).setOffline(offline());
    }
}
