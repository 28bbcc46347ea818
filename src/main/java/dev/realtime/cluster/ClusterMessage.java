package dev.realtime.cluster;

import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.history.History;
import dev.realtime.history.Position;
import dev.realtime.history.Publication;

/**
 * What crosses instances on the backplane, told apart by its {@code kind} on the wire. The JSON is the one
 * the Redis streams keep and earlier versions wrote (ClusterMessageTest pins it); a message of a kind or a
 * presence event this version does not know is dropped and logged by the bus, never passed on to clients.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "kind", visible = true)
@JsonSubTypes({
        @JsonSubTypes.Type(value = ClusterMessage.PresenceEvent.class, name = ClusterMessage.PresenceEvent.KIND),
        @JsonSubTypes.Type(value = ClusterMessage.StreamMessage.class, names = {ClusterMessage.StreamMessage.BROADCAST, ClusterMessage.StreamMessage.DIRECT})
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ClusterMessage {
    /** The instance that published it. */
    String origin();

    /** {@code presence}, {@code broadcast} or {@code direct}. */
    String kind();

    /** A join or leave of one of {@code origin}'s sessions, for the others to tell their subscribers (and count). */
    record PresenceEvent(String origin, String kind, String from, Change event, String sessionId, String at)
            implements ClusterMessage {
        static final String KIND = "presence";

        /** @param user the user who joined or left (on the wire: {@code from}) */
        public PresenceEvent(String origin, Change event, String user, String sessionId, String at) {
            this(origin, KIND, user, event, sessionId, at);
        }

        /** The user who joined or left. */
        public String user() {
            return from;
        }
    }

    /** A session opened or closed. */
    enum Change {
        JOIN, LEAVE;

        /** As the wire says it: {@code join}, {@code leave}. */
        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A broadcast or direct message, which every instance delivers, the publisher's included.
     *
     * @param position where it stands in its stream; the {@link RedisBroker}'s script adds it on the way to the bus
     */
    record StreamMessage(String origin, String kind, String from, String to, JsonNode payload, String at, Position position)
            implements ClusterMessage {
        static final String BROADCAST = "broadcast";
        static final String DIRECT = "direct";

        /** A message of {@code stream}, before it has its position (as the Redis stream keeps it). */
        static StreamMessage of(String origin, String stream, String from, JsonNode payload, Instant at) {
            boolean broadcast = History.BROADCAST.equals(stream);
            return new StreamMessage(origin, broadcast ? BROADCAST : DIRECT, from, broadcast ? null : History.userOf(stream),
                                 payload, at.toString(), null);
        }

        /** The message as the history and the hub know it. */
        public Publication publication() {
            return new Publication(position, Instant.parse(at), from, payload);
        }
    }
}
