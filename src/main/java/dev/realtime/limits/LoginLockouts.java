package dev.realtime.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Failed logins per (username, client address), as Keycloak's brute-force detection counts them: after
 * {@code failuresBeforeLockout} failures in a row the pair is locked for 1 minute, and every further failure
 * after a lockout locks it again for twice as long, up to 15 minutes. A successful login forgets the pair.
 * Keyed on the pair, so that guessing a user's password from one address cannot lock that user out everywhere.
 */
final class LoginLockouts {
    private static final Duration FIRST_LOCKOUT = Duration.ofMinutes(1);
    private static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);
    /** A pair not seen for this long starts over (Keycloak's default failure reset time). */
    private static final Duration FORGET_AFTER = Duration.ofHours(12);
    private static final long MAX_PAIRS = 100_000;

    private final int failuresBeforeLockout;
    private final Clock clock;
    private final Cache<Pair, Failures> pairs;

    private record Pair(String username, String address) {
    }

    /** @param lockouts how many lockouts this run of failures has had; 0 until the first */
    private record Failures(int count, int lockouts, Instant lockedUntil) {
    }

    LoginLockouts(int failuresBeforeLockout, Clock clock) {
        this.failuresBeforeLockout = failuresBeforeLockout;
        this.clock = clock;
        this.pairs = Caffeine.newBuilder()
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterAccess(FORGET_AFTER)
                .maximumSize(MAX_PAIRS)
                .build();
    }

    /** @return empty if the pair may try now, else the seconds until it may */
    OptionalLong retryAfter(String username, String address) {
        Failures failures = pairs.getIfPresent(new Pair(username, address));
        if (failures == null) {
            return OptionalLong.empty();
        }
        Duration left = Duration.between(clock.instant(), failures.lockedUntil());
        return left.isPositive() ? OptionalLong.of(Rate.retryAfterSeconds(left.toNanos())) : OptionalLong.empty();
    }

    void failed(String username, String address) {
        Instant now = clock.instant();
        pairs.asMap().compute(new Pair(username, address), (pair, before) -> {
            int count = before == null ? 1 : before.count() + 1;
            int lockouts = before == null ? 0 : before.lockouts();
            if (count < failuresBeforeLockout) {
                return new Failures(count, lockouts, now);
            }
            return new Failures(count, lockouts + 1, now.plus(lockout(lockouts + 1)));
        });
    }

    void succeeded(String username, String address) {
        pairs.invalidate(new Pair(username, address));
    }

    /** 1, 2, 4, 8 minutes, then 15. */
    private static Duration lockout(int nth) {
        Duration doubled = FIRST_LOCKOUT.multipliedBy(1L << Math.min(nth - 1, 4));
        return doubled.compareTo(MAX_LOCKOUT) < 0 ? doubled : MAX_LOCKOUT;
    }
}
