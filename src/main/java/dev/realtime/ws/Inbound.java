package dev.realtime.ws;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;
import dev.realtime.contract.Json;

/** The messages a client may send ({@code ClientMessage} in asyncapi.yaml), read strictly. */
public sealed interface Inbound {
    int MAX_ID_LENGTH = 128;

    record EchoRequest(String id, JsonNode payload) implements Inbound {
    }

    /**
     * @throws ApiException {@code malformed_json}, {@code validation_failed} or {@code unknown_type};
     *                      {@link #idOf(String)} recovers the id for the error reply
     */
    static Inbound parse(String text) {
        JsonNode node = Json.parse(text);
        if (!node.isObject()) {
            throw invalid("A message must be a JSON object.");
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            throw invalid("The message has no string member 'type'.");
        }
        return switch (type.asText()) {
            case "echo" -> echo(node);
            default -> throw new ApiException(ErrorCode.UNKNOWN_TYPE,
                                              "Unknown message type '" + abbreviate(type.asText()) + "'.");
        };
    }

    /** The client's {@code id}, if the text is an object with a valid one: worth quoting back in an error. */
    static String idOf(String text) {
        try {
            JsonNode id = Json.parse(text).path("id");
            return validId(id) ? id.asText() : null;
        } catch (ApiException e) {
            return null;
        }
    }

    private static EchoRequest echo(JsonNode node) {
        JsonNode id = node.get("id");
        if (!validId(id)) {
            throw invalid("'id' must be a string of 1 to " + MAX_ID_LENGTH + " characters.");
        }
        if (!node.has("payload")) {
            throw invalid("An echo message needs a 'payload' (any JSON value).");
        }
        var names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("type") && !name.equals("id") && !name.equals("payload")) {
                throw invalid("Unexpected member '" + abbreviate(name) + "' in an echo message.");
            }
        }
        return new EchoRequest(id.asText(), node.get("payload"));
    }

    /**
     * {@code MessageId}: a string of 1 to 128 characters. JSON Schema's {@code maxLength} counts
     * characters (code points), not Java's UTF-16 units, so an emoji counts once, not twice.
     */
    private static boolean validId(JsonNode id) {
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            return false;
        }
        String text = id.asText();
        return text.codePointCount(0, text.length()) <= MAX_ID_LENGTH;
    }

    private static ApiException invalid(String detail) {
        return new ApiException(ErrorCode.VALIDATION_FAILED, detail);
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
