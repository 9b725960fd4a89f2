package io.ft4j.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.testing.Blocked;
import io.ft4j.testing.Race;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way of taking every ft4j lock, and a lock seen through {@link LockOrder#wrap}, is reported at the caller's
 * line: the checker skips ft4j-core's frames as a whole, so no lock class can be left out of its list.
 */
class LockOrderSitesTest extends LockOrderReports {
    private static final Pattern SITE = Pattern.compile(" at ([\\w.$]+)\\(([^)]*)\\)");
    private static final AtomicInteger LINE = new AtomicInteger();
    /** The line of the caller: call it on the same line as the acquisition it marks. */
    private static int line() {
        return StackWalker.getInstance().walk(s -> s.skip(1).findFirst().orElseThrow().getLineNumber());
    }

    /** Takes the lock under test at a line it records in {@link #LINE}, runs {@code inner}, releases it. */
    @FunctionalInterface
    interface Taker {
        void around(Runnable inner) throws Exception;
    }

    static Stream<Arguments> takers() {
        List<Arguments> all = new ArrayList<>();
        ReaderWriterLock rw = new ReaderWriterLock("X");
        all.add(Arguments.of("ReaderWriterLock write lock()", (Taker) in -> {
            LINE.set(line()); rw.writeLock().lock();
            try { in.run(); } finally { rw.writeLock().unlock(); }
        }));
        all.add(Arguments.of("ReaderWriterLock read lock()", (Taker) in -> {
            LINE.set(line()); rw.readLock().lock();
            try { in.run(); } finally { rw.readLock().unlock(); }
        }));
        all.add(Arguments.of("ReaderWriterLock write tryLock(time)", (Taker) in -> {
            LINE.set(line()); assertTrue(rw.writeLock().tryLock(1, TimeUnit.MINUTES));
            try { in.run(); } finally { rw.writeLock().unlock(); }
        }));
        all.add(Arguments.of("ReaderWriterLock read lockInterruptibly()", (Taker) in -> {
            LINE.set(line()); rw.readLock().lockInterruptibly();
            try { in.run(); } finally { rw.readLock().unlock(); }
        }));
        IntervalLock interval = new IntervalLock(Duration.ofSeconds(1000), "X");
        all.add(Arguments.of("IntervalLock lock()", (Taker) in -> {
            LINE.set(line()); interval.lock();
            try { in.run(); } finally { interval.unlock(); }
        }));
        all.add(Arguments.of("IntervalLock tryLock(time)", (Taker) in -> {
            LINE.set(line()); assertTrue(interval.tryLock(1, TimeUnit.MINUTES));
            try { in.run(); } finally { interval.unlock(); }
        }));
        all.add(Arguments.of("IntervalLock locked()", (Taker) in -> {
            LINE.set(line()); try (LockScope held = interval.locked()) {
                in.run();
            }
        }));
        PriorityLock priority = new PriorityLock("X");
        all.add(Arguments.of("PriorityLock lock()", (Taker) in -> {
            LINE.set(line()); priority.lock();
            try { in.run(); } finally { priority.unlock(); }
        }));
        all.add(Arguments.of("PriorityLock lock(priority)", (Taker) in -> {
            LINE.set(line()); priority.lock(7);
            try { in.run(); } finally { priority.unlock(); }
        }));
        all.add(Arguments.of("PriorityLock lockInterruptibly(priority)", (Taker) in -> {
            LINE.set(line()); priority.lockInterruptibly(7);
            try { in.run(); } finally { priority.unlock(); }
        }));
        all.add(Arguments.of("PriorityLock tryLock(priority, time)", (Taker) in -> {
            LINE.set(line()); assertTrue(priority.tryLock(7, 1, TimeUnit.MINUTES));
            try { in.run(); } finally { priority.unlock(); }
        }));
        all.add(Arguments.of("PriorityLock locked(priority)", (Taker) in -> {
            LINE.set(line()); try (LockScope held = priority.locked(7)) {
                in.run();
            }
        }));
        if (PriorityInheritanceLock.isSupported()) {
            PriorityInheritanceLock pi = new PriorityInheritanceLock("X");
            all.add(Arguments.of("PriorityInheritanceLock lock()", (Taker) in -> {
                LINE.set(line()); pi.lock();
                try { in.run(); } finally { pi.unlock(); }
            }));
            all.add(Arguments.of("PriorityInheritanceLock tryLock(time)", (Taker) in -> {
                LINE.set(line()); assertTrue(pi.tryLock(1, TimeUnit.MINUTES));
                try { in.run(); } finally { pi.unlock(); }
            }));
            all.add(Arguments.of("PriorityInheritanceLock locked()", (Taker) in -> {
                LINE.set(line()); try (LockScope held = pi.locked()) {
                    in.run();
                }
            }));
        }
        Object object = new Object() {
            @Override
            public String toString() {
                return "X";
            }
        };
        all.add(Arguments.of("CriticalSection.run(object)", (Taker) in -> {
            LINE.set(line()); CriticalSection.run(object, in);
        }));
        Object another = new Object();
        all.add(Arguments.of("CriticalSection.call(object, object)", (Taker) in -> {
            LINE.set(line()); CriticalSection.call(object, another, () -> {
                in.run();
                return null;
            });
        }));
        CriticalSection.Prepared prepared = CriticalSection.prepare(object, another);
        all.add(Arguments.of("CriticalSection.Prepared.run()", (Taker) in -> {
            LINE.set(line()); prepared.run(in);
        }));
        Lock wrapped = LockOrder.wrap(new ReentrantLock(), "X");
        all.add(Arguments.of("LockOrder.wrap(Lock) lock()", (Taker) in -> {
            LINE.set(line()); wrapped.lock();
            try { in.run(); } finally { wrapped.unlock(); }
        }));
        all.add(Arguments.of("LockOrder.wrap(Lock) tryLock(time)", (Taker) in -> {
            LINE.set(line()); assertTrue(wrapped.tryLock(1, TimeUnit.MINUTES));
            try { in.run(); } finally { wrapped.unlock(); }
        }));
        ReadWriteLock wrappedRw = LockOrder.wrap(new ReentrantReadWriteLock(), "X");
        all.add(Arguments.of("LockOrder.wrap(ReadWriteLock) write lock()", (Taker) in -> {
            LINE.set(line()); wrappedRw.writeLock().lock();
            try { in.run(); } finally { wrappedRw.writeLock().unlock(); }
        }));
        all.add(Arguments.of("LockOrder.wrap(ReadWriteLock) read lockInterruptibly()", (Taker) in -> {
            LINE.set(line()); wrappedRw.readLock().lockInterruptibly();
            try { in.run(); } finally { wrappedRw.readLock().unlock(); }
        }));
        return all.stream();
    }

    /**
     * Thread one takes M, then the lock under test at line L; thread two takes them the other way round. The report
     * names L, and every site it names is in this class.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("takers")
    void theReportNamesTheCallersLine(String what, Taker taker) throws Exception {
        ReaderWriterLock m = new ReaderWriterLock("M");
        int[] line = new int[1];
        inThread(() -> {
            m.writeLock().lock();
            try {
                taker.around(() -> { });
                line[0] = LINE.get();
            } finally {
                m.writeLock().unlock();
            }
        });
        inThread(() -> taker.around(() -> {
            m.writeLock().lock();
            m.writeLock().unlock();
        }));
        // one report per lock taken, two for a section of two objects (each closes its own cycle through M)
        assertFalse(reports.isEmpty(), what);
        for (LockOrderViolationException report : reports) {
            String message = report.getMessage();
            assertTrue(message.contains("(LockOrderSitesTest.java:" + line[0] + ")"),
                    what + ": the acquisition at line " + line[0] + " is named in\n" + message);
            assertSitesAreInThisClass(what, message);
        }
    }

    /** cede() waits for the lock again while holding M, taken after it: reported at the cede. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cedes")
    void cedeIsReportedAtTheCallersLine(String what, Consumer<IntervalLock> cede) throws Exception {
        IntervalLock interval = new IntervalLock(Duration.ZERO, "I");
        Lock m = LockOrder.wrap(new ReentrantLock(), "M");
        interval.lock();
        m.lock();
        Blocked waiter = Blocked.start(() -> {
            interval.lock();
            interval.unlock();
            return null;
        });
        cede.accept(interval);
        m.unlock();
        interval.unlock();
        assertEquals(null, waiter.outcome());
        assertEquals(1, reports.size(), what + ": " + reports);
        String message = reports.get(0).getMessage();
        assertTrue(message.contains("(LockOrderSitesTest.java:" + LINE.get() + ")"), what + ": " + message);
        assertSitesAreInThisClass(what, message);
    }

    static Stream<Arguments> cedes() {
        return Stream.of(
                Arguments.of("cede()", (Consumer<IntervalLock>) i -> {
                    LINE.set(line()); i.cede();
                }),
                Arguments.of("cedeIfDue()", (Consumer<IntervalLock>) i -> {
                    LINE.set(line()); assertTrue(i.cedeIfDue());
                }));
    }

    private static void assertSitesAreInThisClass(String what, String message) {
        Matcher sites = SITE.matcher(message);
        int found = 0;
        while (sites.find()) {
            found++;
            assertTrue(sites.group(1).startsWith(LockOrderSitesTest.class.getName() + "."),
                    what + ": a site outside the caller, " + sites.group() + ", in\n" + message);
        }
        assertTrue(found >= 2, what + ": both acquisitions of the cycle are named in\n" + message);
        assertFalse(message.contains("QueuedLock") || message.contains("LockOrder.java"), message);
    }

    private static void inThread(Body body) throws Exception {
        Race.race(1, i -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }
}
