package io.ft4j.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The one way tests wait for a state another thread reaches but cannot signal (parked, BLOCKED, boosted by the
 * kernel, in a system call): poll the condition, spinning, for at most 10 s. Not a sleep: it returns the moment the
 * condition holds, and fails loudly if it never does.
 */
public final class Eventually {
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private Eventually() {}

    /**
     * @param what what is awaited, for the failure message
     * @param condition the condition, polled until true
     * @throws AssertionError if it is not true within 10 s
     */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + LIMIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not seen within 10 s: " + what);
            }
            Thread.onSpinWait();
        }
    }

    /**
     * @param t a thread
     * @param state the state to wait for
     */
    public static void inState(Thread t, Thread.State state) {
        until(t.getName() + " " + state, () -> t.getState() == state);
    }
}
