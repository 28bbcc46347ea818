package dev.realtime.limits;

import java.time.Duration;

import io.github.bucket4j.Bucket;

/**
 * {@code permits} per {@code period}, refilled smoothly (a token bucket, Bucket4j), with room for
 * a burst of {@code burst}.
 */
public record Rate(long permits, Duration period, long burst) {
    /** @throws IllegalArgumentException a rate that lets nothing through */
    public Rate {
        if (permits < 1 || burst < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("A rate needs permits >= 1, burst >= 1 and a positive period");
        }
    }

    /** A full bucket of this rate, for one key. */
    public Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(permits, period))
                .build();
    }

    /** Whole seconds, at least 1, for a Retry-After header. */
    static long retryAfterSeconds(long nanosToWait) {
        return Math.max(1, (nanosToWait + 999_999_999L) / 1_000_000_000L);
    }
}
