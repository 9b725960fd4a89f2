package io.ft4j.lock;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * ReaderWriterLock's bias revocation and optimistic validation. In this package to build locks whose bias is always
 * on (a package-private constructor), so that every reader takes the biased path a revoking writer must see.
 */
public class ReaderWriterLockStress {
    private static ReaderWriterLock biased() {
        return new ReaderWriterLock(null, LockOrder.NO_LEVEL, ReaderWriterLock.ALWAYS);
    }

    /**
     * Bias revocation's Dekker claim: a biased reader stores to its slot then loads the bias, a writer stores the
     * revoked bias then loads the slots, so they cannot both get in. Neither releases, so success is simultaneous.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "a writer and a biased reader held the lock together")
    @Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "one of them got in")
    @Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "each saw the other and backed off")
    @State
    public static class RevokingWriterSeesBiasedReader {
        private final ReaderWriterLock lock = biased();

        @Actor
        public void writer(II_Result r) {
            r.r1 = lock.writeLock().tryLock() ? 1 : 0;
        }

        @Actor
        public void reader(II_Result r) {
            r.r2 = lock.readLock().tryLock() ? 1 : 0;
        }
    }

    /** A biased read section sees no write inside it: the writer waits for the slot to clear. */
    @JCStressTest
    @Outcome(id = {"0, 0", "1, 1"}, expect = ACCEPTABLE, desc = "the write came wholly before or after the section")
    @Outcome(id = {"0, 1", "1, 0"}, expect = FORBIDDEN, desc = "the writer changed the value inside a read section")
    @State
    public static class BiasedReadSectionIsStable {
        private final ReaderWriterLock lock = biased();
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

    /**
     * A validated optimistic read never sees a torn pair written under the write lock: (valid, x, y) with valid = 1
     * only for (0, 0) or (1, 2).
     */
    @JCStressTest
    @Outcome(id = {"1, 0, 0", "1, 1, 2"}, expect = ACCEPTABLE, desc = "validated: the pair before or after the write")
    @Outcome(id = {"0, 0, 0", "0, 1, 2", "0, 1, 0", "0, 0, 2"}, expect = ACCEPTABLE_INTERESTING,
            desc = "not validated: the reader would read again under the lock")
    @Outcome(expect = FORBIDDEN, desc = "validated, yet the pair was torn")
    @State
    public static class ValidatedOptimisticReadIsNotTorn {
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
        public void reader(III_Result r) {
            long stamp = lock.tryOptimisticRead();
            int a = x;
            int b = y;
            r.r1 = lock.validate(stamp) ? 1 : 0;
            r.r2 = a;
            r.r3 = b;
        }
    }
}
