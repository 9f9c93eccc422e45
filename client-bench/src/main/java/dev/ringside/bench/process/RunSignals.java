package dev.ringside.bench.process;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.ringside.bench.verdict.ExitStatus;

/**
 * SIGINT and SIGTERM during a run: instead of the JVM's default (exit at once, losing everything measured),
 * the run in progress is told, so that it stops sending, drains, and writes its results. A second signal
 * tells it again (skip the drain); a third ends the process at once. Outside a run the default behaviour
 * stands: exit 130 or 143.
 *
 * <p>Handlers are installed through {@code sun.misc.Signal} by reflection (as Agrona's {@code SigInt} does), so
 * that the build needs no internal API; where it is missing, signals keep their default behaviour.
 */
public final class RunSignals {
    private static final AtomicReference<Consumer<String>> TARGET = new AtomicReference<>();
    private static final AtomicInteger RECEIVED = new AtomicInteger();
    private static boolean installed;

    private RunSignals() {
    }

    /** What to undo when the run ends. */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Sends SIGINT and SIGTERM to {@code target} until the returned watch is closed.
     *
     * @param target receives {@code SIGINT} or {@code SIGTERM}, on the signal's own thread
     * @return close it when the run is over
     */
    public static Watch watch(final Consumer<String> target) {
        install();
        RECEIVED.set(0);
        TARGET.set(target);
        return () -> TARGET.compareAndSet(target, null);
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        register("INT");
        register("TERM");
    }

    private static void register(final String name) {
        try {
            final Class<?> signalClass = Class.forName("sun.misc.Signal");
            final Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            final Object signal = signalClass.getConstructor(String.class).newInstance(name);
            final InvocationHandler onCall = (proxy, method, args) -> {
                switch (method.getName()) {
                    case "handle":
                        onSignal("SIG" + name);
                        return null;
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == args[0];
                    default:
                        return "ringside run signal handler";
                }
            };
            final Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                onCall);
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
        } catch (final ReflectiveOperationException | RuntimeException | LinkageError ex) {
            // No sun.misc.Signal on this JVM: the signal keeps its default action (the run is lost, as before).
            return;
        }
    }

    private static void onSignal(final String signal) {
        final Consumer<String> target = TARGET.get();
        final int count = RECEIVED.incrementAndGet();
        if (target == null) {
            System.exit(ExitStatus.forSignal(signal));
        } else if (count > 2) {
            System.err.println("ringside: " + signal + " a third time: exiting without results");
            Runtime.getRuntime().halt(ExitStatus.forSignal(signal));
        } else {
            System.err.println("ringside: " + signal + (count == 1 ? ": stopping; replies still owed get up to the "
                + "response timeout (send it again to skip that)" : " again: skipping the drain"));
            target.accept(signal);
        }
    }
}
