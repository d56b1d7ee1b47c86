package org.hpckernel.install;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Copies the launcher logos from the jar into the kernelspec. */
final class Logos {
    private Logos() {}

    /** @return names of logos the jar did not contain (Jupyter then shows a generic icon) */
    static List<String> copyInto(Path kernelspecDir) throws IOException {
        List<String> missing = new ArrayList<>();
        for (String name : KernelspecFiles.LOGOS) {
            try (InputStream in = Logos.class.getClassLoader()
                    .getResourceAsStream(KernelspecFiles.LOGO_RESOURCE_DIR + name)) {
                if (in == null) {
                    missing.add(name);
                    continue;
                }
                Files.copy(in, kernelspecDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return missing;
    }
}
