package io.ft4j.internal.os;

/**
 * Thrown by the native layer when an OS call fails: the call and its errno, nothing more. The API layer turns it into
 * its own exception with advice ({@code io.ft4j.thread.ThreadControlException}), so this layer depends on no API
 * package.
 */
public final class OsCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The call that failed. */
    private final String call;
    /** The errno it left. */
    private final int errno;

    /**
     * Creates the exception for a failed call.
     *
     * @param call the libc function or file that failed, such as {@code "sched_setaffinity"}
     * @param errno the errno it left
     */
    public OsCallException(String call, int errno) {
        super(call + " failed: " + Errno.name(errno) + " (" + errno + ")", null, false, false);
        this.call = call;
        this.errno = errno;
    }

    /**
     * Returns the call that failed.
     *
     * @return the call that failed
     */
    public String call() {
        return call;
    }

    /**
     * Returns the errno the failed call left.
     *
     * @return the errno the failed call left
     */
    public int errno() {
        return errno;
    }
}
