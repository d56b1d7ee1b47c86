package org.hpckernel.values;

import java.lang.reflect.Array;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Generic types as the decoder needs them: the class behind a type, its type arguments, and the
 * declared types of a generic record's components with the record's type arguments put in.
 */
final class Types {
    // A redefined snippet's wrapper has a letter after its number (REPL.$JShell$17C$Point).
    private static final Pattern JSHELL_WRAPPER = Pattern.compile("REPL\\.\\$JShell\\$\\w+\\$");
    private static final Pattern JDK_PACKAGES = Pattern.compile("\\bjava\\.(lang|util)\\.(?=[A-Z])");
    private Types() {}

    /** The class a value of {@code type} must be: {@code List} for {@code List<? extends Point>}. */
    static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof GenericArrayType a) {
            return Array.newInstance(raw(a.getGenericComponentType()), 0).getClass();
        }
        if (type instanceof WildcardType w) {
            return raw(w.getUpperBounds()[0]);
        }
        if (type instanceof TypeVariable<?> v) {
            return raw(v.getBounds()[0]);
        }
        return Object.class;
    }

    /** Type argument {@code index} of {@code type}, or Object when it is raw ({@code List}). */
    static Type argument(Type type, int index) {
        if (type instanceof ParameterizedType p && index < p.getActualTypeArguments().length) {
            Type argument = p.getActualTypeArguments()[index];
            return argument instanceof WildcardType w ? w.getUpperBounds()[0] : argument;
        }
        return Object.class;
    }

    /** The element type of an array type, generic or not. */
    static Type component(Type type) {
        if (type instanceof GenericArrayType a) {
            return a.getGenericComponentType();
        }
        return raw(type).getComponentType();
    }

    /**
     * {@code member} (a field's or component's generic type, declared in {@code owner}) with the
     * owner's type variables replaced by the arguments of {@code ownerType}: for
     * {@code record Pair<A, B>(A first, B second)} read as {@code Pair<String, Integer>},
     * {@code first} is a String.
     */
    static Type resolve(Type member, Class<?> owner, Type ownerType) {
        TypeVariable<?>[] variables = owner.getTypeParameters();
        if (variables.length == 0) {
            return member;
        }
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        for (int i = 0; i < variables.length; i++) {
            bindings.put(variables[i], argument(ownerType, i));
        }
        return substitute(member, bindings);
    }

    private static Type substitute(Type type, Map<TypeVariable<?>, Type> bindings) {
        if (type instanceof TypeVariable<?> v) {
            Type bound = bindings.get(v);
            return bound != null ? bound : v;
        }
        if (type instanceof ParameterizedType p) {
            Type[] arguments = p.getActualTypeArguments().clone();
            boolean changed = false;
            for (int i = 0; i < arguments.length; i++) {
                Type substituted = substitute(arguments[i], bindings);
                changed |= substituted != arguments[i];
                arguments[i] = substituted;
            }
            return changed ? new Parameterized((Class<?>) p.getRawType(), arguments, p.getOwnerType()) : p;
        }
        if (type instanceof GenericArrayType a) {
            Type component = substitute(a.getGenericComponentType(), bindings);
            if (component == a.getGenericComponentType()) {
                return a;
            }
            return component instanceof Class<?> c ? Array.newInstance(c, 0).getClass() : (GenericArrayType) () -> component;
        }
        if (type instanceof WildcardType w) {
            return substitute(w.getUpperBounds()[0], bindings);
        }
        return type;
    }

    /** The box of a primitive type, or the type itself. */
    static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        if (type == int.class) {
            return Integer.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        if (type == char.class) {
            return Character.class;
        }
        if (type == float.class) {
            return Float.class;
        }
        if (type == short.class) {
            return Short.class;
        }
        if (type == byte.class) {
            return Byte.class;
        }
        return Void.class;
    }

    /** How a type reads in messages: {@code List<Point>} rather than JShell's binary names. */
    static String fullName(Class<?> type) {
        return JSHELL_WRAPPER.matcher(type.getTypeName()).replaceAll("").replace('$', '.');
    }

    static String describe(Type type) {
        return JSHELL_WRAPPER.matcher(JDK_PACKAGES.matcher(type.getTypeName()).replaceAll("")).replaceAll("")
                .replace('$', '.');
    }

    private record Parameterized(Class<?> raw, Type[] arguments, Type owner) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return arguments.clone();
        }

        @Override
        public Type getRawType() {
            return raw;
        }

        @Override
        public Type getOwnerType() {
            return owner;
        }

        @Override
        public String getTypeName() {
            StringBuilder name = new StringBuilder(raw.getTypeName()).append('<');
            for (int i = 0; i < arguments.length; i++) {
                name.append(i == 0 ? "" : ", ").append(arguments[i].getTypeName());
            }
            return name.append('>').toString();
        }
    }
}
