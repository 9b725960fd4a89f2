package io.ft4j.lock;

import io.ft4j.internal.util.Checks;
import java.util.Arrays;
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
 * <p><b>Cost.</b> One object costs what {@code synchronized} costs. Several objects add their ordering, which reads
 * each object's identity hash: free while the monitor is thin, a call into the VM once threads have contended for it.
 * For objects locked together repeatedly, {@link #prepare(Object...)} computes the order once.
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
            return checked(Order.of(new Object[] {object}), body);
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
            return checked(Order.of(new Object[] {first, second}), body);
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
        Order order = Order.of(objects);
        return LockOrder.checking ? checked(order, body) : nest(order, null, 0, body);
    }

    /**
     * Returns a critical section on the given objects whose lock order is computed now, once, instead of at every
     * entry. Use it for objects that are locked together often, above all under contention: finding the order reads
     * each object's identity hash, and the JVM answers that from the object header only while the monitor is not
     * inflated; once threads have contended for the monitor, each read is a call into the VM (about 3x the cost of
     * the nested {@code synchronized} blocks themselves, measured in {@code LockBench}). A prepared section enters the
     * monitors as nested {@code synchronized} blocks written in that order would.
     *
     * <pre>{@code
     * CriticalSection.Prepared both = CriticalSection.prepare(from, to);   // once
     * both.run(() -> { from.withdraw(amount); to.deposit(amount); });      // at every transfer
     * }</pre>
     *
     * @param objects the objects whose monitors the section holds, in any order; an object named twice is locked
     *     once. The array is copied, not kept; the objects are kept, strongly, for the life of the returned section
     * @return the section, which may be used by any number of threads
     * @throws NullPointerException if {@code objects} or an element is null
     * @throws IllegalArgumentException if {@code objects} is empty
     */
    public static Prepared prepare(Object... objects) {
        Checks.requireNonNull(objects, "objects");
        return new Prepared(Order.of(objects));
    }

    /**
     * A critical section on a fixed set of objects whose lock order was computed when it was
     * {@linkplain #prepare(Object...) prepared}. Entering it has the same effects and guarantees as the static methods
     * on the same objects, and the two may be mixed: they take the monitors in the same order.
     */
    public static final class Prepared {
        private final Order order;

        private Prepared(Order order) {
            this.order = order;
        }

        /**
         * Runs {@code body} holding the monitors of this section's objects.
         *
         * @param body what to run
         * @throws NullPointerException if {@code body} is null
         * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict}
         *     and taking the monitors would break the recorded order; {@code body} then does not run
         */
        public void run(Runnable body) {
            Checks.requireNonNull(body, "body");
            call(() -> {
                body.run();
                return null;
            });
        }

        /**
         * Runs {@code body} holding the monitors of this section's objects and returns its result.
         *
         * @param <T> the result type
         * @param body what to run
         * @return what {@code body} returned
         * @throws NullPointerException if {@code body} is null
         * @throws LockOrderViolationException if lock-order checking is {@linkplain LockOrder.Mode#STRICT strict}
         *     and taking the monitors would break the recorded order; {@code body} then does not run
         */
        public <T> T call(Supplier<T> body) {
            Checks.requireNonNull(body, "body");
            if (LockOrder.checking) {
                return checked(order, body);
            }
            Object[] objects = order.objects;
            if (objects.length == 2 && !order.tied) {
                return both(objects[0], objects[1], body);
            }
            if (objects.length == 1) {
                synchronized (objects[0]) {
                    return body.get();
                }
            }
            return nest(order, null, 0, body);
        }

        /**
         * Returns a string naming this section's objects in lock order.
         *
         * @return a string such as {@code "CriticalSection.Prepared[Account@1b6d3586, Account@4554617c]"}
         */
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("CriticalSection.Prepared[");
            for (int i = 0; i < order.objects.length; i++) {
                Object o = order.objects[i];
                s.append(i == 0 ? "" : ", ").append(o.getClass().getSimpleName()).append('@')
                        .append(Integer.toHexString(order.hashes[i]));
            }
            return s.append(']').toString();
        }
    }

    private static Object tie(int hash) {
        return TIES.computeIfAbsent(hash, TieMonitor::new);
    }

    /** The monitor taken before a group of distinct objects sharing an identity hash; named so in lock-order reports. */
    private static final class TieMonitor {
        private final int hash;

        TieMonitor(int hash) {
            this.hash = hash;
        }

        @Override
        public String toString() {
            return "tie monitor of identity hash " + Integer.toHexString(hash);
        }
    }

    /**
     * Objects in lock order, each once, with their identity hashes: computed once per entry by the static methods,
     * once for all by {@link Prepared}. Never modified after construction.
     */
    private static final class Order {
        final Object[] objects;
        final int[] hashes;
        /** Whether two distinct objects share a hash, so that some group needs its tie monitor. */
        final boolean tied;

        private Order(Object[] objects, int[] hashes) {
            this.objects = objects;
            this.hashes = hashes;
            boolean t = false;
            for (int i = 1; i < hashes.length; i++) {
                t |= hashes[i] == hashes[i - 1];
            }
            this.tied = t;
        }

        static Order of(Object[] given) {
            int n = given.length;
            if (n == 0) {
                throw new IllegalArgumentException(Checks.badArgument("objects.length", 0, ">= 1"));
            }
            long[] keys = new long[n]; // hash in the high half, so a sort orders by hash, then by argument position
            for (int i = 0; i < n; i++) {
                Object o = Checks.requireNonNull(given[i], "objects[" + i + "]");
                keys[i] = ((long) System.identityHashCode(o) << 32) | i;
            }
            Arrays.sort(keys);
            Object[] objects = new Object[n];
            int[] hashes = new int[n];
            int kept = 0;
            outer:
            for (long key : keys) {
                Object o = given[(int) key];
                int h = (int) (key >> 32);
                for (int j = kept - 1; j >= 0 && hashes[j] == h; j--) {
                    if (objects[j] == o) {
                        continue outer; // named twice: locked once
                    }
                }
                objects[kept] = o;
                hashes[kept++] = h;
            }
            return kept == n ? new Order(objects, hashes)
                    : new Order(Arrays.copyOf(objects, kept), Arrays.copyOf(hashes, kept));
        }

        /** Whether {@code objects[i]} starts a group of distinct objects sharing one identity hash. */
        boolean startsTie(int i) {
            int h = hashes[i];
            return i + 1 < hashes.length && hashes[i + 1] == h && (i == 0 || hashes[i - 1] != h);
        }
    }

    /** The acquisition with the lock-order checker told about each object. */
    private static <T> T checked(Order order, Supplier<T> body) {
        LockOrder.Node[] nodes = new LockOrder.Node[order.objects.length];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = LockOrder.nodeOf(order.objects[i]);
        }
        return nest(order, nodes, 0, body);
    }

    /**
     * Locks {@code objects[i..]} of the order, each tied group behind its tie monitor, then runs {@code body}. With
     * {@code nodes} (checking on), each object is reported to the checker as it is taken, and so is each tie monitor:
     * it is a lock like the others (a thread holding one of the group while it waits for the tie monitor, and
     * another holding the tie monitor while it waits for that object, deadlock). It is a gate, too: the order among
     * a tied group's members depends on the argument order, and two sections naming the group in opposite orders
     * both hold the tie monitor, so the checker records what is taken under it as gated by it.
     */
    private static <T> T nest(Order order, LockOrder.Node[] nodes, int i, Supplier<T> body) {
        Object[] objects = order.objects;
        if (i == objects.length) {
            return body.get();
        }
        if (order.startsTie(i)) {
            Object tie = tie(order.hashes[i]);
            if (nodes == null) {
                synchronized (tie) {
                    return lockAt(order, null, i, body);
                }
            }
            LockOrder.Node tieNode = LockOrder.gateOf(tie, tie.toString());
            LockOrder.acquiring(tieNode, false);
            synchronized (tie) {
                LockOrder.acquired(tieNode, false);
                try {
                    return lockAt(order, nodes, i, body);
                } finally {
                    LockOrder.released(tieNode);
                }
            }
        }
        return lockAt(order, nodes, i, body);
    }

    /** Takes {@code objects[i]}, reported to the checker when {@code nodes} is given, then the rest. */
    private static <T> T lockAt(Order order, LockOrder.Node[] nodes, int i, Supplier<T> body) {
        if (nodes != null) {
            LockOrder.acquiring(nodes[i], false);
        }
        synchronized (order.objects[i]) {
            if (nodes == null) {
                return nest(order, null, i + 1, body);
            }
            LockOrder.acquired(nodes[i], false);
            try {
                return nest(order, nodes, i + 1, body);
            } finally {
                LockOrder.released(nodes[i]);
            }
        }
    }
}
