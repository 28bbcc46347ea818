package dev.realtime.auth;

import java.util.List;

/** Who is on the other end: the user a verified token names, and that user's roles. */
public record Identity(String user, List<String> roles) {
    public Identity {
        roles = List.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
