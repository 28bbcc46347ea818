package dev.realtime.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * {@code app.cluster}: several instances joined by a Redis backplane, or (the default) one alone.
 *
 * @param redisUrl   e.g. {@code redis://redis:6379}; empty = single instance, no backplane
 * @param instanceId this instance's name in welcomes, presence and {@code GET /sessions}
 * @param heartbeat  how often this instance rewrites its presence in Redis; it expires after three
 */
public record ClusterSettings(Optional<String> redisUrl, String instanceId, Duration heartbeat) {
    /** Reads and checks {@code app.cluster}. */
    public static ClusterSettings from(Config cluster) {
        long heartbeat = Required.value(cluster.get("heartbeat-seconds").asLong());
        if (heartbeat < 1) {
            throw new IllegalStateException("app.cluster.heartbeat-seconds (CLUSTER_HEARTBEAT_SECONDS) must be >= 1");
        }
        return new ClusterSettings(cluster.get("redis-url").asString().asOptional().filter(url -> !url.isBlank()),
                                   cluster.get("instance-id").asString().asOptional().filter(id -> !id.isBlank())
                                           .orElseGet(ClusterSettings::hostName),
                                   Duration.ofSeconds(heartbeat));
    }

    /** How long an instance's presence outlives its last heartbeat: three heartbeats. */
    public Duration presenceTtl() {
        return heartbeat.multipliedBy(3);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "instance";
        }
    }
}
