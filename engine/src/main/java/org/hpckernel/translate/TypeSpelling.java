package org.hpckernel.translate;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;

/**
 * Writes a type the way the notebook writes it: notebook types and imported types by their simple
 * names ({@code List<Point>}), anything else qualified ({@code java.awt.Color}).
 */
final class TypeSpelling {
    /** A type the notebook cannot name: declared in the cell only, anonymous, a type variable... */
    static final class Unnameable extends Exception {
        Unnameable(String reason) {
            super(reason);
        }
    }

    private final String generatedPackage;
    private final TypeElement cellClass;
    private final Set<String> onDemandPackages = new HashSet<>();
    private final Set<String> singleTypes = new HashSet<>();

    /** @param imports the notebook's import lines ({@code import java.time.*;}), defaults included */
    TypeSpelling(String generatedPackage, TypeElement cellClass, List<String> imports) {
        this.generatedPackage = generatedPackage;
        this.cellClass = cellClass;
        onDemandPackages.add("java.lang");
        for (String line : imports) {
            String code = line.strip();
            if (!code.startsWith("import ") || code.startsWith("import static ")) {
                continue;
            }
            String name = code.substring("import ".length()).replace(";", "").strip();
            if (name.endsWith(".*")) {
                onDemandPackages.add(name.substring(0, name.length() - 2));
            } else {
                singleTypes.add(name);
            }
        }
    }

    String spell(TypeMirror type) throws Unnameable {
        switch (type.getKind()) {
            case BOOLEAN, BYTE, SHORT, INT, LONG, CHAR, FLOAT, DOUBLE:
                return type.toString();
            case ARRAY:
                return spell(((ArrayType) type).getComponentType()) + "[]";
            case WILDCARD: {
                WildcardType wildcard = (WildcardType) type;
                if (wildcard.getExtendsBound() != null) {
                    return "? extends " + spell(wildcard.getExtendsBound());
                }
                if (wildcard.getSuperBound() != null) {
                    return "? super " + spell(wildcard.getSuperBound());
                }
                return "?";
            }
            case DECLARED:
                return declared((DeclaredType) type);
            case NULL:
                throw new Unnameable("it is declared with var and initialised with null; give it a type");
            case TYPEVAR:
                throw new Unnameable("its type " + type + " is a type variable");
            case INTERSECTION:
                throw new Unnameable("its type " + type + " is an intersection of types; declare it with one of them");
            default:
                throw new Unnameable("its type " + type + " cannot be written in the notebook");
        }
    }

    private String declared(DeclaredType type) throws Unnameable {
        TypeElement element = (TypeElement) type.asElement();
        String name = typeName(element);
        List<? extends TypeMirror> arguments = type.getTypeArguments();
        if (arguments.isEmpty()) {
            return name;
        }
        StringBuilder text = new StringBuilder(name).append('<');
        for (int i = 0; i < arguments.size(); i++) {
            text.append(i > 0 ? ", " : "").append(spell(arguments.get(i)));
        }
        return text.append('>').toString();
    }

    private String typeName(TypeElement element) throws Unnameable {
        if (element.getNestingKind() == NestingKind.ANONYMOUS) {
            throw new Unnameable("its type is an anonymous class; declare it with a named type");
        }
        if (element.getNestingKind() == NestingKind.LOCAL) {
            throw new Unnameable("its type " + element.getSimpleName() + " is a class declared inside a block");
        }
        for (Element outer = element; outer != null && outer.getKind() != ElementKind.PACKAGE; outer = outer.getEnclosingElement()) {
            if (outer.equals(cellClass)) {
                throw new Unnameable("its type " + element.getSimpleName() + " is declared in this cell, and the notebook "
                        + "cannot name it; declare " + element.getSimpleName() + " in an ordinary notebook cell, run that cell, "
                        + "and remove it from this one");
            }
        }
        TypeElement outermost = element;
        while (outermost.getEnclosingElement() instanceof TypeElement enclosing) {
            outermost = enclosing;
        }
        String packageName = ((PackageElement) outermost.getEnclosingElement()).getQualifiedName().toString();
        String qualified = element.getQualifiedName().toString();
        String relative = packageName.isEmpty() ? qualified : qualified.substring(packageName.length() + 1);
        if (packageName.equals(generatedPackage) || onDemandPackages.contains(packageName)
                || singleTypes.contains(outermost.getQualifiedName().toString())) {
            return relative;
        }
        return qualified;
    }
}
