package dev.realtime.cluster;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.realtime.cluster.ClusterMessage.Change;
import dev.realtime.cluster.ClusterMessage.PresenceEvent;
import dev.realtime.cluster.ClusterMessage.StreamMessage;
import dev.realtime.contract.Json;
import dev.realtime.history.History;
import dev.realtime.history.Position;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The JSON instances exchange on the bus and keep in the Redis streams, byte for byte as the versions before the
 * sealed type wrote it: an instance of the previous version, and a stream written by one, must read the same.
 */
class ClusterMessageTest {
    private static final Instant AT = Instant.parse("2026-12-06T00:00:00Z");
    private static final JsonNode PAYLOAD = Json.parse("{\"text\":\"hi\"}");

    @Test
    void aPresenceEventIsWrittenAsBefore() {
        assertEquals("{\"origin\":\"a\",\"kind\":\"presence\",\"from\":\"bob\",\"event\":\"join\",\"sessionId\":\"s1\","
                             + "\"at\":\"2026-12-06T00:00:00Z\"}",
                     Json.write(new PresenceEvent("a", Change.JOIN, "bob", "s1", AT.toString())));
    }

    @Test
    void aBroadcastIsWrittenWithoutARecipientAndADirectMessageWithOne() {
        assertEquals("{\"origin\":\"a\",\"kind\":\"broadcast\",\"from\":\"alice\",\"payload\":{\"text\":\"hi\"},"
                             + "\"at\":\"2026-12-06T00:00:00Z\"}",
                     Json.write(StreamMessage.of("a", History.BROADCAST, "alice", PAYLOAD, AT)));
        assertEquals("{\"origin\":\"a\",\"kind\":\"direct\",\"from\":\"alice\",\"to\":\"bob\",\"payload\":{\"text\":\"hi\"},"
                             + "\"at\":\"2026-12-06T00:00:00Z\"}",
                     Json.write(StreamMessage.of("a", History.userStream("bob"), "alice", PAYLOAD, AT)));
    }

    @Test
    void whatThePublishScriptPutsOnTheBusIsReadAsAPositionedStreamMessage() {
        // The script prepends the position to the body as stored: '{"position":{…},' .. body without its '{'.
        String body = Json.write(StreamMessage.of("a", History.userStream("bob"), "alice", PAYLOAD, AT));
        String onTheBus = "{\"position\":{\"stream\":\"user:bob\",\"epoch\":\"e1\",\"offset\":7}," + body.substring(1);

        StreamMessage message = assertInstanceOf(StreamMessage.class, Json.read(onTheBus, ClusterMessage.class));

        assertEquals(new Position(History.userStream("bob"), "e1", 7), message.position());
        assertEquals("alice", message.publication().from());
        assertEquals(PAYLOAD, message.publication().payload());
        assertEquals(AT, message.publication().at());
    }

    @Test
    void aPresenceEventOfAnotherInstanceIsReadBack() {
        String json = "{\"origin\":\"b\",\"kind\":\"presence\",\"from\":\"bob\",\"event\":\"leave\",\"sessionId\":\"s2\","
                + "\"at\":\"2026-12-06T00:00:00Z\"}";

        PresenceEvent event = assertInstanceOf(PresenceEvent.class, Json.read(json, ClusterMessage.class));

        assertEquals(new PresenceEvent("b", Change.LEAVE, "bob", "s2", AT.toString()), event);
    }
}
