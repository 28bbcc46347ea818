package dev.realtime.history;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.realtime.config.HistorySettings;
import dev.realtime.contract.Json;

/**
 * The history of one instance alone, in memory: each stream keeps its last {@code size} messages
 * younger than {@code ttl}. At most {@code maxStreams} streams are kept, holding at most {@code maxBytes}
 * together (the least recently used streams go first), so that direct messages to ever new names, or large
 * payloads, cannot grow memory past the heap; a stream that went, or an instance that restarted, starts over
 * in a new epoch.
 */
public final class InMemoryHistory implements History {
    /**
     * What a kept message costs besides its payload's JSON: the publication, its position, the sender's name and
     * the queue's slot (measured: 249 bytes of heap per message with an 84-byte payload, bench/results/history-memory.md).
     */
    static final int BYTES_PER_MESSAGE = 176;

    private final HistorySettings settings;
    private final Clock clock;
    private final Cache<String, Log> streams;
    /** What the kept streams hold, by {@link #BYTES_PER_MESSAGE} plus their payloads' length. */
    private final AtomicLong bytes = new AtomicLong();

    /** @param settings the bounds per stream (count, age) and the number of streams kept */
    public InMemoryHistory(HistorySettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.streams = Caffeine.newBuilder()
                .maximumSize(settings.maxStreams())
                .executor(Runnable::run) // a stream's bytes are given back as it goes, not later on another thread
                .<String, Log>removalListener((name, log, cause) -> log.forget())
                .build();
    }

    @Override
    public Publication append(String stream, String from, JsonNode payload) {
        Log log = log(stream);
        Publication publication = log.append(from, payload, clock.instant());
        keepWithinBytes(log);
        return publication;
    }

    /** What the kept streams hold now, in bytes as {@code maxBytes} counts them. */
    long bytes() {
        return bytes.get();
    }

    /**
     * Drops the least recently used streams (never {@code appendedTo}) until the kept ones fit in {@code maxBytes};
     * if the stream just appended to does not fit alone, its oldest messages go.
     */
    private void keepWithinBytes(Log appendedTo) {
        while (bytes.get() > settings.maxBytes()) {
            var coldest = streams.policy().eviction().orElseThrow().coldest(2).values().stream()
                    .filter(log -> log != appendedTo)
                    .findFirst();
            if (coldest.isPresent()) {
                streams.asMap().remove(coldest.get().stream, coldest.get());
            } else if (!appendedTo.dropOldest()) {
                return;
            }
        }
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

    private static long sizeOf(Publication publication) {
        return BYTES_PER_MESSAGE + Json.byteLength(publication.payload());
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
        /** What {@link #kept} holds, counted in {@link InMemoryHistory#bytes} while this stream is kept. */
        private long held;
        private boolean forgotten;

        private Log(String stream, String epoch) {
            this.stream = stream;
            this.epoch = epoch;
        }

        synchronized Publication append(String from, JsonNode payload, Instant now) {
            top++;
            Publication publication = new Publication(new Position(stream, epoch, top), now, from, payload);
            kept.addLast(publication);
            count(sizeOf(publication));
            if (kept.size() > settings.size()) {
                dropFirst();
            }
            forgetOlderThan(now);
            return publication;
        }

        /** The stream left the history: its bytes no longer count, and nothing appended later will. */
        synchronized void forget() {
            forgotten = true;
            bytes.addAndGet(-held);
            held = 0;
        }

        /** @return false if there was nothing to drop but the newest message */
        synchronized boolean dropOldest() {
            if (kept.size() <= 1) {
                return false;
            }
            dropFirst();
            return true;
        }

        private void dropFirst() {
            count(-sizeOf(kept.removeFirst()));
        }

        private void count(long delta) {
            if (!forgotten) {
                held += delta;
                bytes.addAndGet(delta);
            }
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
                dropFirst();
            }
        }
    }
}
