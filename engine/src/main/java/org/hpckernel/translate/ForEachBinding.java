package org.hpckernel.translate;

import java.util.List;
import javax.lang.model.SourceVersion;

/**
 * {@code --for NAME:LIST}: binds NAME, on each array task, to element {@code arrayIndex()} of the
 * notebook's LIST (a List or an array).
 *
 * @param elementType the element type, as the notebook writes it
 * @param array true when LIST is an array, false for a List
 */
record ForEachBinding(String name, String list, String elementType, boolean array) {
    /** The List types whose single type argument is their element type. */
    private static final List<String> LISTS = List.of("List", "ArrayList", "LinkedList", "Vector", "Stack",
            "CopyOnWriteArrayList", "AbstractList", "AbstractSequentialList");

    /** @return null for no {@code --for} */
    static ForEachBinding parse(String spec, NotebookSnapshot notebook) throws CellCompileException {
        if (spec == null) {
            return null;
        }
        int colon = spec.indexOf(':');
        String name = colon < 0 ? "" : spec.substring(0, colon).strip();
        String list = colon < 0 ? "" : spec.substring(colon + 1).strip();
        if (!isName(name) || !isName(list)) {
            throw problem("--for " + spec + ": expected NAME:LIST, two Java names, such as --for p:params "
                    + "(p is bound to each element of the notebook variable params)");
        }
        NotebookSnapshot.Variable variable = notebook.variables().stream()
                .filter(v -> v.name().equals(list)).findFirst().orElse(null);
        if (variable == null) {
            throw problem("--for " + spec + ": " + list + " is not a notebook variable; declare it (a List or an array) "
                    + "in an ordinary cell and run that cell first");
        }
        String type = variable.type().strip();
        if (type.endsWith("[]")) {
            return new ForEachBinding(name, list, type.substring(0, type.length() - 2).strip(), true);
        }
        String element = listElement(type);
        if (element == null) {
            throw problem("--for " + spec + ": " + list + " is a " + type + ", not a List or an array; "
                    + "make it a List (for example List<" + (type.isEmpty() ? "T" : type) + ">) or an array");
        }
        return new ForEachBinding(name, list, element, false);
    }

    /** The element type of a List type such as {@code List<Point>} or {@code java.util.ArrayList<String>}, or null. */
    private static String listElement(String type) {
        int open = type.indexOf('<');
        if (open < 0 || !type.endsWith(">")) {
            return null;
        }
        String raw = type.substring(0, open).strip();
        String simple = raw.substring(raw.lastIndexOf('.') + 1);
        if (!LISTS.contains(simple) || (raw.contains(".") && !raw.startsWith("java.util."))) {
            return null;
        }
        String argument = type.substring(open + 1, type.length() - 1).strip();
        if (TypeText.topLevelCommas(argument) > 0) {
            return null;
        }
        if (argument.equals("?") || argument.startsWith("? super")) {
            return "Object";
        }
        if (argument.startsWith("? extends")) {
            return argument.substring("? extends".length()).strip();
        }
        return argument;
    }

    private static boolean isName(String name) {
        return SourceVersion.isIdentifier(name) && !SourceVersion.isKeyword(name);
    }

    private static CellCompileException problem(String message) {
        return new CellCompileException(message,
                List.of(new CellCompileException.Problem("--for", 0, 0, message, "")));
    }
}
