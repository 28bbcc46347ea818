package dev.realtime.ws;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;
import dev.realtime.contract.Fields;
import dev.realtime.contract.Json;

import static dev.realtime.contract.Fields.MAX_ID_LENGTH;
import static dev.realtime.contract.Fields.MAX_TOKEN_LENGTH;

/** The messages a client may send ({@code ClientMessage} in asyncapi.yaml), read strictly. */
public sealed interface Inbound {
    /** Every client message carries an id, so its reply ({@code echo}, {@code ack}, {@code error}) can be matched. */
    String id();

    record EchoRequest(String id, JsonNode payload) implements Inbound {
    }

    record BroadcastRequest(String id, JsonNode payload) implements Inbound {
    }

    record DirectRequest(String id, String to, JsonNode payload) implements Inbound {
    }

    /** A new token for the session ({@code refresh}); verified by the listener. */
    record RefreshRequest(String id, String token) implements Inbound {
    }

    /** {@code subscribe} ({@code on = true}) or {@code unsubscribe} to the only topic there is, {@code presence}. */
    record PresenceSubscription(String id, boolean on) implements Inbound {
    }

    /**
     * Reads a message from its UTF-8 bytes; its {@code payload} stays the bytes it came in (checked, not decoded),
     * so an echo or a broadcast writes it back out unchanged.
     *
     * @throws ApiException {@code malformed_json}, {@code validation_failed} or {@code unknown_type};
     *                      {@link #idOf} recovers the id for the error reply
     */
    static Inbound parse(byte[] utf8, int offset, int length) {
        JsonNode node = Json.parse(utf8, offset, length, "payload");
        if (!node.isObject()) {
            throw invalid("A message must be a JSON object.");
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            throw invalid("The message has no string member 'type'.");
        }
        return switch (type.asText()) {
            case "echo" -> new EchoRequest(id(node, "echo", Set.of("payload")), payload(node));
            case "broadcast" -> new BroadcastRequest(id(node, "broadcast", Set.of("payload")), payload(node));
            case "direct" -> new DirectRequest(id(node, "direct", Set.of("to", "payload")), Fields.userName(node.get("to")),
                                               payload(node));
            case "subscribe" -> new PresenceSubscription(id(node, "subscribe", Set.of("topic")), topic(node));
            case "unsubscribe" -> new PresenceSubscription(id(node, "unsubscribe", Set.of("topic")), !topic(node));
            case "refresh" -> new RefreshRequest(id(node, "refresh", Set.of("token")), token(node));
            default -> throw new ApiException(ErrorCode.UNKNOWN_TYPE,
                                              "Unknown message type '" + abbreviate(type.asText()) + "'.");
        };
    }

    /** The client's {@code id}, if the text is an object with a valid one: worth quoting back in an error. */
    static String idOf(byte[] utf8, int offset, int length) {
        try {
            JsonNode id = Json.parse(utf8, offset, length, "payload").path("id");
            return Fields.isText(id, MAX_ID_LENGTH) ? id.asText() : null;
        } catch (ApiException e) {
            return null;
        }
    }

    /** Checks that the message has a valid id and no members but {@code type}, {@code id} and {@code members}. */
    private static String id(JsonNode node, String type, Set<String> members) {
        String id = Fields.text(node.get("id"), "id", MAX_ID_LENGTH);
        Fields.onlyMembers(node, name -> name.equals("type") || name.equals("id") || members.contains(name),
                           name -> "Unexpected member '" + abbreviate(name) + "' in a " + type + " message.");
        Fields.requiredMembers(node, members, member -> "A " + type + " message needs '" + member + "'.");
        return id;
    }

    private static JsonNode payload(JsonNode node) {
        return node.get("payload");
    }

    private static boolean topic(JsonNode node) {
        if (!"presence".equals(node.get("topic").asText(null))) {
            throw invalid("'topic' must be 'presence', the only topic there is.");
        }
        return true;
    }

    private static String token(JsonNode node) {
        return Fields.text(node.get("token"), "token", MAX_TOKEN_LENGTH);
    }

    private static ApiException invalid(String detail) {
        return new ApiException(ErrorCode.VALIDATION_FAILED, detail);
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
