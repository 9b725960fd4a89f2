package io.ft4j.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;
import org.junit.jupiter.api.Test;

/**
 * Proves the padding: the pad classes hold only byte fields, and in the real HotSpot layout each slot has at least
 * 128 bytes of this object on both sides, so no other object can share its cache lines.
 */
class PaddedCellLayoutTest {
    private static final int PAD = 128;

    @Test
    void padClassesHoldOnlyPadding() {
        for (Class<?> c : new Class<?>[] {PaddedCell.class, CellLhsPad.class}) {
            int bytes = 0;
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                assertEquals(byte.class, f.getType(), c.getSimpleName() + "." + f.getName());
                bytes++;
            }
            assertEquals(PAD, bytes, c.getSimpleName());
        }
    }

    @Test
    void everyAtomicHasItsSlotsAloneOnTheirCacheLines() {
        for (Class<?> c : new Class<?>[] {PaddedAtomicLong.class, PaddedAtomicReference.class, PaddedAtomicBoolean.class}) {
            ClassLayout layout = ClassLayout.parseClass(c);
            long size = layout.instanceSize();
            for (FieldLayout f : layout.fields()) {
                if (f.name().equals("value") || f.name().equals("ref")) {
                    long before = f.offset();
                    long after = size - (f.offset() + f.size());
                    assertTrue(before >= PAD, c.getSimpleName() + "." + f.name() + " has " + before + " bytes before\n"
                            + layout.toPrintable());
                    assertTrue(after >= PAD, c.getSimpleName() + "." + f.name() + " has " + after + " bytes after\n"
                            + layout.toPrintable());
                }
            }
        }
    }
}
