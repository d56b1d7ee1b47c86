package org.hpckernel.export;

import java.util.Locale;
import org.hpckernel.translate.NotebookSnapshot;

/**
 * Names in the project, from the notebook's file name: {@code parameter-sweep} gives package
 * {@code parametersweep}, class {@code ParameterSweep}, artifact {@code parameter-sweep}.
 */
record ProjectNames(String packageName, String notebookClass, String artifactId) {
    static ProjectNames of(String notebook, NotebookSnapshot snapshot) {
        String[] words = notebook.split("[^A-Za-z0-9]+");
        StringBuilder cls = new StringBuilder();
        StringBuilder pkg = new StringBuilder();
        for (String w : words) {
            if (w.isEmpty()) continue;
            cls.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
            pkg.append(w.toLowerCase(Locale.ROOT));
        }
        if (cls.length() == 0 || !Character.isLetter(cls.charAt(0))) {
            cls.insert(0, "Notebook");
            pkg.insert(0, "notebook");
        }
        String notebookClass = cls.toString();
        // A notebook type of the same name keeps its name; the methods' class gets a suffix.
        for (NotebookSnapshot.Declaration d : snapshot.declarations()) {
            if (d.kind() == NotebookSnapshot.Kind.TYPE && d.name().equals(notebookClass)) notebookClass += "Notebook";
        }
        String artifact = notebook.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[-.]+|[-.]+$", "");
        return new ProjectNames(pkg.toString(), notebookClass, artifact.isEmpty() ? "notebook" : artifact);
    }
}
