package io.ft4j.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.ft4j.lock.IntervalLock;
import io.ft4j.lock.PriorityInheritanceLock;
import io.ft4j.lock.PriorityLock;
import io.ft4j.lock.ReaderWriterLock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/** The memory-ordering claims of ft4j's locks. */
public class LockStress {
    /**
     * ReaderWriterLock's readers and writers exclude each other on whichever path the adaptive lock gives them (the
     * central word, or slots once bias is on; {@code io.ft4j.lock.ReaderWriterLockStress} forces the slots). Neither
     * releases, so success is simultaneous.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "a writer and a reader held the lock together")
    @Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "one of them got in")
    @Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "each saw the other and backed off")
    @State
    public static class WriterExcludesReader {
        private final ReaderWriterLock lock = new ReaderWriterLock();

        @Actor
        public void writer(II_Result r) {
            r.r1 = lock.writeLock().tryLock() ? 1 : 0;
        }

        @Actor
        public void reader(II_Result r) {
            r.r2 = lock.readLock().tryLock() ? 1 : 0;
        }
    }

    /** A read section sees no write happen inside it: the writer cannot get in while the reader is between its loads. */
    @JCStressTest
    @Outcome(id = {"0, 0", "1, 1"}, expect = ACCEPTABLE, desc = "the write came wholly before or after the section")
    @Outcome(id = {"0, 1", "1, 0"}, expect = FORBIDDEN, desc = "the writer changed the value inside a read section")
    @State
    public static class ReadSectionIsStable {
        private final ReaderWriterLock lock = new ReaderWriterLock();
        private int x;

        @Actor
        public void reader(II_Result r) {
            lock.readLock().lock();
            r.r1 = x;
            r.r2 = x;
            lock.readLock().unlock();
        }

        @Actor
        public void writer() {
            lock.writeLock().lock();
            x = 1;
            lock.writeLock().unlock();
        }
    }

    /** What a writer wrote under the lock is wholly visible to a reader that gets in after it. */
    @JCStressTest
    @Outcome(id = {"0, 0", "1, 2"}, expect = ACCEPTABLE, desc = "the reader came before or after the writer")
    @Outcome(expect = FORBIDDEN, desc = "the reader saw half of the writer's section")
    @State
    public static class WriterPublishesToReader {
        private final ReaderWriterLock lock = new ReaderWriterLock();
        private int x;
        private int y;

        @Actor
        public void writer() {
            lock.writeLock().lock();
            x = 1;
            y = 2;
            lock.writeLock().unlock();
        }

        @Actor
        public void reader(II_Result r) {
            lock.readLock().lock();
            r.r1 = x;
            r.r2 = y;
            lock.readLock().unlock();
        }
    }

    /**
     * The hand-off locks' fast paths and hand-offs exclude and publish: two plain increments under each lock are never
     * lost. IntervalLock and PriorityLock hand over through their shared queue (at different priorities here);
     * PriorityInheritanceLock through a CAS on native memory and the kernel's FUTEX_LOCK_PI / FUTEX_UNLOCK_PI.
     */
    @JCStressTest
    @Outcome(id = "2, 2, 2", expect = ACCEPTABLE, desc = "every increment under every lock")
    @Outcome(expect = FORBIDDEN, desc = "an increment was lost: a lock let two owners in")
    @State
    public static class HandOffLocksExclude {
        private final IntervalLock interval = new IntervalLock();
        private final PriorityLock priority = new PriorityLock();
        private final PriorityInheritanceLock inheritance = new PriorityInheritanceLock();
        private int underInterval;
        private int underPriority;
        private int underInheritance;

        private void all(int rank) {
            interval.lock();
            underInterval++;
            interval.unlock();
            priority.lock(rank);
            underPriority++;
            priority.unlock();
            inheritance.lock();
            underInheritance++;
            inheritance.unlock();
        }

        @Actor
        public void high() {
            all(150);
        }

        @Actor
        public void low() {
            all(10);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r1 = underInterval;
            r.r2 = underPriority;
            r.r3 = underInheritance;
        }
    }
}
