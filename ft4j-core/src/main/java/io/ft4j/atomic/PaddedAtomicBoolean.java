package io.ft4j.atomic;

import java.lang.invoke.VarHandle;

/**
 * A {@code boolean} value updated atomically and padded against false sharing: the operations and names of
 * {@link java.util.concurrent.atomic.AtomicBoolean}, with each instance alone on its cache lines, and a
 * {@link #getAndSet(boolean) getAndSet(true)} that reads before it writes, so that threads spinning on a set flag do
 * not take its cache line from each other. The design follows the {@code AtomicFlag} of ft_utils, a library for
 * free-threaded Python.
 *
 * <pre>{@code
 * PaddedAtomicBoolean started = new PaddedAtomicBoolean();
 * if (!started.getAndSet(true)) {      // exactly one thread sees false
 *     startOnce();
 * }
 * }</pre>
 *
 * <p>Unless its name says otherwise, every method has volatile semantics; {@link #getAcquire()} and
 * {@link #setRelease(boolean)} have the effects of the VarHandle modes of the same name.
 */
/*
 * Design notes
 *
 * Algorithm. The long slot of a PaddedCell holds 0 (false) or 1 (true); ft_utils stores -1/0 in an AtomicInt64; the
 * encoding is private here. getAndSet(true) is test-and-test-and-set: a volatile read first, and only when it sees
 * false an XCHG. A flag that is already set is therefore tested without taking its cache line exclusive, which keeps
 * spinning readers from slowing the writer down.
 *
 * Linearization points. get/set: the access. getAndSet(true): the read when it sees true (the flag is set then and
 * stays so, a read is a valid linearization), otherwise the XCHG. compareAndSet: the CAS.
 */
public final class PaddedAtomicBoolean extends PaddedCell {
    private static final long TRUE = 1L;
    private static final long FALSE = 0L;

    /** Creates a cleared flag ({@code false}). */
    public PaddedAtomicBoolean() {}

    /**
     * Creates a flag holding {@code initial}.
     *
     * @param initial the starting state
     */
    public PaddedAtomicBoolean(boolean initial) {
        VALUE.set(this, initial ? TRUE : FALSE);
    }

    /**
     * Returns the flag, with volatile semantics.
     *
     * @return the state
     */
    public boolean get() {
        return (long) VALUE.getVolatile(this) != FALSE;
    }

    /**
     * Sets the flag, with volatile semantics.
     *
     * @param newValue the new state
     */
    public void set(boolean newValue) {
        VALUE.setVolatile(this, newValue ? TRUE : FALSE);
    }

    /**
     * Sets the flag to {@code newValue} and returns what it was, in one atomic step: of many threads racing
     * {@code getAndSet(true)} on a {@code false} flag, exactly one gets {@code false}. When the flag already holds
     * {@code newValue}, the call only reads it and then issues a full fence (test-and-test-and-set): the same result
     * and the same memory effects as an exchange, without taking the cache line from the other cores.
     *
     * @param newValue the new state
     * @return the previous state
     */
    public boolean getAndSet(boolean newValue) {
        long target = newValue ? TRUE : FALSE;
        if ((long) VALUE.getVolatile(this) == target) {
            // The exchange that did not need to write: the fence gives the call a write's ordering too, so that, as
            // with AtomicBoolean, no earlier store passes a later load across it (store buffering).
            VarHandle.fullFence();
            return newValue;
        }
        return (long) VALUE.getAndSet(this, target) != FALSE;
    }

    /**
     * Sets the flag to {@code newValue} if it is {@code expected}.
     *
     * @param expected the state the caller believes is current
     * @param newValue the state to store if it is
     * @return true if the exchange happened
     */
    public boolean compareAndSet(boolean expected, boolean newValue) {
        return VALUE.compareAndSet(this, expected ? TRUE : FALSE, newValue ? TRUE : FALSE);
    }

    /**
     * Sets the flag to {@code newValue} if it is {@code expected}, and returns the state seen (the "witness"): the
     * exchange happened if and only if the witness equals {@code expected}.
     *
     * @param expected the state the caller believes is current
     * @param newValue the state to store if it is
     * @return the state before the call
     */
    public boolean compareAndExchange(boolean expected, boolean newValue) {
        return (long) VALUE.compareAndExchange(this, expected ? TRUE : FALSE, newValue ? TRUE : FALSE) != FALSE;
    }

    /**
     * Returns the flag with acquire semantics; pairs with {@link #setRelease(boolean)}.
     *
     * @return the state
     */
    public boolean getAcquire() {
        return (long) VALUE.getAcquire(this) != FALSE;
    }

    /**
     * Sets the flag with release semantics: a thread that reads the new state with {@link #getAcquire()} sees
     * everything this thread wrote before.
     *
     * @param newValue the new state
     */
    public void setRelease(boolean newValue) {
        VALUE.setRelease(this, newValue ? TRUE : FALSE);
    }

    /**
     * Returns {@code "true"} or {@code "false"}.
     *
     * @return the state as a string
     */
    @Override
    public String toString() {
        return Boolean.toString(get());
    }
}
