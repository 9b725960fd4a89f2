package io.ft4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.lock.CriticalSection;
import io.ft4j.lock.IntervalLock;
import io.ft4j.lock.LockOrder;
import io.ft4j.lock.LockOrderViolationException;
import io.ft4j.lock.ReaderWriterLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** The examples of docs/locks.md, compiled and run; the regions between the tags are what the guide shows. */
@SuppressWarnings("try")
class LocksGuideTest {
    static final class Account {
        private long balance = 100;

        void deposit(long amount) {
            balance += amount;
        }

        void withdraw(long amount) {
            balance -= amount;
        }

        long total() {
            return balance;
        }
    }

    @Test
    void readerWriter() throws Exception {
        Map<String, String> table = new HashMap<>(Map.of("a", "x"));
        String key = "a";
        String route;
        // tag::rw[]
        ReaderWriterLock lock = new ReaderWriterLock("routes");
        try (var r = lock.read()) {          // or lock.readLock().lock() / unlock()
            route = table.get(key);
        }
        try (var w = lock.write()) {
            table.put(key, route + "'");
        }
        boolean got = lock.readLock().tryLock(10, TimeUnit.MILLISECONDS);
        // end::rw[]
        assertTrue(got);
        assertEquals(1, lock.getReadLockCount());
        lock.readLock().unlock();
        assertEquals("x'", table.get("a"));
    }

    /** A point written under the write lock and read optimistically. */
    static final class Point {
        private final ReaderWriterLock lock = new ReaderWriterLock("point");
        private double x;
        private double y;

        void move(double dx, double dy) {
            try (var w = lock.write()) {
                x += dx;
                y += dy;
            }
        }

        // tag::optimistic[]
        double distanceFromOrigin() {
            long stamp = lock.tryOptimisticRead();   // no lock taken, nothing written
            double cx = x;
            double cy = y;                           // may be half of a move until validated
            if (!lock.validate(stamp)) {
                try (var r = lock.read()) {          // a writer came by: read again under the lock
                    cx = x;
                    cy = y;
                }
            }
            return Math.hypot(cx, cy);
        }
        // end::optimistic[]
    }

    @Test
    void optimisticReads() {
        Point p = new Point();
        p.move(3, 4);
        assertEquals(5.0, p.distanceFromOrigin());
        long stamp = p.lock.tryOptimisticRead();
        p.move(3, 4);
        assertFalse(p.lock.validate(stamp));
        assertEquals(10.0, p.distanceFromOrigin());
    }

    @Test
    void interval() {
        List<Integer> work = List.of(1, 2, 3);
        List<Integer> done = new ArrayList<>();
        // tag::interval[]
        IntervalLock lock = new IntervalLock(Duration.ofMillis(5));
        lock.lock();
        try {
            for (int item : work) {
                done.add(item);    // serial with every other holder of the lock
                lock.cedeIfDue();  // 5 ms into our turn? hand the lock to the next waiter, queue behind the rest
            }
        } finally {
            lock.unlock();
        }
        // end::interval[]
        assertEquals(work, done);
        assertFalse(lock.isLocked());
    }

    @Test
    void criticalSection() {
        Account account = new Account();
        Account from = new Account();
        Account to = new Account();
        Account a = new Account();
        Account b = new Account();
        Account c = new Account();
        // tag::cs[]
        CriticalSection.run(account, () -> account.deposit(10));
        CriticalSection.run(from, to, () -> { from.withdraw(10); to.deposit(10); });   // either order, no deadlock
        long sum = CriticalSection.call(new Object[] {a, b, c}, () -> a.total() + b.total() + c.total());
        // end::cs[]
        assertEquals(110, account.total());
        assertEquals(90, from.total());
        assertEquals(110, to.total());
        assertEquals(300, sum);
    }

    @Test
    void lockOrder() {
        List<String> reports = new ArrayList<>();
        LockOrder.Mode before = LockOrder.mode();
        try {
            // tag::lockorder[]
            LockOrder.setMode(LockOrder.Mode.REPORT);              // before the threads to be checked start
            LockOrder.onViolation(v -> reports.add(v.getMessage())); // default: System.Logger at WARNING
            Lock cache = LockOrder.wrap(new ReentrantLock(), "cache");   // a lock ft4j did not create
            ReaderWriterLock db = new ReaderWriterLock("db", 2);   // with a level: take lower levels first
            // end::lockorder[]
            cache.lock();
            db.writeLock().lock();
            db.writeLock().unlock();
            cache.unlock();
            db.writeLock().lock();
            cache.lock(); // the other order: a potential deadlock, reported
            cache.unlock();
            db.writeLock().unlock();
            assertEquals(1, reports.size(), reports.toString());
            assertTrue(reports.get(0).contains("cache") && reports.get(0).contains("db"), reports.get(0));
            LockOrder.setMode(LockOrder.Mode.STRICT);
            ReaderWriterLock low = new ReaderWriterLock("low", 1);
            db.writeLock().lock();
            try {
                org.junit.jupiter.api.Assertions.assertThrows(LockOrderViolationException.class,
                        () -> low.writeLock().lock());
            } finally {
                db.writeLock().unlock();
            }
        } finally {
            LockOrder.setMode(before);
            LockOrder.reset();
        }
    }
}
