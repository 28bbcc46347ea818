package dev.realtime.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What crosses instances on the backplane: a broadcast, a direct message or a presence event
 * that one instance's sessions produced, for the others to deliver to theirs.
 *
 * @param origin the instance that published it (which does not deliver it again)
 * @param kind   {@code broadcast}, {@code direct} or {@code presence}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterMessage(String origin,
                             String kind,
                             String from,
                             String to,
                             JsonNode payload,
                             String event,
                             String sessionId,
                             String at) {
    public static ClusterMessage broadcast(String origin, String from, JsonNode payload) {
        return new ClusterMessage(origin, "broadcast", from, null, payload, null, null, null);
    }

    public static ClusterMessage direct(String origin, String from, String to, JsonNode payload) {
        return new ClusterMessage(origin, "direct", from, to, payload, null, null, null);
    }

    /** {@code from} is the user who joined or left. */
    public static ClusterMessage presence(String origin, String event, String user, String sessionId, String at) {
        return new ClusterMessage(origin, "presence", user, null, null, event, sessionId, at);
    }
}
