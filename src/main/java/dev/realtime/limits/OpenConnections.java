package dev.realtime.limits;

/** The open WebSocket connections of this instance, as the connection caps count them. */
public interface OpenConnections {
    /** All of them. */
    int size();

    /** Those of {@code user}. */
    int countOf(String user);
}
