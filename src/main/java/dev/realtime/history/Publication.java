package dev.realtime.history;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message as its stream keeps it: where it stands, when it was published, who sent it and what.
 *
 * @param payload any JSON value, as the sender gave it
 */
public record Publication(Position position, Instant at, String from, JsonNode payload) {
    /** Its offset in its stream. */
    public long offset() {
        return position.offset();
    }
}
