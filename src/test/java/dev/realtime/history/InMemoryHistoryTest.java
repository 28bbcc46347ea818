package dev.realtime.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import dev.realtime.config.HistorySettings;
import dev.realtime.contract.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-memory history stays within HISTORY_MAX_BYTES whatever is published: the least recently used streams go
 * first (a client resuming from one is told its epoch changed), and a stream that does not fit alone loses its
 * oldest messages (too old). Without the bound, the default 10,000 full streams would need about 2.3 GiB.
 */
class InMemoryHistoryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC);
    /** 100 bytes of JSON text: "xxx…" with its quotes. */
    private static final JsonNode PAYLOAD = TextNode.valueOf("x".repeat(98));
    private static final long MESSAGE = InMemoryHistory.BYTES_PER_MESSAGE + 100;

    private static InMemoryHistory history(long maxBytes) {
        return new InMemoryHistory(new HistorySettings(1000, Duration.ofMinutes(10), 10_000, maxBytes), CLOCK);
    }

    @Test
    void everyKeptMessageCountsItsPayloadAndItsBookkeeping() {
        InMemoryHistory history = history(1_000_000);
        history.append("user:bob", "alice", PAYLOAD);
        history.append("user:bob", "alice", PAYLOAD);
        history.append("broadcast", "alice", Json.parse("{\"a\":1}"));

        assertEquals(2 * MESSAGE + InMemoryHistory.BYTES_PER_MESSAGE + 7, history.bytes());
    }

    @Test
    void pastTheBoundTheLeastRecentlyUsedStreamsGoFirstAndTheirResumeSaysTheEpochChanged() {
        InMemoryHistory history = history(10 * MESSAGE);
        Position first = history.append("user:u0", "alice", PAYLOAD).position();
        for (int user = 1; user < 30; user++) {
            history.append("user:u" + user, "alice", PAYLOAD);
            history.append("user:u" + user, "alice", PAYLOAD);
        }
        Position recent = history.append("user:u29", "alice", PAYLOAD).position();

        assertTrue(history.bytes() <= 10 * MESSAGE, "kept " + history.bytes() + " bytes, bound " + 10 * MESSAGE);
        Replay dropped = history.after(new Position(first.stream(), first.epoch(), 0));
        assertEquals(Replay.Reason.EPOCH_CHANGED, assertInstanceOf(Replay.NotRecovered.class, dropped).reason());
        Replay kept = history.after(new Position(recent.stream(), recent.epoch(), recent.offset() - 1));
        assertEquals(1, assertInstanceOf(Replay.Recovered.class, kept).missed().size());
    }

    @Test
    void aStreamThatDoesNotFitAloneLosesItsOldestMessagesAndKeepsItsEpoch() {
        InMemoryHistory history = history(5 * MESSAGE);
        Position first = history.append("broadcast", "alice", PAYLOAD).position();
        for (int i = 0; i < 20; i++) {
            history.append("broadcast", "alice", PAYLOAD);
        }

        assertEquals(5 * MESSAGE, history.bytes());
        Replay tooOld = history.after(new Position("broadcast", first.epoch(), first.offset()));
        assertEquals(Replay.Reason.TOO_OLD, assertInstanceOf(Replay.NotRecovered.class, tooOld).reason());
        Replay lastFive = history.after(new Position("broadcast", first.epoch(), 16));
        assertEquals(5, assertInstanceOf(Replay.Recovered.class, lastFive).missed().size());
    }

    @Test
    void messagesThatLeaveByCountGiveTheirBytesBack() {
        InMemoryHistory history = new InMemoryHistory(new HistorySettings(3, Duration.ofMinutes(10), 10_000, 1_000_000), CLOCK);
        for (int i = 0; i < 10; i++) {
            history.append("broadcast", "alice", PAYLOAD);
        }

        assertEquals(3 * MESSAGE, history.bytes());
    }
}
