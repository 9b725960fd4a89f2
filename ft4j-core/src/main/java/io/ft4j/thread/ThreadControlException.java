package io.ft4j.thread;

import io.ft4j.internal.os.Errno;

/**
 * Thrown when the OS refuses a thread-control call. Carries the errno, its name and a hint on what to change, e.g.
 * {@code "sched_setscheduler failed: EPERM (1): real-time policies (FIFO, RR) need CAP_SYS_NICE ..."}.
 *
 * <p>An unprivileged process meets EPERM and EACCES routinely (real-time policies, negative nice values); treat them
 * as "not available here" and carry on.
 */
public final class ThreadControlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The libc function that failed. */
    private final String call;
    /** The errno it left. */
    private final int errno;

    /**
     * Creates an exception for a failed call; the message holds the errno's name and a hint.
     *
     * @param call the libc function that failed, such as {@code "sched_setaffinity"}
     * @param errno the errno it left, such as 1 for EPERM
     */
    public ThreadControlException(String call, int errno) {
        super(call + " failed: " + Errno.name(errno) + " (" + errno + "): " + Errno.hint(call, errno));
        this.call = call;
        this.errno = errno;
    }

    /**
     * Returns the libc function that failed.
     *
     * @return the function's name, such as {@code "sched_setaffinity"}
     */
    public String call() {
        return call;
    }

    /**
     * Returns the errno the failed call left.
     *
     * @return the errno value, such as 1 for EPERM
     */
    public int errno() {
        return errno;
    }

    /**
     * Returns the errno's symbolic name.
     *
     * @return the name, such as {@code "EPERM"}, or {@code "errno 123"} for a number ft4j does not name
     */
    public String errnoName() {
        return Errno.name(errno);
    }

    /**
     * Returns a hint on what the caller can change to avoid the failure.
     *
     * @return the hint, in English
     */
    public String hint() {
        return Errno.hint(call, errno);
    }
}
