package io.ft4j.lock;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** For tests of the lock-order checker: checking in report mode around each test, the reports collected. */
abstract class LockOrderReports {
    final List<LockOrderViolationException> reports = new CopyOnWriteArrayList<>();

    @BeforeEach
    void reportInto() {
        LockOrder.reset();
        LockOrder.onViolation(reports::add);
        LockOrder.setMode(LockOrder.Mode.REPORT);
    }

    @AfterEach
    void checkingOff() {
        LockOrder.setMode(LockOrder.Mode.OFF);
        LockOrder.reset();
    }
}
