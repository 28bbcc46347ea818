package dev.realtime.cluster;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.history.Position;
import dev.realtime.history.Publication;

/**
 * What crosses instances on the backplane: a broadcast, a direct message or a presence event
 * that one instance's sessions produced, for the others to deliver to theirs.
 *
 * @param origin the instance that published it (which does not deliver it again)
 * @param kind   {@code broadcast}, {@code direct} or {@code presence}
 * @param position where a broadcast or direct message stands in its stream
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
    /** A broadcast ({@code to} null) or a direct message to {@code to}, as its stream keeps it. */
    public static ClusterMessage positioned(String origin, String kind, String to, Publication publication) {
        return new ClusterMessage(origin, kind, publication.from(), to, publication.payload(), null, null,
                                  publication.at().toString(), publication.position());
    }

    public Publication publication() {
        return new Publication(position, Instant.parse(at), from, payload);
    }

    /** {@code from} is the user who joined or left. */
    public static ClusterMessage presence(String origin, String event, String user, String sessionId, String at) {
        return new ClusterMessage(origin, "presence", user, null, null, event, sessionId, at, null);
    }
}
