package dev.ringside.engine.model;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

/**
 * Finds virtual threads at run time, so the build stays on release 17: {@code Thread.ofVirtual()} is looked
 * up by reflection on JDK 21 or newer, and on older JDKs the {@code virtual} model fails with one line naming
 * the JDK it needs.
 */
public final class VirtualThreads {
    /** The first JDK with virtual threads as a final feature. */
    public static final int REQUIRED_FEATURE = 21;

    private VirtualThreads() {
    }

    /** @return whether this JVM has virtual threads */
    public static boolean available() {
        return Runtime.version().feature() >= REQUIRED_FEATURE;
    }

    /**
     * A factory of virtual threads on this JVM.
     *
     * @param namePrefix thread names are this plus a counter
     * @return the factory
     * @throws IllegalStateException on a JDK older than 21, naming the JDK needed
     */
    public static ThreadFactory factory(final String namePrefix) {
        return factory(Runtime.version().feature(), namePrefix);
    }

    /**
     * A factory of virtual threads, given the running JDK's feature version (tests pass an older one).
     *
     * @param feature    the JDK feature version, e.g. 17
     * @param namePrefix thread names are this plus a counter
     * @return the factory
     * @throws IllegalStateException when {@code feature} is older than 21
     */
    static ThreadFactory factory(final int feature, final String namePrefix) {
        if (feature < REQUIRED_FEATURE) {
            throw new IllegalStateException("--model virtual needs JDK " + REQUIRED_FEATURE
                + " or newer (virtual threads); this is JDK " + feature + " (" + System.getProperty("java.home")
                + "): run with JAVA_HOME set to a JDK " + REQUIRED_FEATURE + "+");
        }
        try {
            final Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Object virtual = Thread.class.getMethod("ofVirtual").invoke(null);
            virtual = builder.getMethod("name", String.class, long.class).invoke(virtual, namePrefix, 0L);
            return (ThreadFactory) builder.getMethod("factory").invoke(virtual);
        } catch (final ClassNotFoundException | NoSuchMethodException | IllegalAccessException
            | InvocationTargetException ex) {
            throw new IllegalStateException("JDK " + feature + " should have virtual threads but "
                + "Thread.ofVirtual() is not usable: " + ex, ex);
        }
    }

    /**
     * @param thread a thread
     * @return whether it is virtual (false on JDKs without virtual threads)
     */
    public static boolean isVirtual(final Thread thread) {
        if (!available()) {
            return false;
        }
        try {
            final Method isVirtual = Thread.class.getMethod("isVirtual");
            return (Boolean) isVirtual.invoke(thread);
        } catch (final NoSuchMethodException | IllegalAccessException | InvocationTargetException ex) {
            return false;
        }
    }
}
