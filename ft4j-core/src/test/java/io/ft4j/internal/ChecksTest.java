package io.ft4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ft4j.internal.util.Checks;
import org.junit.jupiter.api.Test;

class ChecksTest {
    @Test
    void messagesNameTheArgumentTheValueAndTheRule() {
        assertEquals("key: null (expected: not null)",
                assertThrows(NullPointerException.class, () -> Checks.requireNonNull(null, "key")).getMessage());
        assertEquals("capacity: 0 (expected: > 0)",
                assertThrows(IllegalArgumentException.class, () -> Checks.requirePositive(0, "capacity")).getMessage());
        assertEquals("already shut down",
                assertThrows(IllegalStateException.class, () -> Checks.requireState(false, "already shut down"))
                        .getMessage());
    }

    @Test
    void acceptedValuesPassThrough() {
        Object o = new Object();
        assertSame(o, Checks.requireNonNull(o, "o"));
        assertEquals(3, Checks.requirePositive(3, "n"));
        Checks.requireState(true, "unused");
    }
}
