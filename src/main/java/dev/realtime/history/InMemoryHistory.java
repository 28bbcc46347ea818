package dev.realtime.history;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.realtime.config.HistorySettings;

/**
 * The history of one instance alone, in memory: each stream keeps its last {@code size} messages
 * younger than {@code ttl}. At most {@code maxStreams} streams are kept (the least recently used one
 * goes first), so that direct messages to ever new names cannot grow memory without bound; a stream
 * that went, or an instance that restarted, starts over in a new epoch.
 */
public final class InMemoryHistory implements History {
    private final HistorySettings settings;
    private final Clock clock;
    private final Cache<String, Log> streams;

    /** @param settings the bounds per stream (count, age) and the number of streams kept */
    public InMemoryHistory(HistorySettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.streams = Caffeine.newBuilder().maximumSize(settings.maxStreams()).build();
    }

    @Override
    public Publication append(String stream, String from, JsonNode payload) {
        return log(stream).append(from, payload, clock.instant());
    }

    @Override
    public Position top(String stream) {
        return log(stream).top();
    }

    @Override
    public Replay after(Position since) {
        Log log = streams.getIfPresent(since.stream());
        if (log == null || !log.epoch.equals(since.epoch())) {
            return new Replay.NotRecovered(Replay.Reason.EPOCH_CHANGED);
        }
        return log.after(since.offset(), clock.instant());
    }

    private Log log(String stream) {
        return streams.get(stream, name -> new Log(name, newEpoch()));
    }

    /** Unique enough to tell one life of a stream from another; not a secret. */
    private static String newEpoch() {
        return Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    }

    private final class Log {
        private final String stream;
        private final String epoch;
        private final ArrayDeque<Publication> kept = new ArrayDeque<>();
        private long top;

        private Log(String stream, String epoch) {
            this.stream = stream;
            this.epoch = epoch;
        }

        synchronized Publication append(String from, JsonNode payload, Instant now) {
            top++;
            Publication publication = new Publication(new Position(stream, epoch, top), now, from, payload);
            kept.addLast(publication);
            if (kept.size() > settings.size()) {
                kept.removeFirst();
            }
            forgetOlderThan(now);
            return publication;
        }

        synchronized Position top() {
            return new Position(stream, epoch, top);
        }

        synchronized Replay after(long offset, Instant now) {
            if (offset > top) {
                // Not a position this epoch ever had: whatever the client saw came from another history.
                return new Replay.NotRecovered(Replay.Reason.EPOCH_CHANGED);
            }
            forgetOlderThan(now);
            long oldestKept = top - kept.size() + 1;
            if (offset + 1 < oldestKept) {
                return new Replay.NotRecovered(Replay.Reason.TOO_OLD);
            }
            List<Publication> missed = new ArrayList<>((int) (top - offset));
            for (Publication publication : kept) {
                if (publication.offset() > offset) {
                    missed.add(publication);
                }
            }
            return new Replay.Recovered(missed);
        }

        private void forgetOlderThan(Instant now) {
            Instant limit = now.minus(settings.ttl());
            while (!kept.isEmpty() && kept.peekFirst().at().isBefore(limit)) {
                kept.removeFirst();
            }
        }
    }
}
