package io.ft4j.lock;

/** Every {@link ReaderWriterLockTest} again, with every read counted centrally. */
class ReaderWriterLockCompactTest extends ReaderWriterLockTest {
    @Override
    ReaderWriterLock newLock(String name) {
        return new ReaderWriterLock(name, LockOrder.NO_LEVEL, ReaderWriterLock.NEVER);
    }
}
