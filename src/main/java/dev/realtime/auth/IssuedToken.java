package dev.realtime.auth;

import java.time.Instant;

/** A token just signed, and when it expires. */
public record IssuedToken(String token, Instant expiresAt) {
}
