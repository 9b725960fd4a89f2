package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.internal.os.NativeThreads;
import io.ft4j.internal.os.UnsupportedThreads;
import org.junit.jupiter.api.Test;

/** The stand-in for OSes without thread control: it says so, and every call refuses with the reason. */
class UnsupportedOsTest {
    @Test
    void everyCallRefusesWithTheReason() {
        NativeThreads none = new UnsupportedThreads("thread control needs Linux; this is Plan 9");
        assertFalse(none.isSupported());
        for (Runnable call : new Runnable[] {
                none::currentCpu, none::currentTid, () -> none.getAffinity(0), () -> none.setAffinity(0, new long[1]),
                () -> none.getNice(0), () -> none.setNice(0, 1), () -> none.getScheduler(0),
                () -> none.setScheduler(0, 0, 0)}) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, call::run);
            assertTrue(e.getMessage().contains("Plan 9") && e.getMessage().contains("isSupported()"), e.getMessage());
        }
    }
}
