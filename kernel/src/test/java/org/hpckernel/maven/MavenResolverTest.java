package org.hpckernel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.hpckernel.maven.MavenResolver.ResolvedJar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maven Resolver against repositories the test writes on disk (file:// URLs): no network. Every
 * settings file mirrors Maven Central to a local directory, so that nothing here reaches out.
 */
class MavenResolverTest {
    @TempDir
    Path tmp;
    TestRepository repo;
    Path local;

    @BeforeEach
    void setUp() throws Exception {
        repo = new TestRepository(tmp.resolve("remote"));
        local = tmp.resolve("local-repo");
        repo.publish("org.example:app:1.0", "org.example:lib:1.0", "org.example:tool:1.0", "org.example:tests:1.0:test",
                        "org.example:container:1.0:provided", "org.example:driver:1.0:runtime")
                .publish("org.example:tool:1.0", "org.example:lib:2.0")
                .publish("org.example:lib:1.0").publish("org.example:lib:2.0")
                .publish("org.example:tests:1.0").publish("org.example:container:1.0").publish("org.example:driver:1.0");
    }

    private MavenSettings settings(String mirrorOf, TestRepository mirror) throws Exception {
        Path file = TestRepository.settings(tmp.resolve("home/.m2"), local, mirrorOf, mirror);
        return MavenSettings.load(Map.of(MavenSettings.SETTINGS_VARIABLE, file.toString()), tmp.resolve("home"));
    }

    private static List<MavenCoordinate> coordinates(String... text) throws ResolutionException {
        List<MavenCoordinate> list = new ArrayList<>();
        for (String t : text) list.add(MavenCoordinate.parse(t));
        return list;
    }

    private static List<String> names(List<ResolvedJar> jars) {
        return jars.stream().map(j -> j.coordinate().toString()).toList();
    }

    private static String which(Path jar) throws Exception {
        try (JarFile f = new JarFile(jar.toFile())) {
            return new String(f.getInputStream(f.getEntry("which.txt")).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void runtimeDependenciesWithTheNearestVersionThroughTheMirrorIntoTheLocalRepository() throws Exception {
        List<ResolvedJar> jars = new MavenResolver(settings("*", repo)).resolve(coordinates("org.example:app:1.0"), List.of());
        // lib 1.0 (depth 1) wins over tool's lib 2.0 (depth 2); test and provided scopes stay out.
        assertEquals(List.of("org.example:app:1.0", "org.example:lib:1.0", "org.example:tool:1.0", "org.example:driver:1.0"), names(jars));
        for (ResolvedJar jar : jars) {
            assertTrue(jar.file().startsWith(local), jar.file() + " is not in the local repository " + local);
            assertEquals(jar.coordinate().toString(), which(jar.file()));
        }
    }

    @Test
    void allCoordinatesAreResolvedTogetherSoTheFirstDeclaredWinsAtEqualDepth() throws Exception {
        MavenResolver resolver = new MavenResolver(settings("*", repo));
        // lib is at depth 2 under both tool (2.0) and app (1.0): one lib comes out, the first declared path's.
        List<String> toolFirst = names(resolver.resolve(coordinates("org.example:tool:1.0", "org.example:app:1.0"), List.of()));
        assertEquals(List.of("org.example:tool:1.0", "org.example:app:1.0", "org.example:lib:2.0", "org.example:driver:1.0"), toolFirst);
        List<String> appFirst = names(resolver.resolve(coordinates("org.example:app:1.0", "org.example:tool:1.0"), List.of()));
        assertEquals(List.of("org.example:app:1.0", "org.example:tool:1.0", "org.example:lib:1.0", "org.example:driver:1.0"), appFirst);
        List<String> direct = names(resolver.resolve(coordinates("org.example:tool:1.0", "org.example:lib:1.0"), List.of()));
        assertEquals(List.of("org.example:tool:1.0", "org.example:lib:1.0"), direct, "a direct dependency is nearest");
    }

    @Test
    void aRepositoryOfTheSessionIsAskedBeforeCentralWhoseMirrorIsEmpty() throws Exception {
        TestRepository empty = new TestRepository(Files.createDirectories(tmp.resolve("empty")));
        MavenSettings s = settings("central", empty);
        List<ResolvedJar> jars = new MavenResolver(s).resolve(coordinates("org.example:tool:1.0"),
                List.of(MavenRepository.of("mine", repo.url())));
        assertEquals(List.of("org.example:tool:1.0", "org.example:lib:2.0"), names(jars));
    }

    @Test
    void anHttpRepositoryIsReachedThroughTheProxyOfTheSettings() throws Exception {
        // A proxy on loopback that serves the test repository for any host: the repository's host
        // does not exist, so only a request through the proxy can succeed.
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        com.sun.net.httpserver.HttpServer proxy = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        proxy.createContext("/", exchange -> {
            java.net.URI uri = exchange.getRequestURI();
            seen.add(uri.getHost() + " " + exchange.getRequestMethod());
            Path file = repo.root.resolve(uri.getPath().replaceFirst("^/maven2/", ""));
            byte[] body = uri.getHost() != null && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null || exchange.getRequestMethod().equals("HEAD") ? -1 : body.length);
            if (body != null && !exchange.getRequestMethod().equals("HEAD")) exchange.getResponseBody().write(body);
            exchange.close();
        });
        proxy.start();
        try {
            TestRepository empty = new TestRepository(Files.createDirectories(tmp.resolve("empty")));
            Path file = TestRepository.settings(tmp.resolve("home/.m2"), local, "central", empty);
            Files.writeString(file, Files.readString(file).replace("</settings>", "<proxies><proxy><id>p</id><active>true</active>"
                    + "<protocol>http</protocol><host>127.0.0.1</host><port>" + proxy.getAddress().getPort() + "</port></proxy></proxies></settings>"));
            MavenSettings s = MavenSettings.load(Map.of(MavenSettings.SETTINGS_VARIABLE, file.toString()), tmp.resolve("home"));
            List<ResolvedJar> jars = new MavenResolver(s).resolve(coordinates("org.example:tool:1.0"),
                    List.of(MavenRepository.of("behind-proxy", "http://repo.invalid/maven2/")));
            assertEquals(List.of("org.example:tool:1.0", "org.example:lib:2.0"), names(jars));
            assertTrue(seen.contains("repo.invalid GET"), seen.toString());
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void aMissingArtifactIsNamedWithEveryRepositoryTried() throws Exception {
        TestRepository empty = new TestRepository(Files.createDirectories(tmp.resolve("empty")));
        ResolutionException e = assertThrows(ResolutionException.class, () -> new MavenResolver(settings("central", empty))
                .resolve(coordinates("org.example:app:1.0", "org.example:nowhere:3.1"), List.of(MavenRepository.of("mine", repo.url()))));
        String m = e.getMessage();
        assertTrue(m.contains("org.example:nowhere") && m.contains("3.1"), m);
        assertTrue(m.contains("Repositories tried: mine (" + repo.url() + "), test-mirror (" + empty.url() + ", mirror of [central])"), m);
    }

    @Test
    void offlineSettingsUseTheLocalRepositoryAloneAndSaySoWhenItLacksAnArtifact() throws Exception {
        new MavenResolver(settings("*", repo)).resolve(coordinates("org.example:tool:1.0"), List.of()); // fills the local repository
        Path file = TestRepository.settings(tmp.resolve("offline/.m2"), local, "*", new TestRepository(tmp.resolve("gone")));
        Files.writeString(file, Files.readString(file).replace("</settings>", "<offline>true</offline></settings>"));
        MavenSettings offline = MavenSettings.load(Map.of(MavenSettings.SETTINGS_VARIABLE, file.toString()), tmp.resolve("offline"));
        assertEquals(List.of("org.example:tool:1.0", "org.example:lib:2.0"),
                names(new MavenResolver(offline).resolve(coordinates("org.example:tool:1.0"), List.of())));
        ResolutionException e = assertThrows(ResolutionException.class,
                () -> new MavenResolver(offline).resolve(coordinates("org.example:driver:1.0"), List.of()));
        assertTrue(e.getMessage().contains("org.example:driver") && e.getMessage().contains("offline"), e.getMessage());
    }

    @Test
    void aMissingTransitiveDependencyIsNamedToo() throws Exception {
        repo.publish("org.example:broken:1.0", "org.example:gone:9.9");
        ResolutionException e = assertThrows(ResolutionException.class,
                () -> new MavenResolver(settings("*", repo)).resolve(coordinates("org.example:broken:1.0"), List.of()));
        assertTrue(e.getMessage().contains("org.example:gone") && e.getMessage().contains("9.9"), e.getMessage());
    }

    @Test
    void aConflictWithALoadedJarAddsNothing() throws Exception {
        MavenSettings s = settings("*", repo);
        MavenDependencies session = new MavenDependencies(() -> s);
        List<Path> classpath = new ArrayList<>();
        session.add(coordinates("org.example:tool:1.0"), classpath::add);
        assertEquals(2, classpath.size());
        // With tool first, app's lib resolves to tool's 2.0 (first declared at equal depth): no conflict.
        assertEquals(List.of("org.example:app:1.0", "org.example:driver:1.0"),
                names(session.add(coordinates("org.example:app:1.0"), classpath::add)));
        assertEquals(4, classpath.size());
        // A direct lib 1.0 is nearer than the loaded 2.0: Maven would swap it, a running session cannot.
        ResolutionException e = assertThrows(ResolutionException.class,
                () -> session.add(coordinates("org.example:lib:1.0"), classpath::add));
        assertTrue(e.getMessage().contains("org.example:lib:1.0") && e.getMessage().contains("org.example:lib:2.0 is already"), e.getMessage());
        assertEquals(4, classpath.size(), "nothing added: " + classpath);
        assertEquals(coordinates("org.example:tool:1.0", "org.example:app:1.0"), session.coordinates());
        assertEquals(List.of(), session.add(coordinates("org.example:driver:1.0"), classpath::add), "nothing new to add");
    }

    @Test
    void settingsExpandUserHomeAndAMissingNamedFileIsAnError() throws Exception {
        Path home = tmp.resolve("h");
        Files.createDirectories(home.resolve(".m2"));
        Files.writeString(home.resolve(".m2/settings.xml"), "<settings><localRepository>${user.home}/repo</localRepository></settings>");
        assertEquals(home.resolve("repo"), MavenSettings.load(Map.of(), home).localRepository());
        assertEquals(tmp.resolve("nobody/.m2/repository"), MavenSettings.load(Map.of(), tmp.resolve("nobody")).localRepository());
        ResolutionException e = assertThrows(ResolutionException.class,
                () -> MavenSettings.load(Map.of(MavenSettings.SETTINGS_VARIABLE, tmp.resolve("nope.xml").toString()), home));
        assertTrue(e.getMessage().contains("nope.xml") && e.getMessage().contains(MavenSettings.SETTINGS_VARIABLE), e.getMessage());
    }

    @Test
    void coordinatesAreCheckedBeforeAnythingIsAsked() throws Exception {
        assertEquals("org.example:app:1.0", MavenCoordinate.parse("org.example:app:1.0").toString());
        assertEquals("org.example:app:jar:linux:1.0", MavenCoordinate.parse("org.example:app:jar:linux:1.0").toString());
        assertTrue(assertThrows(ResolutionException.class, () -> MavenCoordinate.parse("commons-text")).getMessage()
                .contains("group:artifact:version"));
        assertTrue(assertThrows(ResolutionException.class, () -> MavenCoordinate.parse("a:b$(id):1")).getMessage().contains("b$(id)"));
        assertTrue(assertThrows(ResolutionException.class, () -> MavenRepository.of("x", "ftp://h/r")).getMessage().contains("ftp://h/r"));
    }
}
