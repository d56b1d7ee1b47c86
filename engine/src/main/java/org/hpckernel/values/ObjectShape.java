package org.hpckernel.values;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The named parts of a record or of a plain class declared in the notebook, in declaration order:
 * a record's components, a class's instance fields (its own and its superclasses', static and
 * transient ones left out). The encoder reads them from the fields, so no user code runs while a
 * value is written; the decoder builds a record with its canonical constructor, a class with its
 * no-argument constructor and then its fields.
 */
final class ObjectShape {
    // Computed once per class (a list of a million points has one shape), and dropped with the class.
    private static final ClassValue<Object> SHAPES = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            try {
                return compute(type);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
    };

    private final Field[] fields;
    private final String[] names;
    private final Type[] genericTypes;
    private final Map<String, Integer> indexes;
    private final Constructor<?> constructor;

    private ObjectShape(List<Field> fields, Constructor<?> constructor) {
        this.fields = fields.toArray(Field[]::new);
        this.names = new String[this.fields.length];
        this.genericTypes = new Type[this.fields.length];
        this.indexes = new HashMap<>();
        for (int i = 0; i < this.fields.length; i++) {
            names[i] = this.fields[i].getName();
            genericTypes[i] = this.fields[i].getGenericType();
            indexes.put(names[i], i);
        }
        this.constructor = constructor;
    }

    /**
     * @throws IllegalArgumentException naming the problem when the class cannot travel field by
     *     field (not accessible, a JDK superclass, a shadowed field name)
     */
    static ObjectShape of(Class<?> type) {
        Object shape = SHAPES.get(type);
        if (shape instanceof String problem) {
            throw new IllegalArgumentException(problem);
        }
        return (ObjectShape) shape;
    }

    private static ObjectShape compute(Class<?> type) {
        if (!type.isRecord() && (type.isLocalClass() || (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())))) {
            throw new IllegalArgumentException("an inner class, tied to an instance of its enclosing class (make it a"
                    + " static nested or top-level class, or a record)");
        }
        List<Field> fields = new ArrayList<>();
        if (type.isRecord()) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] parameters = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                fields.add(field(type, components[i].getName()));
                parameters[i] = components[i].getType();
            }
            return new ObjectShape(fields, constructor(type, parameters));
        }
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            if (PortableSet.isJdk(c)) {
                throw new IllegalArgumentException("it extends " + c.getName()
                        + ", whose state cannot be shipped field by field");
            }
            chain.add(0, c);
        }
        Map<String, Field> byName = new HashMap<>();
        for (Class<?> c : chain) {
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.isSynthetic()) {
                    continue;
                }
                if (byName.put(field.getName(), field) != null) {
                    throw new IllegalArgumentException("two of its fields are named " + field.getName()
                            + " (one hides the other)");
                }
                open(field);
                fields.add(field);
            }
        }
        return new ObjectShape(fields, constructor(type));
    }

    int size() {
        return fields.length;
    }

    Field field(int index) {
        return fields[index];
    }

    String name(int index) {
        return names[index];
    }

    /** The field's declared type, with type variables of its class unresolved. */
    Type genericType(int index) {
        return genericTypes[index];
    }

    /** The index of the field or component called {@code name}, or -1. */
    int indexOf(String name) {
        Integer index = indexes.get(name);
        return index == null ? -1 : index;
    }

    String names() {
        return String.join(", ", names);
    }

    /** A record's canonical constructor, a class's no-argument constructor; null if it has none. */
    Constructor<?> constructor() {
        return constructor;
    }

    private static Constructor<?> constructor(Class<?> type, Class<?>... parameters) {
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(parameters);
            constructor.setAccessible(true);
            return constructor;
        } catch (NoSuchMethodException e) {
            return null;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("its constructor is not accessible (" + e.getMessage() + ")");
        }
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            open(field);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalArgumentException("its component " + name + " has no field");
        }
    }

    private static void open(Field field) {
        try {
            field.setAccessible(true);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("its field " + field.getName() + " is not accessible (" + e.getMessage() + ")");
        }
    }
}
