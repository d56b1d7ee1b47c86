package org.hpckernel.export;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreeScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Drops the imports a generated file does not use: the translation imports what JShell imports by
 * default ({@code java.util.*}, {@code java.io.*}...) into every file; a project keeps only what each
 * file needs. A single-type import is used when its simple name appears in the code; an on-demand
 * one when a name in the code is a class of that package; a static one when a name is one of that
 * class's static members. Names come from javac's parser (comments and strings do not count) and
 * are looked up by reflection (the JDK, the %jars), except those of the project's own notebook
 * class, which the caller lists.
 */
final class ImportPruner {
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+?)(\\.\\*)?\\s*;\\s*$");

    private final ClassLoader loader;
    private final String notebookClass;
    private final Set<String> notebookMembers;

    /** @param notebookClass fully qualified; {@code notebookMembers} its methods' and fields' names */
    ImportPruner(ClassLoader loader, String notebookClass, Set<String> notebookMembers) {
        this.loader = loader;
        this.notebookClass = notebookClass;
        this.notebookMembers = Set.copyOf(notebookMembers);
    }

    String prune(String source) {
        List<String> lines = source.lines().toList();
        int lastImport = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (IMPORT.matcher(lines.get(i)).matches()) lastImport = i;
        }
        if (lastImport < 0) return source;
        Set<String> names = identifiers(source);
        List<String> kept = new ArrayList<>();
        boolean dropped = false;
        for (int i = 0; i < lines.size(); i++) {
            Matcher imp = IMPORT.matcher(lines.get(i));
            if (i <= lastImport && imp.matches() && !used(imp.group(1) != null, imp.group(2), imp.group(3) != null, names)) {
                dropped = true;
                continue;
            }
            kept.add(lines.get(i));
        }
        if (!dropped) return source;
        // No run of blank lines where a block of imports went.
        List<String> tidy = new ArrayList<>();
        for (String line : kept) {
            if (line.isBlank() && !tidy.isEmpty() && tidy.get(tidy.size() - 1).isBlank()) continue;
            tidy.add(line);
        }
        return String.join("\n", tidy) + "\n";
    }

    /** The simple names the code outside its imports mentions, as javac's parser sees them. */
    static Set<String> identifiers(String source) {
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Generated.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        Set<String> names = new HashSet<>();
        JavacTask task = (JavacTask) ToolProvider.getSystemJavaCompiler()
                .getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(file));
        try {
            for (CompilationUnitTree unit : task.parse()) {
                new TreeScanner<Void, Void>() {
                    @Override
                    public Void visitImport(ImportTree node, Void unused) {
                        return null;
                    }

                    @Override
                    public Void visitIdentifier(IdentifierTree node, Void unused) {
                        names.add(node.getName().toString());
                        return null;
                    }
                }.scan(unit, null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private boolean used(boolean isStatic, String name, boolean onDemand, Set<String> names) {
        if (!onDemand) return names.contains(simple(name));
        if (!isStatic) {
            for (String n : names) {
                if (Character.isUpperCase(n.charAt(0)) && load(name + "." + n) != null) return true;
            }
            return false;
        }
        if (name.equals(notebookClass)) return names.stream().anyMatch(notebookMembers::contains);
        Class<?> owner = load(name);
        if (owner == null) return true; // cannot tell: keep it
        for (Method method : owner.getMethods()) if (isStaticUse(method, names)) return true;
        for (Field field : owner.getFields()) if (isStaticUse(field, names)) return true;
        return false;
    }

    private static boolean isStaticUse(Member member, Set<String> names) {
        return Modifier.isStatic(member.getModifiers()) && names.contains(member.getName());
    }

    private static String simple(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private Class<?> load(String name) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
