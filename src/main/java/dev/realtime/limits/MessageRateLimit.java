package dev.realtime.limits;

import java.time.Duration;

import io.github.bucket4j.Bucket;

import dev.realtime.config.LimitSettings;

/**
 * The message rate of one WebSocket connection: a message over the rate is refused ({@code rate_limited}),
 * and a run of them in a row ends the connection. Used by the connection's own thread only.
 */
public final class MessageRateLimit {
    /** What to do with the next message. */
    public enum Verdict {
        /** Within the rate: act on it. */
        ACCEPT,
        /** Over the rate: do not act on it, and say so. */
        REFUSE,
        /** Over the rate too many times in a row: close the connection (1008). */
        CLOSE
    }

    private final Bucket bucket;
    private final int strikesToClose;
    private int strikes;

    /** @param limits the messages per second (bursts of twice that) and the strikes before a close */
    public MessageRateLimit(LimitSettings limits) {
        int perSecond = limits.messagesPerSecond();
        this.bucket = new Rate(perSecond, Duration.ofSeconds(1), 2L * perSecond).newBucket();
        this.strikesToClose = limits.rateLimitStrikes();
    }

    /** Counts one more message and judges it. */
    public Verdict next() {
        if (bucket.tryConsume(1)) {
            strikes = 0;
            return Verdict.ACCEPT;
        }
        return ++strikes >= strikesToClose ? Verdict.CLOSE : Verdict.REFUSE;
    }
}
