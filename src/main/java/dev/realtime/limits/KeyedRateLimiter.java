package dev.realtime.limits;

import java.util.OptionalLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;

/**
 * One {@link Rate} per key (a client address, a username). Keys idle for a whole period are
 * forgotten, and the number of keys is bounded, so random keys cannot grow memory without limit.
 */
public final class KeyedRateLimiter {
    private static final long MAX_KEYS = 100_000;

    private final Rate rate;
    private final Cache<String, Bucket> buckets;

    /** @param rate the rate each key gets */
    public KeyedRateLimiter(Rate rate) {
        this.rate = rate;
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(rate.period())
                .maximumSize(MAX_KEYS)
                .build();
    }

    /** Takes a permit. @return empty if granted, else the seconds until one is available */
    public OptionalLong acquire(String key) {
        var probe = bucket(key).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? OptionalLong.empty() : OptionalLong.of(Rate.retryAfterSeconds(probe.getNanosToWaitForRefill()));
    }

    /** Whether a permit is there, without taking it. @return empty if so, else the seconds until one is */
    public OptionalLong peek(String key) {
        var estimate = bucket(key).estimateAbilityToConsume(1);
        return estimate.canBeConsumed() ? OptionalLong.empty() : OptionalLong.of(Rate.retryAfterSeconds(estimate.getNanosToWaitForRefill()));
    }

    private Bucket bucket(String key) {
        return buckets.get(key, k -> rate.newBucket());
    }
}
