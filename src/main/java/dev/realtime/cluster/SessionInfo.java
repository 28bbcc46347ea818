package dev.realtime.cluster;

import java.time.Instant;

/** What the other instances are told of one of this instance's sessions. */
public record SessionInfo(String id, String user, Instant connectedAt) {
}
