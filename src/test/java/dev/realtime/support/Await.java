package dev.realtime.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Polls for server-side state that changes asynchronously (e.g. the session registry after a close). */
public final class Await {
    /** How long server-side bookkeeping may lag behind what the client saw. */
    public static final Duration BRIEFLY = Duration.ofSeconds(5);

    private Await() {
    }

    public static void until(BooleanSupplier condition, Supplier<String> whatWasExpected) {
        until(BRIEFLY, condition, whatWasExpected);
    }

    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> whatWasExpected) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Not within " + timeout + ": " + whatWasExpected.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
