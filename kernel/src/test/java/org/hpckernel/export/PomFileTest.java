package org.hpckernel.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class PomFileTest {
    @Test
    void mavenLinesBecomeDependenciesAndRepositoriesAndJarsSystemDependenciesOnTheClassPath() throws Exception {
        String pom = PomFile.render("sweep", "sweep", List.of("org.example:thing:1.2"), List.of("https://repo.example.org/m2"),
                List.of("greeting.jar"));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(pom.getBytes(StandardCharsets.UTF_8)));
        NodeList deps = doc.getElementsByTagName("dependency");
        assertEquals(3, deps.getLength()); // Gson, the %maven one, the %jars one
        assertEquals("thing", text((Element) deps.item(1), "artifactId"));
        assertEquals("system", text((Element) deps.item(2), "scope"));
        assertEquals("${project.basedir}/lib/greeting.jar", text((Element) deps.item(2), "systemPath"));
        assertEquals("https://repo.example.org/m2", text(doc.getDocumentElement(), "url"));
        assertEquals("../lib/greeting.jar", text(doc.getDocumentElement(), "Class-Path"));
        assertEquals("17", text(doc.getDocumentElement(), "maven.compiler.release"));
    }

    @Test
    void theGsonVersionIsTheOneTheKernelIsBuiltWith() throws Exception {
        // The Gson jar Maven put on this module's class path: .../gson/VERSION/gson-VERSION.jar.
        Path jar = Path.of(Gson.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String built = jar.getParent().getFileName().toString();
        assertEquals("gson-" + built + ".jar", jar.getFileName().toString());
        assertEquals(built, PomFile.gsonVersion());
        String pom = PomFile.render("a", "a", List.of(), List.of(), List.of());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(pom.getBytes(StandardCharsets.UTF_8)));
        Element gson = (Element) doc.getElementsByTagName("dependency").item(0);
        assertEquals("gson", text(gson, "artifactId"));
        assertEquals(built, text(gson, "version"));
    }

    @Test
    void badCoordinatesAndRepositoriesAreNamed() {
        ExportException coordinates = assertThrows(ExportException.class,
                () -> PomFile.render("a", "a", List.of("thing-1.2"), List.of(), List.of()));
        assertTrue(coordinates.getMessage().contains("%maven thing-1.2") && coordinates.getMessage().contains("GROUP:ARTIFACT:VERSION"));
        ExportException repository = assertThrows(ExportException.class,
                () -> PomFile.render("a", "a", List.of(), List.of("file:///etc</url><x>"), List.of()));
        assertTrue(repository.getMessage().contains("not an http(s) URL"), repository.getMessage());
    }

    private static String text(Element in, String tag) {
        return in.getElementsByTagName(tag).item(0).getTextContent();
    }
}
