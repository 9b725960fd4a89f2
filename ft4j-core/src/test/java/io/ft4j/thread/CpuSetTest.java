package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class CpuSetTest {
    @Test
    void ofRangeAndParseAgree() {
        assertEquals(CpuSet.of(0, 1, 2, 3, 8), CpuSet.parse("0-3,8"));
        assertEquals(CpuSet.range(0, 3).union(CpuSet.of(8)), CpuSet.parse(" 0-3 , 8 "));
        assertEquals(CpuSet.of(5), CpuSet.range(5, 5));
        assertEquals(CpuSet.empty(), CpuSet.parse(""));
        assertEquals(CpuSet.of(1, 1, 1), CpuSet.of(1));
    }

    @Test
    void toStringIsTheLinuxListFormat() {
        assertEquals("0-3,8,10-11", CpuSet.of(0, 1, 2, 3, 8, 10, 11).toString());
        assertEquals("", CpuSet.empty().toString());
        assertEquals("63-65", CpuSet.range(63, 65).toString());
        assertEquals("1023", CpuSet.of(1023).toString());
    }

    @Test
    void queries() {
        CpuSet s = CpuSet.of(2, 64, 200);
        assertTrue(s.contains(64));
        assertFalse(s.contains(3));
        assertFalse(s.contains(-1));
        assertFalse(s.contains(5000));
        assertEquals(3, s.size());
        assertEquals(2, s.first());
        assertArrayEquals(new int[] {2, 64, 200}, s.toArray());
        assertEquals(CpuSet.of(64), s.intersect(CpuSet.of(64, 65)));
        assertTrue(CpuSet.empty().isEmpty());
        assertThrows(NoSuchElementException.class, () -> CpuSet.empty().first());
    }

    @Test
    void equalSetsAreEqualWhateverTheirHistory() {
        CpuSet a = CpuSet.of(1, 300).intersect(CpuSet.of(1));
        assertEquals(CpuSet.of(1), a);
        assertEquals(CpuSet.of(1).hashCode(), a.hashCode());
        assertNotEquals(CpuSet.of(1), CpuSet.of(2));
    }

    @Test
    void badInputIsRejectedWithTheRule() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuSet.of(-1)).getMessage().contains("0..1023"));
        assertThrows(IllegalArgumentException.class, () -> CpuSet.of(1024));
        assertThrows(IllegalArgumentException.class, () -> CpuSet.range(3, 1));
        assertThrows(IllegalArgumentException.class, () -> CpuSet.parse("0-x"));
        assertThrows(IllegalArgumentException.class, () -> CpuSet.parse("5-2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CpuSet.parse("0,2000")).getMessage()
                .contains("2000"));
        assertThrows(IllegalArgumentException.class, () -> CpuSet.parse("1000-1100"));
        assertThrows(NullPointerException.class, () -> CpuSet.parse(null));
    }
}
