package io.ft4j.lock;

/** Every {@link ReaderWriterLockTest} again, with readers on the biased path whenever no writer has just revoked it. */
class ReaderWriterLockBiasedTest extends ReaderWriterLockTest {
    @Override
    ReaderWriterLock newLock(String name) {
        return new ReaderWriterLock(name, LockOrder.NO_LEVEL, ReaderWriterLock.ALWAYS);
    }
}
