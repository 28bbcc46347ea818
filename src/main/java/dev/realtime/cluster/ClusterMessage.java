package dev.realtime.cluster;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.history.Position;
import dev.realtime.history.Publication;

/**
 * What crosses instances on the backplane: a presence event that one instance's sessions produced, for
 * the others to deliver to theirs (the instance that published it does not deliver it again), or a broadcast
 * or direct message with its {@code position}, which every instance delivers, the publisher's included.
 *
 * @param origin   the instance that published it
 * @param kind     {@code broadcast}, {@code direct} or {@code presence}
 * @param position where a broadcast or direct message stands in its stream (the {@link RedisBroker} adds it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterMessage(String origin,
                             String kind,
                             String from,
                             String to,
                             JsonNode payload,
                             String event,
                             String sessionId,
                             String at,
                             Position position) {
    /** A broadcast or direct message as the {@link RedisBroker} published it. */
    public Publication publication() {
        return new Publication(position, Instant.parse(at), from, payload);
    }

    /** {@code from} is the user who joined or left. */
    public static ClusterMessage presence(String origin, String event, String user, String sessionId, String at) {
        return new ClusterMessage(origin, "presence", user, null, null, event, sessionId, at, null);
    }
}
