package dev.realtime.limits;

import dev.realtime.auth.Identity;
import dev.realtime.config.LimitSettings;
import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;

/**
 * Caps open WebSockets, in all (503) and per user (429), checked on the upgrade so a refused client
 * gets a problem document instead of a connection that is closed at once. Handshakes racing each
 * other may overshoot a cap by the handful in flight; nothing is reserved, so nothing can leak.
 */
public final class ConnectionLimits {
    private static final long RETRY_AFTER_SECONDS = 5;

    private final OpenConnections connections;
    private final int maxConnections;
    private final int maxPerUser;

    /** @param connections what the caps count */
    public ConnectionLimits(OpenConnections connections, LimitSettings limits) {
        this.connections = connections;
        this.maxConnections = limits.maxConnections();
        this.maxPerUser = limits.maxConnectionsPerUser();
    }

    /**
     * @throws ApiException {@code server_busy} or {@code too_many_connections}
     */
    public void checkRoomFor(Identity identity) {
        if (connections.size() >= maxConnections) {
            throw new ApiException(ErrorCode.SERVER_BUSY, "The server has its maximum of " + maxConnections
                    + " open WebSockets; try again later.", RETRY_AFTER_SECONDS);
        }
        if (connections.countOf(identity.user()) >= maxPerUser) {
            throw new ApiException(ErrorCode.TOO_MANY_CONNECTIONS, identity.user() + " already has " + maxPerUser
                    + " open WebSockets; close one first.", RETRY_AFTER_SECONDS);
        }
    }
}
