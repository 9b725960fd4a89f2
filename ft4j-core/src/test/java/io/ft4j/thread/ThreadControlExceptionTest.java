package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ft4j.internal.os.Errno;
import io.ft4j.internal.os.OsCallException;
import org.junit.jupiter.api.Test;

/** The API layer's exception: the native layer reports a call and an errno, this one adds the advice. */
class ThreadControlExceptionTest {

    @Test
    void aRefusalFromTheNativeLayerGetsItsHintAndKeepsItsCause() {
        OsCallException refused = new OsCallException("sched_setscheduler", Errno.EPERM);
        assertEquals("sched_setscheduler failed: EPERM (1)", refused.getMessage(), "no advice below the API");
        ThreadControlException e = new ThreadControlException(refused);
        assertSame(refused, e.getCause());
        assertEquals("sched_setscheduler", e.call());
        assertEquals(Errno.EPERM, e.errno());
        assertEquals("EPERM", e.errnoName());
        assertTrue(e.hint().contains("CAP_SYS_NICE"), e.hint());
        assertTrue(e.getMessage().startsWith("sched_setscheduler failed: EPERM (1): real-time policies"),
                e.getMessage());
    }

    @Test
    void eachErrnoThreadControlMeetsHasItsOwnHint() {
        assertTrue(new ThreadControlException("setpriority", Errno.EACCES).hint().contains("RLIMIT_NICE"));
        assertTrue(new ThreadControlException("sched_setaffinity", Errno.EINVAL).hint().contains("Affinity.get()"));
        assertTrue(new ThreadControlException("sched_setaffinity", Errno.ESRCH).hint().contains("terminated"));
        assertEquals("see man 2 sched_getparam", new ThreadControlException("sched_getparam", 5).hint());
        assertEquals("errno 4242", new ThreadControlException("x", 4242).errnoName());
    }

    @Test
    void aNullCallIsNamed() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> new ThreadControlException(null, Errno.EPERM));
        assertTrue(e.getMessage().contains("call"), e.getMessage());
    }
}
