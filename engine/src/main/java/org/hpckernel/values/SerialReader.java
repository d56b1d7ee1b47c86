package org.hpckernel.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.io.ObjectStreamField;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads a serialized value against one side's classes: names come from the side's class loader
 * (not the caller's), and a notebook type written under the other side's name
 * ({@link NotebookClassNames}) is read as this side's class of that name, provided its fields are
 * the same. The {@link SerialFilter} set on the stream still sees (and may reject) every class.
 */
final class SerialReader extends ObjectInputStream {
    private static final Map<String, Class<?>> PRIMITIVES = Map.of("boolean", boolean.class, "byte", byte.class,
            "char", char.class, "short", short.class, "int", int.class, "long", long.class, "float", float.class,
            "double", double.class, "void", void.class);

    private final SerialValues.Classes classes;

    SerialReader(InputStream in, SerialValues.Classes classes) throws IOException {
        super(in);
        this.classes = classes;
    }

    @Override
    protected ObjectStreamClass readClassDescriptor() throws IOException, ClassNotFoundException {
        ObjectStreamClass written = super.readClassDescriptor();
        Class<?> local = notebookClass(written.getName());
        if (local == null) {
            return written;
        }
        // The writer's class has another name, hence (for a class that is not a record) another
        // default serialVersionUID; read with this side's descriptor when the fields agree.
        ObjectStreamClass mine = ObjectStreamClass.lookup(local);
        if (mine == null) {
            throw new InvalidClassException(written.getName(), "the notebook's " + Types.fullName(local)
                    + " is not Serializable here");
        }
        if (!fields(written).equals(fields(mine))) {
            throw new InvalidClassException(written.getName(), "the notebook's " + Types.fullName(local)
                    + " has changed since the value was written: it was written with fields " + fields(written)
                    + ", and has " + fields(mine) + " now");
        }
        return mine;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        String name = desc.getName();
        try {
            // Not initialized: a class's static code does not run merely because a stream names it.
            return Class.forName(name, false, classes.loader());
        } catch (ClassNotFoundException e) {
            Class<?> primitive = PRIMITIVES.get(name);
            if (primitive != null) {
                return primitive;
            }
            throw e;
        }
    }

    @Override
    protected Class<?> resolveProxyClass(String[] interfaces) throws InvalidClassException {
        throw new InvalidClassException("a dynamic proxy (" + String.join(", ", interfaces) + ")",
                "proxies never travel in binary form");
    }

    /** This side's class for a notebook type's name in the stream (also an array of one), else null. */
    private Class<?> notebookClass(String name) throws ClassNotFoundException, InvalidClassException {
        int dimensions = 0;
        while (dimensions < name.length() && name.charAt(dimensions) == '[') {
            dimensions++;
        }
        String element = name;
        if (dimensions > 0) {
            if (!name.startsWith("L", dimensions) || !name.endsWith(";")) {
                return null;
            }
            element = name.substring(dimensions + 1, name.length() - 1);
        }
        String notebookName = NotebookClassNames.notebookName(element);
        if (notebookName == null) {
            return null;
        }
        String top = NotebookClassNames.topLevel(notebookName);
        Class<?> type = classes.notebookType().apply(top);
        if (type == null) {
            throw new InvalidClassException(name, "the notebook has no type " + top
                    + " now; run the cell that declares it, then bind the value again");
        }
        if (!notebookName.equals(top)) {
            type = Class.forName(type.getName() + notebookName.substring(top.length()), false, type.getClassLoader());
        }
        for (int i = 0; i < dimensions; i++) {
            type = type.arrayType();
        }
        return type;
    }

    private static List<String> fields(ObjectStreamClass desc) {
        return Arrays.stream(desc.getFields()).map(SerialReader::field).sorted().toList();
    }

    private static String field(ObjectStreamField f) {
        return f.getName() + ":" + (f.isPrimitive() ? String.valueOf(f.getTypeCode()) : "object");
    }
}
