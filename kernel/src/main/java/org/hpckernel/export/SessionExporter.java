package org.hpckernel.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.magic.MagicContext;
import org.hpckernel.magic.MagicException;
import org.hpckernel.magic.NotebookExporter;

/**
 * {@code %hpc export DIR [--cluster NAME] [--force] [--notebook PATH]}: the notebook file (as the
 * frontend last saved it) with this session's declarations and variable types.
 */
public final class SessionExporter implements NotebookExporter {
    private static final String USAGE = "%hpc export DIR [--cluster NAME] [--force] [--notebook PATH]";

    @Override
    public MimeBundle export(List<String> args, MagicContext context) throws Exception {
        String dir = null;
        String cluster = null;
        String notebook = context.origin().get("notebook");
        boolean named = false;
        boolean force = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("--cluster") || a.equals("--notebook")) && i + 1 >= args.size()) {
                throw MagicException.usage(a + " needs a value: " + USAGE);
            }
            switch (a) {
                case "--cluster" -> cluster = args.get(++i);
                case "--notebook" -> {
                    notebook = args.get(++i);
                    named = true;
                }
                case "--force" -> force = true;
                default -> {
                    if (a.startsWith("-") || dir != null) throw MagicException.usage("unexpected \"" + a + "\": " + USAGE);
                    dir = a;
                }
            }
        }
        if (dir == null) throw MagicException.usage("name the directory to export into: " + USAGE);
        if (notebook == null) {
            throw MagicException.usage("this frontend does not say which notebook runs here: name it with --notebook PATH ("
                    + USAGE + ")");
        }
        Path file = Path.of(notebook);
        if (!Files.exists(file) && Files.exists(Path.of(file.getFileName().toString()))) file = Path.of(file.getFileName().toString());
        if (!named && !Files.isRegularFile(file)) {
            // Jupyter Server names the notebook relative to its own root, which need not be the kernel's directory.
            throw MagicException.usage("%hpc export: the frontend says this session runs " + notebook + " (JPY_SESSION_NAME),"
                    + " but there is no such file from " + Path.of("").toAbsolutePath() + ": name it with --notebook PATH ("
                    + USAGE + ")");
        }
        try {
            NotebookExport.Result result = NotebookExport.fromSession(context.evaluator(), file, Path.of(dir), cluster, force);
            return MimeBundle.text(result.summary().stripTrailing());
        } catch (ExportException e) {
            throw MagicException.usage("%hpc export: " + e.getMessage());
        }
    }
}
