package dev.realtime.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.realtime.config.AuthSettings;
import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;
import dev.realtime.contract.Json;

/**
 * Issues and verifies the bearer tokens: HS256 JWTs with iss, sub, iat, exp, jti and roles, signed with
 * {@code JWT_SECRET} and verified with it or any of {@code JWT_PREVIOUS_SECRETS} (the header's {@code kid} names the key).
 * Verification is pinned to HS256 and this issuer, so a token signed with another algorithm
 * (including {@code none}) or by someone else is refused ({@link Hs256Jwt}); then the claims are
 * checked: all five present, {@code iat} not in the future, {@code nbf} (if any) reached, {@code exp} not.
 * {@code auth_time} (OpenID Connect's: when the user logged in with a password) is set at login and kept by a
 * refresh, which never issues a token beyond {@code SESSION_MAX_LIFETIME_SECONDS} after it.
 */
public final class TokenService {
    private static final String ROLES_CLAIM = "roles";
    private static final String AUTH_TIME_CLAIM = "auth_time";

    private final Hs256Jwt jwt;
    private final String issuer;
    private final Duration ttl;
    private final Duration sessionMaxLifetime;
    private final Clock clock;

    /** @param clock what token lifetimes are measured by */
    public TokenService(AuthSettings settings, Clock clock) {
        this.jwt = new Hs256Jwt(settings.jwtSecret(), settings.previousSecrets());
        this.issuer = settings.issuer();
        this.ttl = settings.tokenTtl();
        this.sessionMaxLifetime = settings.sessionMaxLifetime();
        this.clock = clock;
    }

    /** How long a token it issues is valid. */
    public Duration ttl() {
        return ttl;
    }

    /** A token for a password login: its {@code auth_time} is now. */
    public String issue(Identity identity) {
        long now = clock.instant().getEpochSecond();
        return sign(identity, now, now, now + ttl.toSeconds()).token();
    }

    /**
     * A new token for a verified one's user, with {@code current} roles and the old token's {@code auth_time}.
     *
     * @throws ApiException {@code token_expired} once the login is {@code SESSION_MAX_LIFETIME_SECONDS} old
     */
    public IssuedToken refresh(VerifiedToken old, Identity current) {
        long now = clock.instant().getEpochSecond();
        long authTime = old.authTime().getEpochSecond();
        long expiry = Math.min(now + ttl.toSeconds(), authTime + sessionMaxLifetime.toSeconds());
        if (expiry <= now) {
            throw new ApiException(ErrorCode.TOKEN_EXPIRED, "This login is over " + sessionMaxLifetime.toHours()
                    + " h old (SESSION_MAX_LIFETIME_SECONDS); log in again.");
        }
        return sign(current, now, authTime, expiry);
    }

    private IssuedToken sign(Identity identity, long now, long authTime, long expiry) {
        ObjectNode claims = Json.MAPPER.createObjectNode()
                .put("iss", issuer)
                .put("sub", identity.user())
                .put("iat", now)
                .put("exp", expiry)
                .put("jti", UUID.randomUUID().toString())
                .put(AUTH_TIME_CLAIM, authTime);
        identity.roles().forEach(claims.putArray(ROLES_CLAIM)::add);
        return new IssuedToken(jwt.sign(claims), Instant.ofEpochSecond(expiry));
    }

    /**
     * @throws ApiException {@code invalid_token} or {@code token_expired}
     */
    public Identity verify(String token) {
        return verifyToken(token).identity();
    }

    /**
     * As {@link #verify}, with the token's expiry and {@code auth_time} ({@code iat} for a token without one).
     *
     * @throws ApiException {@code invalid_token} or {@code token_expired}
     */
    public VerifiedToken verifyToken(String token) {
        JsonNode claims;
        try {
            claims = jwt.verify(token);
        } catch (Hs256Jwt.InvalidToken e) {
            throw invalid();
        }
        long now = clock.instant().getEpochSecond();
        if (!issuer.equals(claims.path("iss").textValue())
                || !isText(claims.get("sub")) || !isText(claims.get("jti"))
                || !isTime(claims.get("iat")) || !isTime(claims.get("exp"))
                || claims.get("iat").longValue() > now
                || (claims.has("nbf") && !(isTime(claims.get("nbf")) && claims.get("nbf").longValue() <= now))
                || (claims.has(AUTH_TIME_CLAIM) && !(isTime(claims.get(AUTH_TIME_CLAIM))
                                                      && claims.get(AUTH_TIME_CLAIM).longValue() <= claims.get("iat").longValue()))) {
            throw invalid();
        }
        if (claims.get("exp").longValue() <= now) {
            throw new ApiException(ErrorCode.TOKEN_EXPIRED, "The token has expired; log in again.");
        }
        return new VerifiedToken(new Identity(claims.get("sub").textValue(), roles(claims.get(ROLES_CLAIM))),
                                 Instant.ofEpochSecond(claims.get("exp").longValue()),
                                 Instant.ofEpochSecond(claims.path(AUTH_TIME_CLAIM).asLong(claims.get("iat").longValue())));
    }

    private static List<String> roles(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid();
        }
        List<String> roles = new ArrayList<>(node.size());
        for (JsonNode role : node) {
            if (!role.isTextual()) {
                throw invalid();
            }
            roles.add(role.textValue());
        }
        return roles;
    }

    private static boolean isText(JsonNode node) {
        return node != null && node.isTextual() && !node.textValue().isEmpty();
    }

    /** A NumericDate (RFC 7519 2): whole seconds. */
    private static boolean isTime(JsonNode node) {
        return node != null && node.isIntegralNumber() && node.canConvertToLong();
    }

    private static ApiException invalid() {
        return new ApiException(ErrorCode.INVALID_TOKEN, "The token is malformed, wrongly signed or not issued by this service.");
    }
}
