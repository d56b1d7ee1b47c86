package org.hpckernel.install;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes one kernelspec directory: jar, logos, optional CDS archive, and kernel.json last. */
public final class KernelspecInstaller {
    private final CdsArchive cds;
    private final PrintStream out;

    public KernelspecInstaller(CdsArchive cds, PrintStream out) {
        this.cds = cds;
        this.out = out;
    }

    /** @return the kernelspec directory */
    public Path install(InstallOptions options, Path kernelsDir, Path sourceJar, Path java) throws InstallException {
        Path dir = kernelsDir.resolve(options.name());
        refuseForeign(dir, options.name());
        try {
            Files.createDirectories(dir);
            Path jar = dir.resolve(KernelspecFiles.JAR);
            copyJar(sourceJar, jar);
            List<String> missingLogos = Logos.copyInto(dir);
            if (!missingLogos.isEmpty()) {
                out.println("Note: this jar has no " + String.join(", ", missingLogos)
                        + "; Jupyter will show a generic icon.");
            }

            List<String> jvmOptions = new ArrayList<>(JvmOptions.withUserOptions(options.jvmOptions()));
            Path archive = dir.resolve(KernelspecFiles.CDS_ARCHIVE);
            // A stale archive from an earlier install belongs to the old jar; never leave it behind.
            Files.deleteIfExists(archive);
            if (options.cds()) {
                out.println("Building a class-data-sharing archive for faster kernel start (runs the kernel once)...");
                CdsArchive.Outcome outcome = cds.create(java, jvmOptions, jar, archive);
                if (outcome.created()) {
                    jvmOptions.addAll(CdsArchive.runtimeOptions(archive));
                } else {
                    out.println("CDS skipped (the kernel works, it just starts slower): " + outcome.reason());
                }
            }

            // Written last: until it exists Jupyter does not see a kernel, so a failed install leaves none.
            new KernelJson(KernelJson.argv(java, jvmOptions, jar), options.displayName()).writeTo(dir);
            return dir;
        } catch (IOException e) {
            throw new InstallException("could not write the kernelspec in " + dir + ": " + describe(e)
                    + ". Check that you may write there, or pick another location with --user or --prefix DIR.", e);
        }
    }

    private static void refuseForeign(Path dir, String name) throws InstallException {
        if (Files.exists(dir.resolve(KernelspecFiles.KERNEL_JSON)) && !KernelJson.isOurs(dir)) {
            throw new InstallException("refusing to overwrite " + dir + ": it holds a kernel that does not run "
                    + KernelspecFiles.JAR + ". Choose another name with --name, or remove it with"
                    + " `jupyter kernelspec remove " + name + "` first.");
        }
    }

    /**
     * Copy to a temp name and rename: a kernel that is running from the old jar keeps its (unlinked)
     * file, whereas overwriting in place would change classes under its feet.
     */
    private static void copyJar(Path source, Path target) throws IOException {
        if (Files.exists(target) && Files.isSameFile(source, target)) return; // re-installing from the installed jar
        Path temp = AtomicFiles.tempSibling(target);
        try {
            Files.copy(source, temp);
            AtomicFiles.moveReplacing(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static String describe(IOException e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return message == null ? kind : kind + " " + message;
    }
}
