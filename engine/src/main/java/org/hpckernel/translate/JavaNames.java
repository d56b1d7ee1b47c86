package org.hpckernel.translate;

import javax.lang.model.SourceVersion;

/**
 * Where the generated classes live: their package, the class holding the notebook's methods and
 * variables, and the cell's class. The kernel uses fixed names; export names them after the notebook.
 */
public record JavaNames(String packageName, String notebookClass, String cellClass) {
    public JavaNames {
        if (!SourceVersion.isName(packageName) || !isSimpleName(notebookClass) || !isSimpleName(cellClass)
                || notebookClass.equals(cellClass)) {
            throw new IllegalArgumentException("not a package and two distinct class names: " + packageName + ", "
                    + notebookClass + ", " + cellClass);
        }
    }

    private static boolean isSimpleName(String name) {
        return SourceVersion.isIdentifier(name) && !SourceVersion.isKeyword(name);
    }
}
