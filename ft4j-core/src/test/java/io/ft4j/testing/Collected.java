package io.ft4j.testing;

import java.lang.ref.Reference;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Waits for the garbage collector to clear weak references: requests collections until every referent is gone or 30 s
 * have passed. A reachable referent is never cleared, so a leak fails here; an unreachable one is cleared by the first
 * full collection, so a pass is usually immediate.
 */
public final class Collected {
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private Collected() {}

    /**
     * @param what what the referents are, for the failure message
     * @param refs the references whose referents must become unreachable
     * @throws AssertionError if some referent is still reachable after 30 s of collections
     */
    public static void all(String what, List<? extends Reference<?>> refs) {
        long deadline = System.nanoTime() + LIMIT_NANOS;
        while (true) {
            long left = refs.stream().filter(r -> !r.refersTo(null)).count();
            if (left == 0) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(left + " of " + refs.size() + " " + what + " still reachable after 30 s");
            }
            System.gc();
        }
    }
}
