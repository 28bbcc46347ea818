package dev.realtime.auth;

import java.time.Clock;
import java.time.Duration;
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
 */
public final class TokenService {
    private static final String ROLES_CLAIM = "roles";

    private final Hs256Jwt jwt;
    private final String issuer;
    private final Duration ttl;
    private final Clock clock;

    public TokenService(AuthSettings settings, Clock clock) {
        this.jwt = new Hs256Jwt(settings.jwtSecret(), settings.previousSecrets());
        this.issuer = settings.issuer();
        this.ttl = settings.tokenTtl();
        this.clock = clock;
    }

    public Duration ttl() {
        return ttl;
    }

    public String issue(Identity identity) {
        long now = clock.instant().getEpochSecond();
        ObjectNode claims = Json.MAPPER.createObjectNode()
                .put("iss", issuer)
                .put("sub", identity.user())
                .put("iat", now)
                .put("exp", now + ttl.toSeconds())
                .put("jti", UUID.randomUUID().toString());
        identity.roles().forEach(claims.putArray(ROLES_CLAIM)::add);
        return jwt.sign(claims);
    }

    /**
     * @throws ApiException {@code invalid_token} or {@code token_expired}
     */
    public Identity verify(String token) {
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
                || (claims.has("nbf") && !(isTime(claims.get("nbf")) && claims.get("nbf").longValue() <= now))) {
            throw invalid();
        }
        if (claims.get("exp").longValue() <= now) {
            throw new ApiException(ErrorCode.TOKEN_EXPIRED, "The token has expired; log in again.");
        }
        return new Identity(claims.get("sub").textValue(), roles(claims.get(ROLES_CLAIM)));
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
