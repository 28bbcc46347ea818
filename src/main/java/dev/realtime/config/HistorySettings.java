package dev.realtime.config;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * {@code app.history}: how much of each stream is kept for clients that resume after a reconnect.
 *
 * @param size       messages kept per stream (the oldest go first)
 * @param ttl        how long a message is kept
 * @param maxStreams streams kept in memory on one instance (the least recently used go first; with Redis,
 *                   each stream's keys expire {@code ttl} after its last message instead)
 * @param maxBytes   what all the streams kept in memory on one instance may hold, payloads and bookkeeping
 *                   (the least recently used streams go first)
 */
public record HistorySettings(int size, Duration ttl, int maxStreams, long maxBytes) {
    /** Reads and checks {@code app.history}. */
    public static HistorySettings from(Config history) {
        int size = Required.value(history.get("size").asInt());
        long ttl = Required.value(history.get("ttl-seconds").asLong());
        int streams = Required.value(history.get("max-streams").asInt());
        long bytes = Required.value(history.get("max-bytes").asLong());
        if (size < 1 || ttl < 1 || streams < 1 || bytes < 1) {
            throw new IllegalStateException("app.history.size (HISTORY_SIZE), ttl-seconds (HISTORY_TTL_SECONDS), "
                                            + "max-streams (HISTORY_MAX_STREAMS) and max-bytes (HISTORY_MAX_BYTES) must be positive");
        }
        return new HistorySettings(size, Duration.ofSeconds(ttl), streams, bytes);
    }
}
