package io.ft4j.lock;

/**
 * A held lock as a try-with-resources resource: {@code try (var r = lock.read()) { ... }}. Closing it releases the
 * hold taken when the scope was opened, on the same thread; closing on another thread throws
 * {@link IllegalMonitorStateException} like any unlock by a non-owner.
 */
@FunctionalInterface
public interface LockScope extends AutoCloseable {
    /** Releases the hold; unlike {@link AutoCloseable#close()} it throws no checked exception. */
    @Override
    void close();
}
