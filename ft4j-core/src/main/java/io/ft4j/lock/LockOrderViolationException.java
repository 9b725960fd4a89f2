package io.ft4j.lock;

/**
 * Thrown by {@link LockOrder} in {@link LockOrder.Mode#STRICT strict} mode, before an acquisition that would close a
 * cycle in the lock-order graph or break a lock hierarchy, and handed to the violation handler in
 * {@link LockOrder.Mode#REPORT report} mode. The lock was not acquired when it is thrown.
 *
 * <p>The message names every lock on the cycle, the mode it was held or wanted in, and the source line and thread
 * that first took each step, so both sides of the potential deadlock can be found without reproducing it.
 */
public final class LockOrderViolationException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that describes the violation.
     *
     * @param message the cycle or hierarchy breach, with acquisition sites
     */
    public LockOrderViolationException(String message) {
        super(message);
    }
}
