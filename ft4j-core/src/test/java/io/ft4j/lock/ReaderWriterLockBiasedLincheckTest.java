package io.ft4j.lock;

/**
 * {@link ReaderWriterLockLincheckTest} on a lock whose readers take the biased path whenever no writer has just
 * revoked it: bias revocation, backing out of a slot, and a writer waiting for slots to drain are all explored.
 */
public class ReaderWriterLockBiasedLincheckTest extends ReaderWriterLockLincheckTest {
    @Override
    ReaderWriterLock newLock() {
        return new ReaderWriterLock(null, LockOrder.NO_LEVEL, ReaderWriterLock.ALWAYS);
    }
}
