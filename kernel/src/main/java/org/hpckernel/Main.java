package org.hpckernel;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.hpckernel.install.InstallCommand;
import org.hpckernel.install.UninstallCommand;
import org.hpckernel.kernel.Kernel;
import org.hpckernel.kernel.Version;
import org.hpckernel.kernel.Warmup;

/** Command line: {@code kernel CONNECTION_FILE}, {@code install}, {@code uninstall}, {@code warmup}. */
public final class Main {
    private static final String USAGE = """
            usage: java -jar hpc-kernel.jar COMMAND
              kernel CONNECTION_FILE [--allow-unsigned]
                                       run the kernel (what kernel.json starts); an empty key in
                                       the connection file is refused unless --allow-unsigned
                                       (or HPC_KERNEL_ALLOW_UNSIGNED=1) is given
              install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT]
                      [--jvm-opt OPT]... [--java PATH] [--no-cds]
                                       write the Jupyter kernelspec
              uninstall [--user | --sys-prefix | --prefix DIR] [--name NAME]
              warmup                   run a few cells and exit (used to build the CDS archive)
              version""";

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println(USAGE);
            System.exit(2);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "kernel" -> {
                List<String> files = rest.stream().filter(a -> !a.equals(Kernel.ALLOW_UNSIGNED_FLAG)).toList();
                if (files.size() != 1 || files.get(0).startsWith("--")) {
                    System.err.println("kernel needs exactly one argument, the connection file\n" + USAGE);
                    System.exit(2);
                }
                try {
                    Kernel.run(Path.of(files.get(0)), rest.contains(Kernel.ALLOW_UNSIGNED_FLAG));
                } catch (Kernel.RefusedStart e) {
                    System.err.println("hpc-kernel: not starting: " + e.getMessage());
                    System.exit(2);
                }
            }
            case "install" -> System.exit(InstallCommand.run(rest, System.out, System.err));
            case "uninstall" -> System.exit(UninstallCommand.run(rest, System.out, System.err));
            case "warmup" -> System.exit(Warmup.run());
            case "version", "--version" -> System.out.println("hpc-kernel " + Version.get());
            case "help", "--help", "-h" -> System.out.println(USAGE);
            default -> {
                System.err.println("unknown command: " + args[0] + "\n" + USAGE);
                System.exit(2);
            }
        }
    }
}
