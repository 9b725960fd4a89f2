/**
 * Atomic variables: {@link io.ft4j.atomic.PaddedAtomicLong}, {@link io.ft4j.atomic.PaddedAtomicReference} and
 * {@link io.ft4j.atomic.PaddedAtomicBoolean}, each padded against false sharing.
 *
 * <h2 id="MemoryVisibility">Memory effects</h2>
 * Methods without a mode in their name ({@code get}, {@code set}, {@code incrementAndGet}, {@code getAndAdd},
 * {@code getAndSet}, {@code compareAndSet}, ...) are <em>volatile</em>: together they form one total order that every
 * thread agrees on, and a volatile write happens-before every volatile read that sees it.
 *
 * <p>The named variants have exactly the effects of the {@link java.lang.invoke.VarHandle} access mode of the same
 * name:
 * <ul>
 *   <li>{@code getPlain}/{@code setPlain}: an ordinary field access; no promise across threads.</li>
 *   <li>{@code getOpaque}/{@code setOpaque}: atomic and coherent for this one variable (a thread never sees it go
 *       back in time), never optimised away, but no ordering against other variables. Good for progress counters read
 *       by a monitor thread.</li>
 *   <li>{@code getAcquire}: no later access of the reading thread moves before it.</li>
 *   <li>{@code setRelease}: no earlier access of the writing thread moves after it.</li>
 * </ul>
 *
 * <p><b>Pair the modes.</b> Match the mutating method with the reading method: a value stored with
 * {@code setRelease} (or any volatile write) and read with {@code getAcquire} (or any volatile read) carries with it
 * every write the storing thread made before the store. A {@code setRelease} read with {@code getOpaque} or
 * {@code getPlain} carries nothing. This is the message-passing pattern the jcstress tests in {@code ft4j-jcstress}
 * check for each class.
 */
package io.ft4j.atomic;
