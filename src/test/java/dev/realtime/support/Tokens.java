package dev.realtime.support;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import dev.realtime.auth.Identity;
import dev.realtime.auth.TokenService;
import dev.realtime.config.AuthSettings;

/** Tokens the login endpoint would never hand out: expired, foreign-signed, unsigned. */
public final class Tokens {
    private Tokens() {
    }

    public static String expired(String user) {
        Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        return service(TestService.SECRET, twoHoursAgo).issue(new Identity(user, List.of("user")));
    }

    public static String signedWithAnotherKey(String user) {
        return service("some-other-key-that-is-long-enough-0123456789", Clock.systemUTC())
                .issue(new Identity(user, List.of("user")));
    }

    /** A valid token of the test servers with whatever roles, as one issued before the configuration changed. */
    public static String withRoles(String user, String... roles) {
        return service(TestService.SECRET, Clock.systemUTC()).issue(new Identity(user, List.of(roles)));
    }

    /** The classic {@code alg: none} forgery. */
    public static String unsigned(String user) {
        var encoder = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String header = encoder.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = encoder.encodeToString(("{\"iss\":\"realtime-service\",\"sub\":\"" + user + "\",\"iat\":" + now
                + ",\"exp\":" + (now + 3600) + ",\"jti\":\"x\"}").getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + ".";
    }

    private static TokenService service(String secret, Clock clock) {
        return new TokenService(new AuthSettings(secret.getBytes(StandardCharsets.UTF_8), List.of(), false, "realtime-service",
                                                 Duration.ofHours(1), Duration.ofHours(12), List.of()), clock);
    }
}
