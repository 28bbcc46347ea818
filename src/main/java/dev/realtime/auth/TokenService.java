package dev.realtime.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;

import dev.realtime.config.AuthSettings;
import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;

/**
 * Issues and verifies the bearer tokens: HS256 JWTs with iss, sub, iat, exp, jti and roles.
 * Verification is pinned to HS256 and this issuer, so a token signed with another algorithm
 * (including {@code none}) or by someone else is refused.
 */
public final class TokenService {
    private static final String ROLES_CLAIM = "roles";

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final String issuer;
    private final Duration ttl;
    private final Clock clock;

    public TokenService(AuthSettings settings, Clock clock) {
        this.algorithm = Algorithm.HMAC256(settings.jwtSecret());
        this.issuer = settings.issuer();
        this.ttl = settings.tokenTtl();
        this.clock = clock;
        // java-jwt only accepts a clock on BaseVerification, the type JWT.require returns.
        var verification = (JWTVerifier.BaseVerification) JWT.require(algorithm)
                .withIssuer(issuer)
                .withClaimPresence("sub")
                .withClaimPresence("jti")
                .withClaimPresence("iat")
                .withClaimPresence("exp");
        this.verifier = verification.build(clock);
    }

    public Duration ttl() {
        return ttl;
    }

    public String issue(Identity identity) {
        Instant now = clock.instant();
        return JWT.create()
                .withIssuer(issuer)
                .withSubject(identity.user())
                .withIssuedAt(now)
                .withExpiresAt(now.plus(ttl))
                .withJWTId(UUID.randomUUID().toString())
                .withClaim(ROLES_CLAIM, identity.roles())
                .sign(algorithm);
    }

    /**
     * @throws ApiException {@code invalid_token} or {@code token_expired}
     */
    public Identity verify(String token) {
        try {
            DecodedJWT jwt = verifier.verify(token);
            List<String> roles = jwt.getClaim(ROLES_CLAIM).asList(String.class);
            return new Identity(jwt.getSubject(), roles == null ? List.of() : roles);
        } catch (TokenExpiredException e) {
            throw new ApiException(ErrorCode.TOKEN_EXPIRED, "The token has expired; log in again.");
        } catch (JWTVerificationException e) {
            throw new ApiException(ErrorCode.INVALID_TOKEN, "The token is malformed, wrongly signed or not issued by this service.");
        }
    }
}
