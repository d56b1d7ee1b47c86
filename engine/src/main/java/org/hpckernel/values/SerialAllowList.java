package org.hpckernel.values;

import java.util.Set;
import java.util.function.Predicate;

/**
 * The classes a value may hold to travel in binary form (Java serialization): the notebook's own
 * (and its jars'), as the side reading or writing says, and the JDK's values and collections. Any
 * other class is refused, whatever its package: a class outside this list never gets to run its
 * {@code readObject}, {@code readResolve} or constructor while a stream is read.
 */
final class SerialAllowList {
    static final String DESCRIPTION = "the notebook's own classes and those of its %jars/%maven jars, java.lang's boxes"
            + " and String, java.util (collections, BitSet, UUID, Date...), java.util.concurrent collections, java.time,"
            + " java.math, and arrays of those";

    // Object: as an array's element type (ArrayList's Object[]); a plain Object is not Serializable anyway.
    private static final Set<Class<?>> LANG = Set.of(Object.class, String.class, Boolean.class, Character.class, Byte.class,
            Short.class, Integer.class, Long.class, Float.class, Double.class, Number.class, Enum.class);
    private static final Set<String> PACKAGES = Set.of("java.util", "java.util.concurrent", "java.util.concurrent.atomic",
            "java.time", "java.time.chrono", "java.time.zone", "java.time.temporal", "java.math");

    private SerialAllowList() {}

    /** @param own the classes of the notebook and its jars on this side (their class loader's) */
    static boolean allows(Class<?> type, Predicate<Class<?>> own) {
        while (type.isArray()) {
            type = type.getComponentType();
        }
        if (type.isPrimitive() || own.test(type)) {
            return true;
        }
        if (type.getModule() != Object.class.getModule() || type.getClassLoader() != null) {
            return false;
        }
        String pkg = type.getPackageName();
        return pkg.equals("java.lang") ? LANG.contains(type) : PACKAGES.contains(pkg);
    }
}
