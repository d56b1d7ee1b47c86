package org.hpckernel.install;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code java -jar hpc-kernel.jar install ...}: registers this jar as a Jupyter kernel. */
public final class InstallCommand {
    private InstallCommand() {}

    /** @return the process exit code: 0 done, 1 failed, 2 bad command line */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return run(args, out, err, InstallEnvironment.system(), RunningJar.locate());
    }

    /** @param jar the jar to install; empty when not running from one (then installing fails) */
    public static int run(
            List<String> args, PrintStream out, PrintStream err, InstallEnvironment environment, Optional<Path> jar) {
        return run(args, out, err, environment, jar, new CdsArchive(CdsArchive.DEFAULT_TIMEOUT));
    }

    static int run(List<String> args, PrintStream out, PrintStream err,
            InstallEnvironment environment, Optional<Path> jar, CdsArchive cds) {
        if (Arguments.isHelp(args)) {
            out.println(InstallOptions.USAGE);
            return 0;
        }
        InstallOptions options;
        Path java;
        try {
            options = InstallOptions.parse(args);
            java = JavaExecutable.resolve(options.java(), environment);
        } catch (UsageException e) {
            err.println("install: " + e.getMessage());
            err.println(InstallOptions.USAGE);
            return 2;
        }
        try {
            Path sourceJar = jar.orElseThrow(() -> new InstallException(
                    "not running from hpc-kernel.jar, so there is nothing to install; build it with"
                            + " `mvn package` and run `java -jar kernel/target/hpc-kernel.jar install`"));
            Path kernelsDir = KernelsDirectory.resolve(options.location(), environment);
            Path dir = new KernelspecInstaller(cds, out).install(options, kernelsDir, sourceJar, java);
            out.println("Installed kernelspec " + options.name() + " (\"" + options.displayName() + "\") in " + dir);
            return 0;
        } catch (InstallException e) {
            err.println("install: " + e.getMessage());
            return 1;
        }
    }
}
