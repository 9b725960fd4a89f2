package io.ft4j.lock;

import io.ft4j.internal.util.Checks;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Static methods that run a block holding the monitors of one or more objects at once, without deadlock whatever
 * order different threads name the objects in. This is the Java form of CPython's per-object critical sections
 * ({@code Py_BEGIN_CRITICAL_SECTION2}).
 *
 * <p><b>What it locks.</b> Each object's own monitor, the lock {@code synchronized (object)} takes. So a critical
 * section excludes every {@code synchronized} method of the object and every other critical section on it: two
 * {@link java.util.Collections#synchronizedList synchronized lists}, or a {@link java.util.Vector} and a
 * {@link StringBuffer}, can be updated together atomically. (A table of striped locks would not exclude the object's
 * own synchronized code, and would make unrelated objects contend.)
 *
 * <p><b>Deadlock freedom.</b> The objects are locked in one global order: by
 * {@link System#identityHashCode identity hash}. Two distinct objects can share a hash; when a call names such a
 * group it first takes a tie-breaking monitor kept for that hash value, which sorts just before the objects that
 * have it, so two threads ordering tied objects differently cannot both be inside, and sections nested in
 * increasing order stay deadlock-free. (Tie monitors are kept for the life of the class, one per hash value that
 * ever tied in a call: a handful.) Naming an object twice locks it once. Deadlock freedom covers the objects of one
 * call and sections nested in increasing hash order; a section opened inside another on objects that sort lower
 * can deadlock like any nested lock, and the lock-order checker ({@link LockOrder}) sees critical sections and
 * reports such nesting.
 *
 * <p><b>Ordering.</b> Entering and leaving are monitor enter and exit: everything done in a section happens-before
 * whatever a later section (or synchronized block) on any of the same objects does.
 *
 * <p><b>Threads.</b> Monitors are re-entrant, so a section may call code that synchronizes on the same objects.
 * Since JDK 24 a virtual thread blocked on a monitor, or holding one, no longer pins its carrier thread, so
 * sections are fine on virtual threads. Waiting for a monitor cannot be interrupted or timed out; use ft4j's locks
 * where that is needed. An exception thrown by the block propagates to the caller, after the monitors are released.
 */
public final class CriticalSection {
    private CriticalSection() {}

    /** Tie-breaking monitors by identity hash: one per hash value shared by distinct objects of one call. */
    private static final ConcurrentHashMap<Integer, Object> TIES = new ConcurrentHashMap<>();
    private static final Comparator<Object> BY_IDENTITY = Comparator.comparingInt(System::identityHashCode);

    /**
     * Runs {@code body} holding {@code object}'s monitor.
     *
     * @param object the object whose monitor to hold
     * @param body what to run
     * @throws NullPointerException if an argument is null
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking the monitors would break the recorded order; {@code body} then does not run
     */
    public static void run(Object object, Runnable body) {
        Checks.requireNonNull(body, "body");
        call(object, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Runs {@code body} holding {@code object}'s monitor and returns its result.
     *
     * @param <T> the result type
     * @param object the object whose monitor to hold
     * @param body what to run
     * @return what {@code body} returned
     * @throws NullPointerException if an argument is null
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking the monitors would break the recorded order; {@code body} then does not run
     */
    public static <T> T call(Object object, Supplier<T> body) {
        Checks.requireNonNull(object, "object");
        Checks.requireNonNull(body, "body");
        if (LockOrder.checking) {
            return checked(new Object[] {object}, body);
        }
        synchronized (object) {
            return body.get();
        }
    }

    /**
     * Runs {@code body} holding the monitors of both objects, taken in the global order.
     *
     * @param first one object whose monitor to hold
     * @param second the other; may be the same object as {@code first}
     * @param body what to run
     * @throws NullPointerException if an argument is null
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking the monitors would break the recorded order; {@code body} then does not run
     */
    public static void run(Object first, Object second, Runnable body) {
        Checks.requireNonNull(body, "body");
        call(first, second, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Runs {@code body} holding the monitors of both objects, taken in the global order, and returns its result.
     *
     * @param <T> the result type
     * @param first one object whose monitor to hold
     * @param second the other; may be the same object as {@code first}
     * @param body what to run
     * @return what {@code body} returned
     * @throws NullPointerException if an argument is null
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking the monitors would break the recorded order; {@code body} then does not run
     */
    public static <T> T call(Object first, Object second, Supplier<T> body) {
        Checks.requireNonNull(first, "first");
        Checks.requireNonNull(second, "second");
        Checks.requireNonNull(body, "body");
        if (first == second) {
            return call(first, body);
        }
        if (LockOrder.checking) {
            return checked(new Object[] {first, second}, body);
        }
        int h1 = System.identityHashCode(first);
        int h2 = System.identityHashCode(second);
        if (h1 == h2) {
            synchronized (tie(h1)) {
                return both(first, second, body);
            }
        }
        return h1 < h2 ? both(first, second, body) : both(second, first, body);
    }

    private static <T> T both(Object low, Object high, Supplier<T> body) {
        synchronized (low) {
            synchronized (high) {
                return body.get();
            }
        }
    }

    /**
     * Runs {@code body} holding the monitors of all the objects, taken in the global order.
     *
     * @param objects the objects whose monitors to hold, in any order; an object named twice is locked once. The
     *     array is copied, not kept
     * @param body what to run
     * @throws NullPointerException if an argument or an element is null
     * @throws IllegalArgumentException if {@code objects} is empty
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking the monitors would break the recorded order; {@code body} then does not run
     */
    public static void run(Object[] objects, Runnable body) {
        Checks.requireNonNull(body, "body");
        call(objects, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Runs {@code body} holding the monitors of all the objects, taken in the global order, and returns its result.
     *
     * @param <T> the result type
     * @param objects the objects whose monitors to hold, in any order; an object named twice is locked once. The
     *     array is copied, not kept
     * @param body what to run
     * @return what {@code body} returned
     * @throws NullPointerException if an argument or an element is null
     * @throws IllegalArgumentException if {@code objects} is empty
     * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict} and
     *     taking the monitors would break the recorded order; {@code body} then does not run
     */
    public static <T> T call(Object[] objects, Supplier<T> body) {
        Checks.requireNonNull(objects, "objects");
        Checks.requireNonNull(body, "body");
        if (objects.length == 0) {
            throw new IllegalArgumentException(Checks.badArgument("objects.length", 0, ">= 1"));
        }
        Object[] sorted = ordered(objects);
        return LockOrder.checking ? checked(sorted, body) : nest(sorted, null, 0, body);
    }

    private static Object tie(int hash) {
        return TIES.computeIfAbsent(hash, h -> new Object());
    }

    /** Whether {@code sorted[i]} starts a group of distinct objects sharing one identity hash. */
    private static boolean startsTie(Object[] sorted, int i) {
        int h = System.identityHashCode(sorted[i]);
        return i + 1 < sorted.length && System.identityHashCode(sorted[i + 1]) == h
                && (i == 0 || System.identityHashCode(sorted[i - 1]) != h);
    }

    /** A copy in lock order, each object once. */
    private static Object[] ordered(Object[] objects) {
        Object[] sorted = objects.clone();
        for (int i = 0; i < sorted.length; i++) {
            Checks.requireNonNull(sorted[i], "objects[" + i + "]");
        }
        Arrays.sort(sorted, BY_IDENTITY);
        int n = 0;
        outer:
        for (Object o : sorted) {
            for (int j = n - 1; j >= 0 && System.identityHashCode(sorted[j]) == System.identityHashCode(o); j--) {
                if (sorted[j] == o) {
                    continue outer;
                }
            }
            sorted[n++] = o;
        }
        return n == sorted.length ? sorted : Arrays.copyOf(sorted, n);
    }

    /** The acquisition with the lock-order checker told about each object. */
    private static <T> T checked(Object[] objects, Supplier<T> body) {
        Object[] sorted = objects.length == 1 ? objects : ordered(objects);
        LockOrder.Node[] nodes = new LockOrder.Node[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            nodes[i] = LockOrder.nodeOf(sorted[i]);
        }
        return nest(sorted, nodes, 0, body);
    }

    /**
     * Locks {@code sorted[i..]} in order, each tied group behind its tie monitor, then runs {@code body}. With
     * {@code nodes} (checking on), each object is reported to the checker; a tied group is reported whole before any
     * of it is taken, so the checker records no order among its members (their order is the argument order, and the
     * tie monitor makes any order safe) but does record the order from every lock held before.
     */
    private static <T> T nest(Object[] sorted, LockOrder.Node[] nodes, int i, Supplier<T> body) {
        if (i == sorted.length) {
            return body.get();
        }
        int h = System.identityHashCode(sorted[i]);
        if (startsTie(sorted, i)) {
            for (int j = i; nodes != null && j < sorted.length && System.identityHashCode(sorted[j]) == h; j++) {
                LockOrder.acquiring(nodes[j], false);
            }
            synchronized (tie(h)) {
                return lockAt(sorted, nodes, i, body);
            }
        }
        if (nodes != null && (i == 0 || System.identityHashCode(sorted[i - 1]) != h)) {
            LockOrder.acquiring(nodes[i], false); // a tied group's later members were reported with its first
        }
        return lockAt(sorted, nodes, i, body);
    }

    private static <T> T lockAt(Object[] sorted, LockOrder.Node[] nodes, int i, Supplier<T> body) {
        synchronized (sorted[i]) {
            if (nodes == null) {
                return nest(sorted, null, i + 1, body);
            }
            LockOrder.acquired(nodes[i], false);
            try {
                return nest(sorted, nodes, i + 1, body);
            } finally {
                LockOrder.released(nodes[i]);
            }
        }
    }
}
