package org.hpckernel.hpc.transport;

import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.OpenSSHConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills in what clusters.json leaves out from the user's OpenSSH config (~/.ssh/config), read
 * with JSch's {@link OpenSSHConfig}: HostName, User, Port, IdentityFile, IdentitiesOnly,
 * UserKnownHostsFile, GlobalKnownHostsFile, StrictHostKeyChecking, HostKeyAlias, ProxyJump (and
 * the simple {@code ProxyCommand ssh -W %h:%p host} form), BatchMode, ConnectTimeout,
 * ServerAliveInterval/CountMax, algorithm lists and the authentication switches.
 * <p>
 * Before JSch parses the file, {@code Include} lines are replaced by the included files and
 * {@code Match} blocks (which JSch does not understand: their lines would silently join the Host
 * block above) are skipped, except {@code Match all}. {@code ~} and the tokens %d %h %p %r %u %n
 * %% are expanded in file names.
 */
public final class SshConfigResolver {
    /** A Host pattern that matches nothing: the target of skipped Match blocks. */
    private static final String NEVER = "hpc-kernel.unsupported-match.invalid";
    private static final Pattern KEYWORD = Pattern.compile("^\\s*([A-Za-z]+)\\s*(?:=\\s*|\\s+)(.*?)\\s*$");
    private static final int DEFAULT_CONNECT_TIMEOUT = 15_000;
    private static final int DEFAULT_ALIVE_INTERVAL = 15_000;
    private static final int DEFAULT_ALIVE_COUNT = 3;
    private static final List<String> ALGORITHM_KEYS =
            List.of("kex", "server_host_key", "cipher.c2s", "cipher.s2c", "mac.c2s", "mac.s2c");

    /** Settings given in clusters.json (null = not given), and what a jump host takes from its cluster. */
    record Overrides(Integer port, String user, String identityFile, String knownHostsFile, String proxyJump,
            boolean acceptNewHostKeys, String fallbackIdentityFile, String fallbackKnownHostsFile) {}

    private final OpenSSHConfig config;
    private final Path source;
    private final Path home;
    private final String localUser;
    private final List<Path> defaultGlobalKnownHosts;
    private final List<String> notes;

    private SshConfigResolver(OpenSSHConfig config, Path source, Path home, List<Path> defaultGlobalKnownHosts,
            List<String> notes) {
        this.config = config;
        this.source = source;
        this.home = home;
        this.localUser = System.getProperty("user.name");
        this.defaultGlobalKnownHosts = List.copyOf(defaultGlobalKnownHosts);
        this.notes = List.copyOf(notes);
    }

    /** ~/.ssh/config with the system's /etc/ssh/ssh_known_hosts files. */
    public static SshConfigResolver loadDefault() throws IOException {
        Path home = Path.of(System.getProperty("user.home"));
        return load(home.resolve(".ssh").resolve("config"), home,
                List.of(Path.of("/etc/ssh/ssh_known_hosts"), Path.of("/etc/ssh/ssh_known_hosts2")));
    }

    /**
     * Reads {@code file} (a missing file or null means no config) ; {@code home} is where ~ and the
     * default key and known_hosts files are.
     */
    public static SshConfigResolver load(Path file, Path home, List<Path> defaultGlobalKnownHosts) throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            return new SshConfigResolver(null, file, home, defaultGlobalKnownHosts, List.of());
        }
        List<String> notes = new ArrayList<>();
        String text = preprocess(file, home, 0, notes);
        OpenSSHConfig parsed;
        try {
            parsed = OpenSSHConfig.parse(text);
        } catch (IOException | RuntimeException e) {
            throw new SshException(SshException.Kind.CONFIG, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return new SshConfigResolver(parsed, file, home, defaultGlobalKnownHosts, notes);
    }

    /** Things in the config file that were skipped (Match blocks), for the log. */
    public List<String> notes() {
        return notes;
    }

    /** The file the settings came from (may not exist). */
    public Path source() {
        return source;
    }

    /** Inlines Include files and neutralizes Match blocks, as text JSch's parser can take. */
    static String preprocess(Path file, Path home, int depth, List<String> notes) throws IOException {
        if (depth > 16) throw new SshException(SshException.Kind.CONFIG, file + ": Include nested more than 16 deep (a loop?)");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\r?\n", -1)) {
            Matcher m = KEYWORD.matcher(line);
            String keyword = m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : "";
            if (keyword.equals("include")) {
                for (String pattern : words(m.group(2))) {
                    for (Path included : expandInclude(pattern, home)) {
                        out.append("# Include ").append(included).append('\n');
                        out.append(preprocess(included, home, depth + 1, notes)).append('\n');
                    }
                }
            } else if (keyword.equals("match")) {
                if (m.group(2).strip().equalsIgnoreCase("all")) {
                    out.append("Host *\n");
                } else {
                    notes.add(file + ": \"" + line.strip() + "\" is not supported; its settings are ignored");
                    out.append("Host ").append(NEVER).append('\n');
                }
            } else {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static List<Path> expandInclude(String pattern, Path home) throws IOException {
        String p = pattern;
        if (p.equals("~")) p = home.toString();
        else if (p.startsWith("~/")) p = home + p.substring(1);
        Path path = Path.of(p);
        if (!path.isAbsolute()) path = home.resolve(".ssh").resolve(p);
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        if (!(name.contains("*") || name.contains("?") || name.contains("["))) {
            return Files.isRegularFile(path) ? List.of(path) : List.of();
        }
        Path dir = path.getParent();
        if (dir == null || !Files.isDirectory(dir)) return List.of();
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + name);
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                if (matcher.matches(e.getFileName()) && Files.isRegularFile(e)) found.add(e);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        found.sort(null);
        return found;
    }

    /** Whitespace-separated words; double quotes group. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
                any = true;
            } else if (!quoted && Character.isWhitespace(ch)) {
                if (any) out.add(w.toString());
                w.setLength(0);
                any = false;
            } else {
                w.append(ch);
                any = true;
            }
        }
        if (any) out.add(w.toString());
        return out;
    }

    /** The login node of a cluster. */
    public SshEndpoint resolve(String alias, Integer port, String user, String identityFile, String knownHostsFile,
            String proxyJump, boolean acceptNewHostKeys) throws SshException {
        return resolve(alias, new Overrides(port, user, identityFile, knownHostsFile, proxyJump, acceptNewHostKeys, null, null));
    }

    SshEndpoint resolve(String alias, Overrides o) throws SshException {
        if (alias == null || alias.isBlank()) throw new SshException(SshException.Kind.CONFIG, "no host name given");
        ConfigRepository.Config c = config == null ? null : config.getConfig(alias);
        String configHost = c == null ? null : c.getHostname();
        String host = configHost == null ? alias : configHost.replace("%h", alias).replace("%%", "%");
        int port = o.port() != null ? o.port() : (c != null && c.getPort() > 0 ? c.getPort() : 22);
        String configUser = c == null ? null : c.getUser();
        String user = o.user() != null ? o.user() : configUser != null ? configUser : localUser;
        Tokens tokens = new Tokens(alias, host, port, user);

        List<Path> ids = new ArrayList<>();
        boolean explicit;
        if (o.identityFile() != null) {
            ids.add(path(o.identityFile(), tokens));
            explicit = true;
        } else {
            String[] configured = values(c, "IdentityFile");
            if (configured.length > 0) {
                for (String v : configured) {
                    Path p = path(v, tokens);
                    if (!ids.contains(p)) ids.add(p);
                }
                explicit = true;
            } else {
                if (o.fallbackIdentityFile() != null) ids.add(path(o.fallbackIdentityFile(), tokens));
                for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
                    Path p = home.resolve(".ssh").resolve(name);
                    if (Files.isRegularFile(p) && !ids.contains(p)) ids.add(p);
                }
                explicit = false;
            }
        }
        boolean identitiesOnly = yes(value(c, "IdentitiesOnly"));

        List<Path> known = new ArrayList<>();
        if (o.knownHostsFile() != null) {
            known.add(path(o.knownHostsFile(), tokens));
        } else {
            String configured = value(c, "UserKnownHostsFile");
            if (configured != null && !configured.isBlank()) {
                for (String w : words(configured)) known.add(path(w, tokens));
            } else if (o.fallbackKnownHostsFile() != null) {
                known.add(path(o.fallbackKnownHostsFile(), tokens));
            } else {
                known.add(home.resolve(".ssh").resolve("known_hosts"));
                known.add(home.resolve(".ssh").resolve("known_hosts2"));
            }
        }
        if (known.isEmpty()) known.add(home.resolve(".ssh").resolve("known_hosts"));
        List<Path> global = new ArrayList<>();
        String globalConfigured = value(c, "GlobalKnownHostsFile");
        if (globalConfigured != null && !globalConfigured.isBlank()) {
            for (String w : words(globalConfigured)) global.add(path(w, tokens));
        } else {
            global.addAll(defaultGlobalKnownHosts);
        }

        String strict = value(c, "StrictHostKeyChecking");
        boolean acceptNew = o.acceptNewHostKeys()
                || (strict != null && List.of("accept-new", "no", "off").contains(strict.strip().toLowerCase(Locale.ROOT)));

        String jump = o.proxyJump();
        if (jump == null) jump = value(c, "ProxyJump");
        if (jump == null) jump = proxyCommandAsJump(alias, value(c, "ProxyCommand"));
        try {
            if (SshJumpProxy.parse(jump).isEmpty()) jump = null;
        } catch (IllegalArgumentException e) {
            throw new SshException(SshException.Kind.CONFIG, "host " + alias + ": " + e.getMessage());
        }

        Map<String, String> jsch = new LinkedHashMap<>();
        for (String key : ALGORITHM_KEYS) {
            String v = value(c, key);
            if (v != null && !v.isBlank()) jsch.put(key, v);
        }
        String pubkeyAlgorithms = value(c, "PubkeyAcceptedAlgorithms");
        if (pubkeyAlgorithms == null) pubkeyAlgorithms = value(c, "PubkeyAcceptedKeyTypes");
        if (pubkeyAlgorithms != null && !pubkeyAlgorithms.isBlank()) jsch.put("PubkeyAcceptedAlgorithms", pubkeyAlgorithms);
        jsch.put("PreferredAuthentications", authMethods(c));

        int connectTimeout = millis(value(c, "ConnectTimeout"), DEFAULT_CONNECT_TIMEOUT);
        int aliveInterval = millis(value(c, "ServerAliveInterval"), DEFAULT_ALIVE_INTERVAL);
        int aliveCount = millis(value(c, "ServerAliveCountMax"), DEFAULT_ALIVE_COUNT);

        return new SshEndpoint(alias, host, port, user, ids, identitiesOnly, explicit, known, global,
                value(c, "HostKeyAlias"), jump, acceptNew, yes(value(c, "BatchMode")), connectTimeout,
                aliveInterval, aliveCount, jsch);
    }

    /**
     * The jump hosts in front of {@code target}, first hop first. A hop's own settings come from
     * ssh_config; the first hop's own ProxyJump is followed (as OpenSSH does); the cluster's
     * identity and known_hosts files serve a hop whose ssh_config names none.
     */
    List<SshEndpoint> resolveJumps(SshEndpoint target, String clusterIdentityFile, String clusterKnownHostsFile,
            boolean acceptNew) throws SshException {
        List<SshEndpoint> chain = new ArrayList<>();
        addJumps(target.proxyJump(), clusterIdentityFile, clusterKnownHostsFile, acceptNew, chain, 0);
        return chain;
    }

    private void addJumps(String spec, String identity, String knownHosts, boolean acceptNew, List<SshEndpoint> chain,
            int depth) throws SshException {
        if (spec == null) return;
        if (depth > 8) throw new SshException(SshException.Kind.CONFIG, "ProxyJump chain longer than 8 hops (a loop in ssh_config?)");
        List<SshJumpProxy.Hop> hops;
        try {
            hops = SshJumpProxy.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new SshException(SshException.Kind.CONFIG, e.getMessage());
        }
        for (int i = 0; i < hops.size(); i++) {
            SshJumpProxy.Hop hop = hops.get(i);
            // Only the first hop's own ProxyJump counts (ssh -J a,b: b is reached through a).
            SshEndpoint e = resolve(hop.host(), new Overrides(hop.port(), hop.user(), null, null, i == 0 ? null : "none",
                    acceptNew, identity, knownHosts));
            if (i == 0 && e.proxyJump() != null) {
                addJumps(e.proxyJump(), identity, knownHosts, acceptNew, chain, depth + 1);
            }
            chain.add(e);
        }
    }

    /** {@code ProxyCommand ssh [-q] [-p port] [-l user] [-i key] -W %h:%p host}: the same as ProxyJump host. */
    static String proxyCommandAsJump(String alias, String command) throws SshException {
        if (command == null || command.isBlank() || command.strip().equalsIgnoreCase("none")) return null;
        List<String> w = words(command);
        String unsupported = "host " + alias + ": ProxyCommand \"" + command.strip() + "\" is not supported (only the form "
                + "\"ssh -W %h:%p jumphost\"): use ProxyJump jumphost instead";
        if (w.isEmpty() || !(w.get(0).equals("ssh") || w.get(0).endsWith("/ssh"))) {
            throw new SshException(SshException.Kind.CONFIG, unsupported);
        }
        String user = null;
        String port = null;
        String host = null;
        boolean forward = false;
        for (int i = 1; i < w.size(); i++) {
            String a = w.get(i);
            switch (a) {
                case "-W" -> {
                    if (i + 1 >= w.size() || !w.get(i + 1).equals("%h:%p")) throw new SshException(SshException.Kind.CONFIG, unsupported);
                    forward = true;
                    i++;
                }
                case "-p" -> {
                    if (i + 1 >= w.size()) throw new SshException(SshException.Kind.CONFIG, unsupported);
                    port = w.get(++i);
                }
                case "-l" -> {
                    if (i + 1 >= w.size()) throw new SshException(SshException.Kind.CONFIG, unsupported);
                    user = w.get(++i);
                }
                case "-q", "-T", "-x", "-a", "-C", "-4", "-6" -> { }
                default -> {
                    if (a.startsWith("-") || host != null) throw new SshException(SshException.Kind.CONFIG, unsupported);
                    host = a;
                }
            }
        }
        if (!forward || host == null) throw new SshException(SshException.Kind.CONFIG, unsupported);
        if (user != null && !host.contains("@")) host = user + "@" + host;
        return port == null ? host : host + ":" + port;
    }

    private String authMethods(ConfigRepository.Config c) {
        String configured = value(c, "PreferredAuthentications");
        List<String> methods = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            for (String m : configured.split(",")) if (!m.isBlank()) methods.add(m.strip());
        } else {
            if (yes(value(c, "GSSAPIAuthentication"))) methods.add("gssapi-with-mic");
            methods.addAll(List.of("publickey", "keyboard-interactive", "password"));
        }
        if (no(value(c, "PubkeyAuthentication"))) methods.remove("publickey");
        if (no(value(c, "KbdInteractiveAuthentication")) || no(value(c, "ChallengeResponseAuthentication"))) {
            methods.remove("keyboard-interactive");
        }
        if (no(value(c, "PasswordAuthentication"))) methods.remove("password");
        if (methods.isEmpty()) methods.add("publickey");
        return String.join(",", methods);
    }

    private static String value(ConfigRepository.Config c, String key) {
        if (c == null) return null;
        try {
            String v = c.getValue(key);
            return v == null ? null : v.strip();
        } catch (RuntimeException e) {
            return null; // JSch's parser trips over some +/-/^ lists of keys it does not map
        }
    }

    private static String[] values(ConfigRepository.Config c, String key) {
        if (c == null) return new String[0];
        try {
            String[] v = c.getValues(key);
            return v == null ? new String[0] : v;
        } catch (RuntimeException e) {
            return new String[0];
        }
    }

    private static boolean yes(String v) {
        return v != null && List.of("yes", "true", "on").contains(v.toLowerCase(Locale.ROOT));
    }

    private static boolean no(String v) {
        return v != null && List.of("no", "false", "off").contains(v.toLowerCase(Locale.ROOT));
    }

    private static int millis(String v, int fallback) {
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v.strip());
            return n > 0 ? n : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private record Tokens(String alias, String host, int port, String user) {}

    private Path path(String value, Tokens t) {
        String v = value.strip();
        if (v.equals("~")) v = home.toString();
        else if (v.startsWith("~/")) v = home + v.substring(1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch != '%' || i + 1 >= v.length()) {
                out.append(ch);
                continue;
            }
            char token = v.charAt(++i);
            switch (token) {
                case '%' -> out.append('%');
                case 'd' -> out.append(home);
                case 'h' -> out.append(t.host());
                case 'p' -> out.append(t.port());
                case 'r' -> out.append(t.user());
                case 'u' -> out.append(localUser);
                case 'n' -> out.append(t.alias());
                default -> out.append('%').append(token);
            }
        }
        Path p = Path.of(out.toString());
        return p.isAbsolute() ? p : home.resolve(p);
    }
}
