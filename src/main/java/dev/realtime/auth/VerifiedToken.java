package dev.realtime.auth;

import java.time.Instant;

/**
 * A token that passed {@link TokenService#verifyToken}: who it names, when it expires, and when its user
 * logged in with a password ({@code auth_time}; a refreshed token keeps its login's).
 */
public record VerifiedToken(Identity identity, Instant expiresAt, Instant authTime) {
}
