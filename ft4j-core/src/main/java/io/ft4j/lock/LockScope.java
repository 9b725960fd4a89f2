package io.ft4j.lock;

/**
 * An {@link AutoCloseable} that releases a held lock, for try-with-resources:
 * {@code try (var r = lock.read()) { ... }}. Closing it releases the hold taken when the scope was opened, on the same
 * thread; closing on another thread throws {@link IllegalMonitorStateException} like any unlock by a non-owner. Close
 * it once: each call releases one hold.
 */
@FunctionalInterface
public interface LockScope extends AutoCloseable {
    /**
     * Releases the hold; unlike {@link AutoCloseable#close()} it throws no checked exception.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock
     */
    @Override
    void close();
}
