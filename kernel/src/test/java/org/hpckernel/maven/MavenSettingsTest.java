package org.hpckernel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings as Maven reads them: the global file under the user's, proxy credentials sent to a real
 * proxy on loopback that demands them, and encrypted passwords refused with advice, never shown.
 */
class MavenSettingsTest {
    private static final String SECRET = "s3cret-Pa55";

    @TempDir
    Path tmp;
    TestRepository repo;
    TestRepository empty;
    Path local;

    @BeforeEach
    void setUp() throws Exception {
        repo = new TestRepository(tmp.resolve("remote"));
        repo.publish("org.example:tool:1.0", "org.example:lib:2.0").publish("org.example:lib:2.0");
        empty = new TestRepository(Files.createDirectories(tmp.resolve("empty")));
        local = tmp.resolve("local-repo");
    }

    /** A settings file: central mirrored to an empty directory (nothing reaches out), plus {@code more} inside {@code <settings>}. */
    private Path settingsFile(String name, String more) throws Exception {
        Path file = TestRepository.settings(tmp.resolve(name), local, "central", empty);
        return Files.writeString(file, Files.readString(file).replace("</settings>", more + "</settings>"));
    }

    private static String proxy(int port, String user, String password) {
        return "<proxies><proxy><id>corp</id><active>true</active><protocol>http</protocol><host>127.0.0.1</host><port>" + port
                + "</port>" + (user == null ? "" : "<username>" + user + "</username><password>" + password + "</password>")
                + "</proxy></proxies>";
    }

    private MavenSettings load(Path file) throws Exception {
        return MavenSettings.load(Map.of(MavenSettings.SETTINGS_VARIABLE, file.toString()), tmp.resolve("home"));
    }

    private static List<MavenCoordinate> tool() throws ResolutionException {
        return List.of(MavenCoordinate.parse("org.example:tool:1.0"));
    }

    @Test
    void theProxysCredentialsAnswerItsChallenge() throws Exception {
        try (HttpRepository origin = new HttpRepository(repo, null); AuthenticatingProxy proxy = new AuthenticatingProxy("alice", SECRET)) {
            MavenSettings s = load(settingsFile("auth", proxy(proxy.port(), "alice", SECRET)));
            List<String> names = new MavenResolver(s).resolve(tool(), List.of(MavenRepository.of("behind", origin.url())))
                    .stream().map(j -> j.coordinate().toString()).toList();
            assertEquals(List.of("org.example:tool:1.0", "org.example:lib:2.0"), names);
            assertTrue(proxy.log.contains("200 GET /maven2/org/example/lib/2.0/lib-2.0.jar"), proxy.log.toString());
        }
    }

    @Test
    void withoutCredentialsOrWithWrongOnesTheProxyRefusesAndTheErrorSaysSoWithoutThePassword() throws Exception {
        try (HttpRepository origin = new HttpRepository(repo, null); AuthenticatingProxy proxy = new AuthenticatingProxy("alice", SECRET)) {
            for (String[] creds : new String[][] {{null, null}, {"alice", "wrong-" + SECRET}}) {
                MavenSettings s = load(settingsFile("noauth", proxy(proxy.port(), creds[0], creds[1])));
                ResolutionException e = assertThrows(ResolutionException.class,
                        () -> new MavenResolver(s).resolve(tool(), List.of(MavenRepository.of("behind", origin.url()))));
                assertTrue(e.getMessage().contains("407"), e.getMessage());
                assertFalse(e.getMessage().contains(SECRET), e.getMessage());
            }
            assertTrue(proxy.log.stream().allMatch(l -> l.startsWith("407 ")), proxy.log.toString());
        }
    }

    @Test
    void anEncryptedProxyPasswordIsNotSentAndTheUserIsToldWhatToDoWithoutItsValue() throws Exception {
        String encrypted = "{COQLCE6DU6GtcS5P=}";
        try (HttpRepository origin = new HttpRepository(repo, null); AuthenticatingProxy proxy = new AuthenticatingProxy("alice", encrypted)) {
            MavenSettings s = load(settingsFile("enc", proxy(proxy.port(), "alice", encrypted)));
            assertEquals(1, s.warnings().size(), s.warnings().toString());
            List<String> progress = new ArrayList<>();
            ResolutionException e = assertThrows(ResolutionException.class, () -> new MavenResolver(s, progress::add)
                    .resolve(tool(), List.of(MavenRepository.of("behind", origin.url()))));
            // Sent as is, the encrypted text would have been the right password for this proxy: it was not sent.
            assertTrue(proxy.log.stream().allMatch(l -> l.startsWith("407 ")), proxy.log.toString());
            String shown = String.join("\n", progress) + "\n" + e.getMessage();
            assertTrue(e.getMessage().contains("proxy corp (127.0.0.1)") && e.getMessage().contains("is encrypted"), e.getMessage());
            assertTrue(progress.get(0).startsWith("warning: the password of proxy corp (127.0.0.1)"), progress.toString());
            assertTrue(shown.contains("only you can read") && shown.contains("access token"), shown);
            assertFalse(shown.contains("COQLCE6DU6GtcS5P"), shown);
        }
    }

    @Test
    void anEncryptedServerPasswordIsNamedByTheServerNotByItsValue() throws Exception {
        MavenSettings s = load(settingsFile("server", "<servers><server><id>private-repo</id><username>bob</username>"
                + "<password>{jSMOWnoPFgsHVpMvz5VrIt5kRbzGpI8u+9EF1iFQyJQ=}</password></server>"
                + "<server><id>plain</id><username>bob</username><password>" + SECRET + "</password></server></servers>"));
        assertEquals(1, s.warnings().size(), s.warnings().toString());
        String w = s.warnings().get(0);
        assertTrue(w.startsWith("the password of server private-repo in ") && w.contains("is encrypted"), w);
        assertFalse(w.contains("jSMOWnoPFgsHVpMvz5VrIt5kRbzGpI8u") || w.contains(SECRET), w);
    }

    @Test
    void encryptedFormsAreMavensUnescapedBraces() {
        assertTrue(EncryptedPasswords.isEncrypted("{abc=}"));
        assertTrue(EncryptedPasswords.isEncrypted("Oleg's key {abc=} from 2024"));
        assertFalse(EncryptedPasswords.isEncrypted("plain"));
        assertFalse(EncryptedPasswords.isEncrypted("\\{not encrypted\\}"));
        assertFalse(EncryptedPasswords.isEncrypted(null));
    }

    @Test
    void theGlobalSettingsAreReadUnderTheUsersAndTheUserWins() throws Exception {
        Path mavenHome = tmp.resolve("maven-home");
        Files.createDirectories(mavenHome.resolve("conf"));
        Files.writeString(mavenHome.resolve("conf/settings.xml"), "<settings><localRepository>" + tmp.resolve("global-repo")
                + "</localRepository><mirrors><mirror><id>site</id><url>" + repo.url() + "</url><mirrorOf>*</mirrorOf></mirror>"
                + "<mirror><id>both</id><url>file:///global</url><mirrorOf>x</mirrorOf></mirror></mirrors>"
                + "<servers><server><id>site</id><username>global-user</username></server></servers></settings>");
        Path home = tmp.resolve("home");
        Files.createDirectories(home.resolve(".m2"));
        Map<String, String> env = Map.of("MAVEN_HOME", mavenHome.toString());

        // Only the global file: its mirror serves every repository, its local repository is used.
        MavenSettings onlyGlobal = MavenSettings.load(env, home);
        assertEquals(mavenHome.resolve("conf/settings.xml"), onlyGlobal.global());
        assertNull(onlyGlobal.source());
        assertEquals(tmp.resolve("global-repo"), onlyGlobal.localRepository());
        assertEquals(List.of("org.example:tool:1.0", "org.example:lib:2.0"),
                new MavenResolver(onlyGlobal).resolve(tool(), List.of()).stream().map(j -> j.coordinate().toString()).toList());
        assertTrue(Files.isRegularFile(tmp.resolve("global-repo/org/example/tool/1.0/tool-1.0.jar")));

        // The user's file wins where both say something: its local repository, its mirror "both".
        Files.writeString(home.resolve(".m2/settings.xml"), "<settings><localRepository>" + local + "</localRepository><mirrors>"
                + "<mirror><id>both</id><url>file:///user</url><mirrorOf>y</mirrorOf></mirror></mirrors></settings>");
        MavenSettings merged = MavenSettings.load(env, home);
        assertEquals(local, merged.localRepository());
        assertEquals(home.resolve(".m2/settings.xml"), merged.source());
        new MavenResolver(merged).resolve(tool(), List.of());
        assertTrue(Files.isRegularFile(local.resolve("org/example/tool/1.0/tool-1.0.jar")), "the global mirror still applies");

        // maven.conf names the conf directory and comes before $MAVEN_HOME.
        Path conf = Files.createDirectories(tmp.resolve("conf2"));
        Files.writeString(conf.resolve("settings.xml"), "<settings><offline>true</offline></settings>");
        MavenSettings byProperty = MavenSettings.load(env, tmp.resolve("nobody"), conf.toString());
        assertEquals(conf.resolve("settings.xml"), byProperty.global());
        assertTrue(byProperty.offline(), "no user file: the global one is all there is");
        assertEquals(tmp.resolve("nobody/.m2/repository"), byProperty.localRepository());
    }

    @Test
    void aBrokenGlobalFileIsNamedInTheError() throws Exception {
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(conf.resolve("settings.xml"), "<settings><mirrors>");
        ResolutionException e = assertThrows(ResolutionException.class, () -> MavenSettings.load(Map.of(), tmp.resolve("h"), conf.toString()));
        assertTrue(e.getMessage().contains(conf.resolve("settings.xml").toString()), e.getMessage());
    }
}
