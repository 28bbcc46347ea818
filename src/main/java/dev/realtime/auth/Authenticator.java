package dev.realtime.auth;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;

import dev.realtime.config.AuthSettings.UserAccount;

/**
 * Checks a username and password against the configured accounts (bcrypt hashes).
 * An unknown user costs one bcrypt verification too, against a hash of the same cost,
 * so that response times do not tell which usernames exist.
 */
public final class Authenticator {
    /** bcrypt reads 72 bytes; longer passwords are truncated as OpenBSD's bcrypt does, never an error. */
    private static final BCrypt.Verifyer VERIFYER =
            BCrypt.verifyer(BCrypt.Version.VERSION_2A, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A));
    private final Map<String, UserAccount> accounts;
    private final String decoyHash;

    public Authenticator(List<UserAccount> users) {
        this.accounts = users.stream().collect(Collectors.toUnmodifiableMap(UserAccount::username, Function.identity()));
        int cost = users.stream().mapToInt(u -> Integer.parseInt(u.passwordHash().substring(4, 6))).max().orElse(10);
        this.decoyHash = BCrypt.withDefaults().hashToString(cost, "decoy password never matches".toCharArray());
    }

    public Optional<Identity> authenticate(String username, String password) {
        UserAccount account = accounts.get(username);
        byte[] candidate = password.getBytes(StandardCharsets.UTF_8);
        String hash = account == null ? decoyHash : account.passwordHash();
        boolean matches = VERIFYER.verify(candidate, hash.getBytes(StandardCharsets.UTF_8)).verified;
        if (account == null || !matches) {
            return Optional.empty();
        }
        return Optional.of(new Identity(account.username(), account.roles()));
    }
}
