package io.ft4j.thread;

import io.ft4j.internal.os.Errno;

/**
 * The OS refused a thread-control call. Carries the errno, its name and a hint on what to change, e.g.
 * {@code "sched_setscheduler failed: EPERM (1): real-time policies (FIFO, RR) need CAP_SYS_NICE ..."}.
 *
 * <p>An unprivileged process meets EPERM and EACCES routinely (real-time policies, negative nice values); treat them
 * as "not available here" and carry on.
 */
public final class ThreadControlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    /**
     * @param call the libc function that failed
     * @param errno the errno it left
     */
    public ThreadControlException(String call, int errno) {
        super(call + " failed: " + Errno.name(errno) + " (" + errno + "): " + Errno.hint(call, errno));
        this.call = call;
        this.errno = errno;
    }

    /** @return the libc function that failed, such as {@code "sched_setaffinity"} */
    public String call() {
        return call;
    }

    /** @return the errno value */
    public int errno() {
        return errno;
    }

    /** @return the errno's symbolic name, such as {@code "EPERM"} */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** @return what the caller can do about it */
    public String hint() {
        return Errno.hint(call, errno);
    }
}
