package dev.realtime.auth;

import java.util.List;

import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;

/** Who is on the other end: the user a verified token names, and that user's roles. */
public record Identity(String user, List<String> roles) {
    /** Copies the roles, so an identity never changes. */
    public Identity {
        roles = List.copyOf(roles);
    }

    /** Whether the token granted {@code role}. */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /**
     * The one role check of every protected action (HTTP and WebSocket alike).
     *
     * @return this identity, which has {@code role}
     * @throws ApiException {@code forbidden} if the user lacks {@code role}
     */
    public Identity requireRole(String role) {
        if (!hasRole(role)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "This needs the '" + role + "' role, which " + user + " lacks.");
        }
        return this;
    }
}
