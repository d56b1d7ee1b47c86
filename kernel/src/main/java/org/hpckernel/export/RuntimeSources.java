package org.hpckernel.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime the generated cells need, as sources in the project: hpc-kernel's value API
 * (org.hpckernel.values, the same files the kernel and its runner are built from, so the project
 * reads and writes values exactly as the kernel's jobs do) and CellRunner, which runs one cell as a
 * pipeline step. Sources rather than a dependency on the kernel's artifact: the project then builds
 * on a machine that has never seen hpc-kernel, and a reader sees all the code that runs.
 */
final class RuntimeSources {
    /** Every file of org.hpckernel.values (a test checks that none is missing). */
    static final List<String> VALUES = List.of("CellIO.java", "CellProgram.java", "JsonSpans.java", "MalformedValueException.java",
            "NotShippableException.java", "NotebookClassNames.java", "ObjectShape.java", "ObjectTags.java", "PlainStrings.java",
            "PortableSet.java", "Scalars.java", "SerialAllowList.java", "SerialFilter.java", "SerialReader.java", "SerialValues.java",
            "SerialWriter.java", "TextValues.java", "TypeCapture.java", "Types.java", "ValueCodec.java", "ValueDecoder.java",
            "ValueEncoder.java", "ValueHandoff.java");

    /** Every file of org.hpckernel.display, for cells that show values. */
    static final List<String> DISPLAY = List.of("Display.java", "DisplayHost.java", "DisplayHosts.java", "DisplayTarget.java",
            "Displayable.java", "ImageRenderer.java", "MimeBundle.java", "MimeRenderer.java", "StdinUnavailableException.java");

    static final String RUNNER_CLASS = "CellRunner";

    private RuntimeSources() {}

    /** @param display whether the cells use the display API (org.hpckernel.display) too */
    static Map<String, String> sources(String packageName, boolean display) throws ExportException {
        Map<String, String> files = new LinkedHashMap<>();
        for (String name : VALUES) {
            files.put("src/main/java/org/hpckernel/values/" + name, resource("org/hpckernel/values/" + name));
        }
        if (display) {
            for (String name : DISPLAY) {
                files.put("src/main/java/org/hpckernel/display/" + name, resource("org/hpckernel/display/" + name));
            }
        }
        files.put("src/main/java/" + packageName.replace('.', '/') + "/" + RUNNER_CLASS + ".java",
                resource(RUNNER_CLASS + ".java.txt").replace("__PACKAGE__", packageName));
        return files;
    }

    private static String resource(String name) throws ExportException {
        try (InputStream in = RuntimeSources.class.getResourceAsStream("/export-runtime/" + name)) {
            if (in == null) throw new ExportException("this hpc-kernel build lacks export-runtime/" + name + ": rebuild the kernel jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ExportException("cannot read export-runtime/" + name + " from the kernel jar: " + e.getMessage());
        }
    }
}
