package org.hpckernel;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.hpckernel.export.NotebookExport;
import org.hpckernel.install.InstallCommand;
import org.hpckernel.install.UninstallCommand;
import org.hpckernel.kernel.Kernel;
import org.hpckernel.util.Version;
import org.hpckernel.kernel.Warmup;

/** Command line: {@code kernel CONNECTION_FILE}, {@code install}, {@code uninstall}, {@code export}, {@code warmup}. */
public final class Main {
    static final String USAGE = """
            usage: java -jar hpc-kernel.jar COMMAND
              install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT]
                      [--jvm-opt OPT]... [--java PATH] [--no-cds]
                                       write the Jupyter kernelspec (install --help: details)
              uninstall [--user | --sys-prefix | --prefix DIR] [--name NAME]
                                       remove it
              kernel CONNECTION_FILE [--allow-unsigned]
                                       run the kernel (what kernel.json starts); an empty key in
                                       the connection file is refused unless --allow-unsigned
                                       (or HPC_KERNEL_ALLOW_UNSIGNED=1) is given
              export NOTEBOOK.ipynb DIR [--cluster NAME] [--force]
                                       write the notebook as a Maven project and a batch
                                       pipeline for the cluster (DIR/README.md: details)
              warmup                   run a few cells and exit (used to build the CDS archive)
              version, --version       print the version
              help, --help, -h         print this text""";

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("kernel")) {
            List<String> rest = Arrays.asList(args).subList(1, args.length);
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
            return;
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Every command but {@code kernel}; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0) {
            err.println("missing command: say what to do, e.g. `java -jar hpc-kernel.jar install`\n" + USAGE);
            return 2;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "install" -> {
                return InstallCommand.run(rest, out, err);
            }
            case "uninstall" -> {
                return UninstallCommand.run(rest, out, err);
            }
            case "export" -> {
                return NotebookExport.run(rest, out, err);
            }
            case "warmup" -> {
                return Warmup.run();
            }
            case "version", "--version" -> {
                out.println("hpc-kernel " + Version.get());
                return 0;
            }
            case "help", "--help", "-h" -> {
                out.println(USAGE);
                return 0;
            }
            default -> {
                err.println("unknown command: " + args[0] + "\n" + USAGE);
                return 2;
            }
        }
    }
}
