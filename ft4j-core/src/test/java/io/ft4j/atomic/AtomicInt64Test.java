package io.ft4j.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class AtomicInt64Test {

    @Test
    void constructorsAndLoadsAndStoresInEveryMode() {
        assertEquals(0L, new AtomicInt64().get());
        AtomicInt64 a = new AtomicInt64(42);
        assertEquals(42L, a.get());
        assertEquals(42L, a.getPlain());
        assertEquals(42L, a.getOpaque());
        assertEquals(42L, a.getAcquire());
        a.set(1);
        assertEquals(1L, a.get());
        a.setPlain(2);
        assertEquals(2L, a.getAcquire());
        a.setOpaque(3);
        assertEquals(3L, a.getOpaque());
        a.setRelease(4);
        assertEquals(4L, a.getPlain());
        assertEquals("4", a.toString());
    }

    @Test
    void incrAndDecrReturnTheNewValue() {
        AtomicInt64 a = new AtomicInt64(10);
        assertEquals(11L, a.incr());
        assertEquals(10L, a.decr());
        assertEquals(9L, a.decr());
        assertEquals(9L, a.get());
    }

    @Test
    void addAndSubReturnOldOrNewAsNamed() {
        AtomicInt64 a = new AtomicInt64(5);
        assertEquals(5L, a.fetchAdd(3));
        assertEquals(8L, a.get());
        assertEquals(18L, a.addAndGet(10));
        assertEquals(18L, a.fetchSub(8));
        assertEquals(10L, a.get());
        assertEquals(-5L, a.subAndGet(15));
        assertEquals(-10L, a.addAndGet(-5));
    }

    @Test
    void overflowWrapsLikeLong() {
        AtomicInt64 a = new AtomicInt64(Long.MAX_VALUE);
        assertEquals(Long.MIN_VALUE, a.incr());
        assertEquals(Long.MAX_VALUE, a.decr());
        a.set(Long.MIN_VALUE);
        assertEquals(Long.MAX_VALUE, a.subAndGet(1));
        a.set(Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE * 3, a.mulAndGet(3));
        a.set(5);
        assertEquals(5L - Long.MIN_VALUE, a.subAndGet(Long.MIN_VALUE));
    }

    @Test
    void mulReturnsOldOrNewAsNamed() {
        AtomicInt64 a = new AtomicInt64(6);
        assertEquals(6L, a.fetchMul(7));
        assertEquals(42L, a.get());
        assertEquals(-84L, a.mulAndGet(-2));
        assertEquals(0L, a.mulAndGet(0));
    }

    @Test
    void floorDivFloorsLikePythonNotTruncatesLikeJava() {
        AtomicInt64 a = new AtomicInt64(-7);
        assertEquals(-4L, a.floorDivAndGet(2)); // Java's -7 / 2 would be -3
        a.set(7);
        assertEquals(-4L, a.floorDivAndGet(-2));
        a.set(-7);
        assertEquals(3L, a.floorDivAndGet(-2));
        a.set(7);
        assertEquals(7L, a.fetchFloorDiv(2));
        assertEquals(3L, a.get());
        a.set(-6);
        assertEquals(-3L, a.floorDivAndGet(2)); // exact: no rounding
    }

    @Test
    void floorDivOfMinValueByMinusOneWraps() {
        AtomicInt64 a = new AtomicInt64(Long.MIN_VALUE);
        assertEquals(Long.MIN_VALUE, a.floorDivAndGet(-1));
    }

    @Test
    void divisionByZeroThrowsAndLeavesTheValue() {
        AtomicInt64 a = new AtomicInt64(9);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> a.floorDivAndGet(0));
        assertTrue(e.getMessage().contains("divisor: 0"), e.getMessage());
        assertThrows(ArithmeticException.class, () -> a.fetchFloorDiv(0));
        assertEquals(9L, a.get());
    }

    @Test
    void bitwiseOpsReturnTheOldValueAndApplyTheMask() {
        AtomicInt64 a = new AtomicInt64(0b1010);
        assertEquals(0b1010L, a.fetchOr(0b0101));
        assertEquals(0b1111L, a.get());
        assertEquals(0b1111L, a.fetchAnd(0b0110));
        assertEquals(0b0110L, a.get());
        assertEquals(0b0110L, a.fetchXor(0b0011));
        assertEquals(0b0101L, a.get());
        a.set(-1);
        assertEquals(-1L, a.fetchAnd(Long.MIN_VALUE));
        assertEquals(Long.MIN_VALUE, a.get());
    }

    @Test
    void unaryReadsDoNotWrite() {
        AtomicInt64 a = new AtomicInt64(-5);
        assertEquals(5L, a.neg());
        assertEquals(5L, a.abs());
        assertEquals(4L, a.invert());
        assertEquals(-5L, a.get());
        a.set(Long.MIN_VALUE);
        assertEquals(Long.MIN_VALUE, a.neg());
        assertEquals(Long.MIN_VALUE, a.abs());
        assertEquals(Long.MAX_VALUE, a.invert());
    }

    @Test
    void compareOrdersAgainstALong() {
        AtomicInt64 a = new AtomicInt64(3);
        assertTrue(a.compare(4) < 0);
        assertEquals(0, a.compare(3));
        assertTrue(a.compare(2) > 0);
        a.set(Long.MIN_VALUE);
        assertTrue(a.compare(Long.MAX_VALUE) < 0); // no subtraction overflow
    }

    @Test
    void exchangeAndCompareAndSet() {
        AtomicInt64 a = new AtomicInt64(1);
        assertEquals(1L, a.exchange(2));
        assertFalse(a.compareAndSet(1, 3));
        assertEquals(2L, a.get());
        assertTrue(a.compareAndSet(2, 3));
        assertEquals(3L, a.get());
    }

    @Test
    void compareExchangeReturnsTheWitnessInEveryMode() {
        AtomicInt64 a = new AtomicInt64(1);
        assertEquals(1L, a.compareExchange(1, 2));
        assertEquals(2L, a.compareExchange(1, 9)); // failed: the witness is the current value
        assertEquals(2L, a.get());
        assertEquals(2L, a.compareExchangeAcquire(2, 3));
        assertEquals(3L, a.compareExchangeAcquire(2, 9));
        assertEquals(3L, a.compareExchangeRelease(3, 4));
        assertEquals(4L, a.compareExchangeRelease(3, 9));
        assertEquals(4L, a.get());
    }

    @Test
    void weakCompareAndSetVariantsEventuallySucceedAndNeverSucceedWrongly() {
        AtomicInt64 a = new AtomicInt64(0);
        assertFalse(a.weakCompareAndSetVolatile(7, 1));
        assertFalse(a.weakCompareAndSetAcquire(7, 1));
        assertFalse(a.weakCompareAndSetRelease(7, 1));
        assertFalse(a.weakCompareAndSetPlain(7, 1));
        assertEquals(0L, a.get());
        while (!a.weakCompareAndSetVolatile(0, 1)) { /* spurious failure: retry */ }
        while (!a.weakCompareAndSetAcquire(1, 2)) { /* retry */ }
        while (!a.weakCompareAndSetRelease(2, 3)) { /* retry */ }
        while (!a.weakCompareAndSetPlain(3, 4)) { /* retry */ }
        assertEquals(4L, a.get());
    }

    @Test
    void functionUpdatesReturnOldOrNewAsNamed() {
        AtomicInt64 a = new AtomicInt64(3);
        assertEquals(3L, a.getAndUpdate(x -> x * x));
        assertEquals(10L, a.updateAndGet(x -> x + 1));
        assertEquals(10L, a.getAndAccumulate(5, Math::max));
        assertEquals(10L, a.get());
        assertEquals(30L, a.accumulateAndGet(20, Long::sum));
    }

    @Test
    void nullFunctionsAreRejectedByName() {
        AtomicInt64 a = new AtomicInt64();
        NullPointerException e = assertThrows(NullPointerException.class, () -> a.updateAndGet((LongUnaryOperator) null));
        assertTrue(e.getMessage().startsWith("function"), e.getMessage());
        assertThrows(NullPointerException.class, () -> a.getAndUpdate(null));
        assertThrows(NullPointerException.class, () -> a.accumulateAndGet(1, (LongBinaryOperator) null));
        assertThrows(NullPointerException.class, () -> a.getAndAccumulate(1, null));
    }
}
