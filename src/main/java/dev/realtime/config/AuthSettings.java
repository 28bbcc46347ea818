package dev.realtime.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import io.helidon.config.Config;

/**
 * {@code app.auth}: how tokens are signed and who may log in.
 *
 * @param jwtSecret           HMAC-SHA256 key that signs, at least 32 bytes
 * @param previousSecrets     keys that no longer sign but still verify (a key rotation), each at least 32 bytes
 * @param defaultSecretActive true when no key was configured and the built-in development key is used
 * @param tokenTtl            how long a token is valid from its issue
 * @param sessionMaxLifetime  how long after a password login refreshed tokens may still be issued ({@code auth_time})
 */
public record AuthSettings(byte[] jwtSecret,
                           List<byte[]> previousSecrets,
                           boolean defaultSecretActive,
                           String issuer,
                           Duration tokenTtl,
                           Duration sessionMaxLifetime,
                           List<UserAccount> users) {
    /** Used only when no key is configured; its use is logged loudly at start. */
    private static final String DEVELOPMENT_SECRET = "development-only-signing-key-change-me-0123456789";
    private static final int MIN_SECRET_BYTES = 32;

    /** Reads and checks {@code app.auth}. */
    public static AuthSettings from(Config auth) {
        var configured = auth.get("jwt.secret").asString().filter(s -> !s.isBlank());
        byte[] secret = key(configured.orElse(DEVELOPMENT_SECRET), "app.auth.jwt.secret (JWT_SECRET)");
        // Comma-separated, as the environment variable is; blanks around the commas are not part of a key.
        List<byte[]> previous = Arrays.stream(Required.value(auth.get("jwt.previous-secrets").asString()).split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> key(s, "each key of app.auth.jwt.previous-secrets (JWT_PREVIOUS_SECRETS)"))
                .toList();
        long ttlSeconds = Required.value(auth.get("jwt.ttl-seconds").asLong());
        if (ttlSeconds < 1) {
            throw new IllegalStateException("app.auth.jwt.ttl-seconds (TOKEN_TTL_SECONDS) must be at least 1");
        }
        long maxLifetimeSeconds = Required.value(auth.get("jwt.session-max-lifetime-seconds").asLong());
        if (maxLifetimeSeconds < ttlSeconds) {
            throw new IllegalStateException("app.auth.jwt.session-max-lifetime-seconds (SESSION_MAX_LIFETIME_SECONDS) must be at "
                                                    + "least the token lifetime (TOKEN_TTL_SECONDS, " + ttlSeconds + ")");
        }
        List<UserAccount> users = Required.value(auth.get("users").asNodeList())
                .stream()
                .map(UserAccount::from)
                .toList();
        return new AuthSettings(secret,
                                previous,
                                configured.isEmpty(),
                                Required.value(auth.get("jwt.issuer").asString()),
                                Duration.ofSeconds(ttlSeconds),
                                Duration.ofSeconds(maxLifetimeSeconds),
                                users);
    }

    private static byte[] key(String text, String name) {
        byte[] key = text.getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException(name + " must be at least " + MIN_SECRET_BYTES + " bytes for HS256, it has " + key.length);
        }
        return key;
    }

    /**
     * One entry of {@code app.auth.users}.
     *
     * @param passwordHash a bcrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$}); never a plain password
     * @param demo         marks the shipped demo account, whose presence is logged loudly at start
     */
    public record UserAccount(String username, String passwordHash, List<String> roles, boolean demo) {
        /** 2^16 rounds take seconds per login already; a higher cost would make every login (and the start) hang. Also in the pattern. */
        private static final int MAX_COST = 16;
        /**
         * Cost, then 22 characters of salt (16 bytes: the last character carries 2 bits, so it is one of
         * {@code .Oeu}) and 31 of hash (23 bytes: the last carries 4 bits). A hash that is not in this
         * canonical form would never match, silently: it is refused at start instead.
         */
        private static final Pattern BCRYPT_HASH = Pattern.compile(
                "^\\$2[aby]\\$(0[4-9]|1[0-6])\\$[./A-Za-z0-9]{21}[.Oeu][./A-Za-z0-9]{30}[.CGKOSWaeimquy26]$");

        static UserAccount from(Config user) {
            String username = user.get("username").asString().get();
            String hash = user.get("password-hash").asString().get();
            if (!BCRYPT_HASH.matcher(hash).matches()) {
                throw new IllegalStateException("app.auth.users[" + username + "].password-hash is not a bcrypt hash "
                        + "of cost 04 to " + MAX_COST + " (as OpenBSD's bcrypt or htpasswd -B writes them)");
            }
            return new UserAccount(username,
                                   hash,
                                   user.get("roles").asList(String.class).orElse(List.of()),
                                   user.get("demo").asBoolean().orElse(false));
        }
    }
}
