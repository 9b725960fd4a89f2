package io.ft4j.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.testing.Eventually;
import io.ft4j.testing.Race;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** CriticalSection: which monitors it holds, deadlock freedom over random pairs and sets, ties, null checks. */
class CriticalSectionTest {
    /** An object with a plain counter, guarded by its own monitor. */
    static final class Account {
        long balance;
    }

    @Test
    void holdsTheObjectsMonitorsAndReturnsTheResult() {
        Object a = new Object();
        Object b = new Object();
        Object c = new Object();
        assertEquals("one", CriticalSection.call(a, () -> Thread.holdsLock(a) ? "one" : "no"));
        assertEquals("two", CriticalSection.call(a, b,
                () -> Thread.holdsLock(a) && Thread.holdsLock(b) ? "two" : "no"));
        assertEquals("three", CriticalSection.call(new Object[] {c, a, b, a},
                () -> Thread.holdsLock(a) && Thread.holdsLock(b) && Thread.holdsLock(c) ? "three" : "no"));
        assertEquals("same", CriticalSection.call(a, a, () -> Thread.holdsLock(a) ? "same" : "no"));
        assertFalse(Thread.holdsLock(a) || Thread.holdsLock(b) || Thread.holdsLock(c));
    }

    @Test
    void releasesOnException() {
        Object a = new Object();
        Object b = new Object();
        assertThrows(ArithmeticException.class, () -> CriticalSection.run(a, b, () -> {
            throw new ArithmeticException("boom");
        }));
        assertFalse(Thread.holdsLock(a) || Thread.holdsLock(b));
    }

    /** The section and the object's own synchronized code exclude each other: it is the same monitor. */
    @Test
    void excludesSynchronizedCodeOfTheObject() throws Exception {
        List<Integer> list = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> CriticalSection.run(list, () -> {
            inside.countDown();
            try {
                leave.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        inside.await();
        Thread adder = Thread.ofPlatform().start(() -> list.add(1));
        Eventually.until("list.add blocked on the list's monitor", () -> {
            assertTrue(adder.isAlive(), "list.add ran while a critical section held the list");
            return adder.getState() == Thread.State.BLOCKED;
        });
        leave.countDown();
        holder.join();
        adder.join();
        assertEquals(List.of(1), list);
    }

    /** Many threads lock random pairs, in whatever order they drew them, and move money: no deadlock, no loss. */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void randomPairsFromManyThreadsNeverDeadlock() throws Exception {
        Account[] accounts = new Account[16];
        for (int i = 0; i < accounts.length; i++) {
            accounts[i] = new Account();
            accounts[i].balance = 1_000;
        }
        Race.race(8, t -> {
            SplittableRandom random = new SplittableRandom(t);
            for (int round = 0; round < 20_000; round++) {
                Account from = accounts[random.nextInt(accounts.length)];
                Account to = accounts[random.nextInt(accounts.length)];
                if (round % 8 == 0) {
                    Account third = accounts[random.nextInt(accounts.length)];
                    CriticalSection.run(new Object[] {to, third, from}, () -> move(from, to));
                } else {
                    CriticalSection.run(from, to, () -> move(from, to));
                }
            }
        });
        long total = 0;
        for (Account a : accounts) {
            total += a.balance;
        }
        assertEquals(16 * 1_000, total);
    }

    private static void move(Account from, Account to) {
        assertTrue(Thread.holdsLock(from) && Thread.holdsLock(to));
        from.balance -= 7;
        to.balance += 7;
    }

    /** Two distinct objects with one identity hash: both orders, from two threads, still cannot deadlock. */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void objectsWithEqualIdentityHashes() throws Exception {
        Object[] tied = findTie();
        Account a = new Account();
        AtomicBoolean seenBoth = new AtomicBoolean(true);
        Race.race(2, t -> {
            for (int i = 0; i < 20_000; i++) {
                Object first = tied[t];
                Object second = tied[1 - t];
                CriticalSection.run(first, second, () -> {
                    seenBoth.compareAndSet(true, Thread.holdsLock(first) && Thread.holdsLock(second));
                    a.balance++;
                });
            }
        });
        assertTrue(seenBoth.get());
        assertEquals(40_000, a.balance);
    }

    private static Object[] findTie() {
        return findTies(1).get(0);
    }

    /** {@code pairs} pairs of distinct objects, each pair sharing an identity hash, in increasing hash order. */
    private static List<Object[]> findTies(int pairs) {
        Map<Integer, Object> seen = new HashMap<>();
        List<Object[]> found = new ArrayList<>();
        for (int i = 0; i < 20_000_000 && found.size() < pairs; i++) {
            Object o = new Object();
            Object before = seen.putIfAbsent(System.identityHashCode(o), o);
            if (before != null) {
                found.add(new Object[] {before, o});
                seen.remove(System.identityHashCode(o));
            }
        }
        if (found.size() < pairs) {
            throw new AssertionError("found only " + found.size() + " pairs of objects sharing an identity hash");
        }
        found.sort(java.util.Comparator.comparingInt(p -> System.identityHashCode(p[0])));
        return found;
    }

    /**
     * Sections nested in increasing hash order stay deadlock-free when ties are involved. This thread holds a low
     * object {@code a}; another thread, locking the tied pair {@code (x, a)}, takes that pair's tie monitor and
     * blocks on {@code a}; then this thread asks for a tied pair {@code (b, c)} above. A single global tie monitor
     * would be held by the blocked thread, and both would wait forever.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void tiesDoNotDeadlockSectionsNestedInOrder() throws Exception {
        List<Object[]> ties = findTies(2);
        Object a = ties.get(0)[0];
        Object x = ties.get(0)[1];
        Object b = ties.get(1)[0];
        Object c = ties.get(1)[1];
        Account account = new Account();
        Thread[] other = new Thread[1];
        CriticalSection.run(a, () -> {
            other[0] = Thread.ofPlatform().start(() -> CriticalSection.run(x, a, () -> account.balance++));
            Eventually.inState(other[0], Thread.State.BLOCKED); // it holds the tie monitor of a's hash, and waits for a
            CriticalSection.run(b, c, () -> account.balance++);
        });
        other[0].join();
        assertEquals(2, account.balance);
    }

    /** A prepared section holds the same monitors as the static methods, and releases them on an exception. */
    @Test
    void aPreparedSectionHoldsItsObjectsMonitors() {
        Object a = new Object();
        Object b = new Object();
        Object c = new Object();
        assertEquals("one", CriticalSection.prepare(a).call(() -> Thread.holdsLock(a) ? "one" : "no"));
        CriticalSection.Prepared two = CriticalSection.prepare(b, a);
        assertEquals("two", two.call(() -> Thread.holdsLock(a) && Thread.holdsLock(b) ? "two" : "no"));
        assertEquals("three", CriticalSection.prepare(c, a, b, a).call(
                () -> Thread.holdsLock(a) && Thread.holdsLock(b) && Thread.holdsLock(c) ? "three" : "no"));
        assertEquals("same", CriticalSection.prepare(a, a).call(() -> Thread.holdsLock(a) ? "same" : "no"));
        assertThrows(ArithmeticException.class, () -> two.run(() -> {
            throw new ArithmeticException("boom");
        }));
        assertFalse(Thread.holdsLock(a) || Thread.holdsLock(b) || Thread.holdsLock(c));
        assertTrue(two.toString().startsWith("CriticalSection.Prepared[Object@"), two.toString());
    }

    /**
     * Prepared sections and the static methods on the same accounts, from many threads, in every argument order: one
     * global order, so no deadlock and no lost update.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void preparedAndStaticSectionsMixWithoutDeadlock() throws Exception {
        Account[] accounts = new Account[6];
        for (int i = 0; i < accounts.length; i++) {
            accounts[i] = new Account();
            accounts[i].balance = 1_000;
        }
        CriticalSection.Prepared[][] prepared = new CriticalSection.Prepared[6][6];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                prepared[i][j] = CriticalSection.prepare(accounts[i], accounts[j]);
            }
        }
        Race.race(6, t -> {
            SplittableRandom random = new SplittableRandom(t);
            for (int round = 0; round < 20_000; round++) {
                int i = random.nextInt(6);
                int j = random.nextInt(6);
                Account from = accounts[i];
                Account to = accounts[j];
                if ((round + t) % 2 == 0) {
                    prepared[i][j].run(() -> move(from, to));
                } else {
                    CriticalSection.run(to, from, () -> move(from, to));
                }
            }
        });
        long total = 0;
        for (Account a : accounts) {
            total += a.balance;
        }
        assertEquals(6 * 1_000, total);
    }

    /** A prepared section of two objects sharing one identity hash takes their tie monitor, as the static one does. */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aPreparedSectionOfTiedObjectsCannotDeadlockWithTheStaticOne() throws Exception {
        Object[] tied = findTie();
        CriticalSection.Prepared reversed = CriticalSection.prepare(tied[1], tied[0]);
        Account a = new Account();
        Race.race(2, t -> {
            for (int i = 0; i < 20_000; i++) {
                if (t == 0) {
                    CriticalSection.run(tied[0], tied[1], () -> a.balance++);
                } else {
                    reversed.run(() -> a.balance++);
                }
            }
        });
        assertEquals(40_000, a.balance);
    }

    /**
     * X and Y share an identity hash. One thread holds X and opens a section on (X, Y), which takes their tie monitor;
     * another opens (Y, X), holding the tie monitor while it waits for X: a deadlock when they overlap. The checker
     * sees the tie monitor as a lock and reports it from two sequential runs.
     */
    @Test
    void theCheckerSeesTheTieMonitor() throws Exception {
        Object[] tied = findTie();
        Object x = tied[0];
        Object y = tied[1];
        List<LockOrderViolationException> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        LockOrder.reset();
        LockOrder.onViolation(reports::add);
        LockOrder.setMode(LockOrder.Mode.REPORT);
        try {
            Race.race(1, i -> CriticalSection.run(x, () -> CriticalSection.run(x, y, () -> { })));
            Race.race(1, i -> CriticalSection.prepare(y, x).run(() -> { }));
        } finally {
            LockOrder.setMode(LockOrder.Mode.OFF);
            LockOrder.reset();
        }
        assertFalse(reports.isEmpty(), "the nesting through the tie monitor is a potential deadlock");
        assertTrue(reports.get(0).getMessage().contains("tie monitor of identity hash "
                + Integer.toHexString(System.identityHashCode(x))), reports.get(0).getMessage());
    }

    /**
     * A section on the tied pair {A, B} takes A then B under the tie monitor; nesting a section on A inside one on B
     * takes B then A without it. Together they deadlock (as two threads do within seconds), and the checker reports
     * it; two sections naming the pair in opposite orders hold the tie monitor both, and are not reported.
     */
    @Test
    void orderInsideATiedGroupCountsAgainstNestingWithoutTheTieMonitor() throws Exception {
        Object[] tied = findTie();
        Object a = tied[0];
        Object b = tied[1];
        List<LockOrderViolationException> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        LockOrder.reset();
        LockOrder.onViolation(reports::add);
        LockOrder.setMode(LockOrder.Mode.REPORT);
        try {
            Race.race(1, i -> CriticalSection.run(a, b, () -> { }));
            Race.race(1, i -> CriticalSection.run(b, a, () -> { }));
            Race.race(1, i -> CriticalSection.prepare(b, a).run(() -> { }));
            assertEquals(List.of(), reports, "both hold the tie monitor: no deadlock");
            Race.race(1, i -> CriticalSection.run(b, () -> CriticalSection.run(a, () -> { })));
            Race.race(1, i -> CriticalSection.run(a, () -> CriticalSection.run(b, () -> { })));
        } finally {
            LockOrder.setMode(LockOrder.Mode.OFF);
            LockOrder.reset();
        }
        assertFalse(reports.isEmpty(), "a section on the pair and a nesting without the tie monitor can deadlock");
    }

    /**
     * a, b and c share one identity hash. Sections on (a, b) and (a, c), each nested in the other, from two threads:
     * both take the tie monitor first and hold it throughout, so they cannot deadlock, and the order between b and c
     * is gated by the monitor from its first hold, not its re-entrant one. No report.
     */
    @Test
    void sectionsNestedUnderOneTieMonitorAreNotACycle() throws Exception {
        Object[] tied = findTiedGroup(3);
        Object a = tied[0];
        Object b = tied[1];
        Object c = tied[2];
        List<LockOrderViolationException> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        LockOrder.reset();
        LockOrder.onViolation(reports::add);
        LockOrder.setMode(LockOrder.Mode.REPORT);
        try {
            Race.race(1, i -> CriticalSection.run(a, b, () -> CriticalSection.run(a, c, () -> { })));
            Race.race(1, i -> CriticalSection.run(a, c, () -> CriticalSection.run(a, b, () -> { })));
            Race.race(1, i -> CriticalSection.run(a, b, () -> CriticalSection.run(c, () -> { })));
            Race.race(1, i -> CriticalSection.run(a, c, () -> CriticalSection.run(b, () -> { })));
        } finally {
            LockOrder.setMode(LockOrder.Mode.OFF);
            LockOrder.reset();
        }
        assertEquals(List.of(), reports);
    }

    /**
     * Under another pair's tie monitor, (x, y) is taken in one order; alone, in the other. Both orders hold the tie
     * monitor of x and y, whatever else is held, so they are not a cycle: an edge keeps every gate held under it.
     */
    @Test
    void anOrderUnderTwoTieMonitorsIsGatedByEach() throws Exception {
        List<Object[]> ties = findTies(2);
        Object p = ties.get(0)[0];
        Object q = ties.get(0)[1];
        Object x = ties.get(1)[0];
        Object y = ties.get(1)[1];
        List<LockOrderViolationException> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        LockOrder.reset();
        LockOrder.onViolation(reports::add);
        LockOrder.setMode(LockOrder.Mode.REPORT);
        try {
            Race.race(1, i -> CriticalSection.run(p, q, () -> CriticalSection.run(x, y, () -> { })));
            Race.race(1, i -> CriticalSection.run(y, x, () -> { }));
        } finally {
            LockOrder.setMode(LockOrder.Mode.OFF);
            LockOrder.reset();
        }
        assertEquals(List.of(), reports);
    }

    /** {@code size} distinct objects sharing one identity hash. */
    private static Object[] findTiedGroup(int size) {
        for (int round = 0; round < 10; round++) {
            int n = 4_000_000;
            Object[] objects = new Object[n];
            long[] keys = new long[n]; // hash in the high half, index in the low: sorting groups equal hashes
            for (int i = 0; i < n; i++) {
                objects[i] = new Object();
                keys[i] = ((long) System.identityHashCode(objects[i]) << 32) | i;
            }
            java.util.Arrays.sort(keys);
            for (int i = 0; i + size <= n; i++) {
                if (keys[i] >>> 32 == keys[i + size - 1] >>> 32) {
                    Object[] group = new Object[size];
                    for (int j = 0; j < size; j++) {
                        group[j] = objects[(int) keys[i + j]];
                    }
                    return group;
                }
            }
        }
        throw new AssertionError("found no " + size + " objects sharing an identity hash");
    }

    @Test
    void badArguments() {
        Object a = new Object();
        assertThrows(NullPointerException.class, () -> CriticalSection.run(null, () -> {}));
        assertThrows(NullPointerException.class, () -> CriticalSection.run(a, (Runnable) null));
        assertThrows(NullPointerException.class, () -> CriticalSection.run(a, null, () -> {}));
        assertThrows(NullPointerException.class, () -> CriticalSection.run(new Object[] {a, null}, () -> {}));
        assertThrows(NullPointerException.class, () -> CriticalSection.run((Object[]) null, () -> {}));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> CriticalSection.run(new Object[0], () -> {}));
        assertTrue(empty.getMessage().contains(">= 1"));
        assertSame(a, CriticalSection.call(new Object[] {a}, () -> a));
        assertThrows(NullPointerException.class, () -> CriticalSection.prepare((Object[]) null));
        NullPointerException element = assertThrows(NullPointerException.class,
                () -> CriticalSection.prepare(a, null));
        assertTrue(element.getMessage().contains("objects[1]"), element.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, CriticalSection::prepare);
        assertTrue(none.getMessage().contains(">= 1"), none.getMessage());
        assertThrows(NullPointerException.class, () -> CriticalSection.prepare(a).run(null));
        assertThrows(NullPointerException.class, () -> CriticalSection.prepare(a).call(null));
    }
}
