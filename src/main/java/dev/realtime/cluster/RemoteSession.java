package dev.realtime.cluster;

/** A session another instance serves, as its presence in Redis says. */
public record RemoteSession(String sessionId, String user, String connectedAt, String instance) {
}
