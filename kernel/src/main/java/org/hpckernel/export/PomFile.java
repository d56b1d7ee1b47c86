package org.hpckernel.export;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;

/**
 * The exported project's pom.xml: Java 17, the notebook's Maven coordinates and repositories, the
 * %jars as files under lib/, and one runnable jar made by the shade plugin (Gson and the Maven
 * dependencies inside; the lib/ jars beside it, on the manifest's Class-Path). Only plugins that
 * hpc-kernel's own build uses, at the same versions, so a machine that built the kernel builds
 * the export offline.
 */
final class PomFile {
    /** The resource Maven writes from the kernel build's properties (see kernel/pom.xml, resource filtering). */
    static final String VERSIONS = "/export-versions.properties";

    private PomFile() {}

    /** The Gson version this kernel is built with: the values API in the project is tested against it. */
    static String gsonVersion() throws ExportException {
        try (InputStream in = PomFile.class.getResourceAsStream(VERSIONS)) {
            if (in == null) throw new ExportException("this hpc-kernel build lacks " + VERSIONS + ": rebuild the kernel jar");
            Properties p = new Properties();
            p.load(in);
            String version = p.getProperty("gson", "");
            if (!version.matches("[\\w.-]+")) {
                throw new ExportException(VERSIONS + " has no Gson version (gson=" + version + "): rebuild the kernel jar with Maven");
            }
            return version;
        } catch (IOException e) {
            throw new ExportException("cannot read " + VERSIONS + " from the kernel jar: " + e.getMessage());
        }
    }

    /** @param libJars file names under lib/ */
    static String render(String groupId, String artifactId, List<String> coordinates, List<String> repositories,
            List<String> libJars) throws ExportException {
        StringBuilder deps = new StringBuilder();
        dep(deps, "com.google.code.gson", "gson", gsonVersion(), null);
        for (String c : coordinates) {
            String[] parts = c.split(":");
            if (parts.length != 3 || !c.matches("[\\w.-]+:[\\w.-]+:[\\w.-]+")) {
                throw new ExportException("%maven " + c + ": give coordinates as GROUP:ARTIFACT:VERSION");
            }
            dep(deps, parts[0], parts[1], parts[2], null);
        }
        for (String jar : libJars) {
            String name = jar.replaceFirst("\\.jar$", "").replaceAll("[^\\w.-]", "-");
            dep(deps, "notebook.lib", name, "local", jar);
        }
        StringBuilder repos = new StringBuilder();
        int n = 0;
        for (String url : repositories) {
            if (!url.matches("https?://[\\w.:/~%+-]+")) throw new ExportException("%maven --repository=" + url + ": not an http(s) URL");
            repos.append("    <repository><id>notebook-").append(++n).append("</id><url>").append(url).append("</url></repository>\n");
        }
        String classPath = String.join(" ", libJars.stream().map(j -> "../lib/" + j).toList());
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Exported from a notebook by hpc-kernel: `mvn -q package` builds target/%2$s.jar. -->
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>%1$s</groupId>
                  <artifactId>%2$s</artifactId>
                  <version>1.0-SNAPSHOT</version>
                  <packaging>jar</packaging>

                  <properties>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                    <maven.compiler.release>17</maven.compiler.release>
                  </properties>
                %3$s
                  <dependencies>
                %4$s  </dependencies>

                  <build>
                    <finalName>%2$s</finalName>
                    <plugins>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version>
                        <configuration><release>17</release><compilerArgs><arg>-Xlint:all,-serial,-classfile</arg></compilerArgs></configuration></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.3</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-shade-plugin</artifactId><version>3.6.2</version>
                        <executions><execution><phase>package</phase><goals><goal>shade</goal></goals>
                          <configuration>
                            <createDependencyReducedPom>false</createDependencyReducedPom>
                            <transformers>
                              <transformer implementation="org.apache.maven.plugins.shade.resource.ManifestResourceTransformer">
                                <manifestEntries><Class-Path>%5$s</Class-Path></manifestEntries>
                              </transformer>
                            </transformers>
                          </configuration></execution></executions></plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(groupId, artifactId,
                        repositories.isEmpty() ? "" : "\n  <repositories>\n" + repos.toString().indent(0) + "  </repositories>\n",
                        deps, classPath);
    }

    private static void dep(StringBuilder out, String group, String artifact, String version, String libJar) {
        out.append("    <dependency><groupId>").append(group).append("</groupId><artifactId>").append(artifact)
                .append("</artifactId><version>").append(version).append("</version>");
        if (libJar != null) {
            // A %jars file travels with the project; system scope keeps it out of the shaded jar (it stays in lib/).
            out.append("<scope>system</scope><systemPath>${project.basedir}/lib/").append(libJar).append("</systemPath>");
        }
        out.append("</dependency>\n");
    }
}
