package io.ft4j.atomic;


/**
 * A boolean updated atomically, padded against false sharing: ft_utils' {@code AtomicFlag}, with the test-and-set
 * and clear operations a spin flag needs.
 *
 * <pre>{@code
 * AtomicFlag started = new AtomicFlag();
 * if (!started.testAndSet()) {      // exactly one thread sees false
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
 * Algorithm. The long slot of a PaddedCell holds 0 (false) or 1 (true); ft_utils stores -1/0 in an AtomicInt64, the
 * encoding is private here. testAndSet is test-and-test-and-set: a volatile read first, and only when it sees false
 * an XCHG. A flag that is already set is therefore tested without taking its cache line exclusive, which keeps
 * spinning readers from slowing the writer down.
 *
 * Linearization points. get/set/clear: the access. testAndSet: the read when it sees true (the flag is set then and
 * stays so, a read is a valid linearization), otherwise the XCHG. compareAndSet: the CAS.
 */
public final class AtomicFlag extends PaddedCell {
    private static final long TRUE = 1L;
    private static final long FALSE = 0L;

    /** Creates a cleared flag ({@code false}). */
    public AtomicFlag() {}

    /**
     * Creates a flag holding {@code initial}.
     *
     * @param initial the starting state
     */
    public AtomicFlag(boolean initial) {
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
     * Sets the flag to {@code true} and returns what it was, in one atomic step: exactly one of many racing callers
     * on a cleared flag gets {@code false}.
     *
     * @return the previous state
     */
    public boolean testAndSet() {
        if ((long) VALUE.getVolatile(this) != FALSE) {
            return true;
        }
        return (long) VALUE.getAndSet(this, TRUE) != FALSE;
    }

    /** Sets the flag to {@code false}, with volatile semantics. */
    public void clear() {
        VALUE.setVolatile(this, FALSE);
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
