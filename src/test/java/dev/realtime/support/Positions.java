package dev.realtime.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;

/** Stream positions as clients read them (welcome {@code streams}, a delivery's own) and name them to resume. */
public final class Positions {
    private Positions() {
    }

    /** A stream's position in a welcome. */
    public static JsonNode of(JsonNode welcome, String stream) {
        for (JsonNode position : welcome.get("streams")) {
            if (position.get("stream").asText().equals(stream)) {
                return position;
            }
        }
        throw new AssertionError("no position of " + stream + " in " + welcome);
    }

    /** The {@code since} value of a welcome's position or of a delivered message's. */
    public static String since(JsonNode position) {
        return position.get("stream").asText() + ":" + position.get("epoch").asText() + ":" + position.get("offset").asLong();
    }

    /** The upgrade's path and query: the token, then each position as a {@code since} parameter. */
    public static String resume(String token, String... since) {
        StringBuilder path = new StringBuilder("/?token=").append(token);
        for (String position : since) {
            path.append("&since=").append(URLEncoder.encode(position, StandardCharsets.UTF_8));
        }
        return path.toString();
    }
}
