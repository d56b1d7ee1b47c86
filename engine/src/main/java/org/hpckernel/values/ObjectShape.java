package org.hpckernel.values;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    private final Class<?> type;
    private final Map<String, Field> fields;

    private ObjectShape(Class<?> type, Map<String, Field> fields) {
        this.type = type;
        this.fields = fields;
    }

    /**
     * @throws IllegalArgumentException naming the problem when the class cannot travel field by
     *     field (not accessible, a JDK superclass, a shadowed field name)
     */
    static ObjectShape of(Class<?> type) {
        Map<String, Field> fields = new LinkedHashMap<>();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                fields.put(component.getName(), field(type, component.getName()));
            }
            return new ObjectShape(type, fields);
        }
        List<Class<?>> chain = new ArrayList<>();
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            if (PortableSet.isJdk(c)) {
                throw new IllegalArgumentException("it extends " + c.getName()
                        + ", whose state cannot be shipped field by field");
            }
            chain.add(0, c);
        }
        for (Class<?> c : chain) {
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.isSynthetic()) {
                    continue;
                }
                if (fields.put(field.getName(), field) != null) {
                    throw new IllegalArgumentException("two of its fields are named " + field.getName()
                            + " (one hides the other)");
                }
                open(field);
            }
        }
        return new ObjectShape(type, fields);
    }

    Map<String, Field> fields() {
        return fields;
    }

    /** The no-argument constructor a plain class needs to be decoded, or null. */
    static Constructor<?> noArgConstructor(Class<?> type) {
        try {
            Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** The record's canonical constructor (its parameter types are its components' types). */
    Constructor<?> canonicalConstructor() throws NoSuchMethodException {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] parameters = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            parameters[i] = components[i].getType();
        }
        Constructor<?> constructor = type.getDeclaredConstructor(parameters);
        constructor.setAccessible(true);
        return constructor;
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
