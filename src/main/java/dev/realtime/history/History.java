package dev.realtime.history;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The streams' positions and recent messages. Appends to one stream must be serialized by the caller
 * (the hub appends and delivers under the stream's lock, so that sessions see offsets in order).
 */
public interface History {
    /** The stream every broadcast belongs to. */
    String BROADCAST = "broadcast";

    /** The stream of one user's direct messages and targeted pushes. */
    static String userStream(String user) {
        return USER_PREFIX + user;
    }

    /** The user whose stream {@code stream} is ({@link #userStream}'s inverse; not for {@link #BROADCAST}). */
    static String userOf(String stream) {
        return stream.substring(USER_PREFIX.length());
    }

    String USER_PREFIX = "user:";

    /** Gives the message the stream's next offset and keeps it (dropping what is over the bounds). */
    Publication append(String stream, String from, JsonNode payload);

    /** The stream's last position (offset 0 if nothing is kept in this epoch yet). */
    Position top(String stream);

    /** Everything in the stream after {@code since}, oldest first, or why not. */
    Replay after(Position since);
}
