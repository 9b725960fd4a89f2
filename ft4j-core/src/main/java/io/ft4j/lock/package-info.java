/**
 * Locks beyond java.util.concurrent's: a writer-preferring {@link io.ft4j.lock.ReaderWriterLock} whose readers share
 * no cache line, the time-sliced {@link io.ft4j.lock.IntervalLock} (the GIL's switch interval as a tool),
 * {@link io.ft4j.lock.CriticalSection} for holding several objects' monitors without deadlock, and
 * {@link io.ft4j.lock.LockOrder}, which finds potential deadlocks from the order threads take locks in, and for mixed
 * criticality {@link io.ft4j.lock.PriorityLock} (waiters granted by priority) and
 * {@link io.ft4j.lock.PriorityInheritanceLock} (the owner runs at its waiter's real-time priority, through the kernel).
 *
 * <p>Blocking waits over 1 ms in ReaderWriterLock, IntervalLock, PriorityLock and PriorityInheritanceLock are recorded
 * as the JFR event {@code io.ft4j.LockWait} (lock, owner, both priorities) while a recording enables it.
 *
 * <p>All locks check ownership: releasing what the calling thread does not hold throws
 * {@link java.lang.IllegalMonitorStateException}; an acquisition that could only deadlock (re-locking a
 * non-re-entrant lock, upgrading a read lock) throws {@link java.lang.IllegalStateException} at once.
 */
package io.ft4j.lock;
