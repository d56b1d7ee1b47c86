package org.hpckernel.install;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/** {@code java -jar hpc-kernel.jar uninstall ...}: removes a kernelspec that {@code install} wrote. */
public final class UninstallCommand {
    private UninstallCommand() {}

    /** @return the process exit code: 0 removed, 1 nothing (of ours) to remove or failed, 2 bad command line */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return run(args, out, err, InstallEnvironment.system());
    }

    public static int run(List<String> args, PrintStream out, PrintStream err, InstallEnvironment environment) {
        if (Arguments.isHelp(args)) {
            out.println(UninstallOptions.USAGE);
            return 0;
        }
        UninstallOptions options;
        try {
            options = UninstallOptions.parse(args);
        } catch (UsageException e) {
            err.println("uninstall: " + e.getMessage());
            err.println(UninstallOptions.USAGE);
            return 2;
        }
        try {
            Path kernelsDir = KernelsDirectory.resolve(options.location(), environment);
            Path dir = kernelsDir.resolve(options.name());
            if (!Files.exists(dir)) {
                throw new InstallException("no kernelspec '" + options.name() + "' in " + kernelsDir
                        + " (" + options.location().flag() + "); `jupyter kernelspec list` shows where kernels are"
                        + " installed, then pass the same --name and --user/--sys-prefix/--prefix");
            }
            if (!KernelJson.isOurs(dir)) {
                throw new InstallException("refusing to remove " + dir + ": it has no kernel.json that runs "
                        + KernelspecFiles.JAR + ", so hpc-kernel did not install it."
                        + " If you really want it gone, use `jupyter kernelspec remove " + options.name() + "`.");
            }
            deleteTree(dir);
            out.println("Removed kernelspec " + options.name() + " from " + dir);
            return 0;
        } catch (InstallException e) {
            err.println("uninstall: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("uninstall: could not remove the kernelspec: " + KernelspecInstaller.describe(e));
            return 1;
        }
    }

    /** Symbolic links are removed, never followed. */
    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) throw failure;
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
