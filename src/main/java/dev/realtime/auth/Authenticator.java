package dev.realtime.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import dev.realtime.config.AuthSettings.UserAccount;

/**
 * Checks a username and password against the configured accounts (bcrypt hashes).
 * An unknown user costs one bcrypt verification too, against a hash of the same cost,
 * so that response times do not tell which usernames exist.
 */
public final class Authenticator {
    private final Map<String, UserAccount> accounts;
    private final String decoyHash;

    /** @param users the accounts {@code POST /login} accepts, with their bcrypt password hashes */
    public Authenticator(List<UserAccount> users) {
        this.accounts = users.stream().collect(Collectors.toUnmodifiableMap(UserAccount::username, Function.identity()));
        int cost = users.stream().mapToInt(u -> Integer.parseInt(u.passwordHash().substring(4, 6))).max().orElse(10);
        this.decoyHash = hash("decoy password never matches", cost);
    }

    /** @return who logged in, or empty if the user is unknown or the password wrong (the same answer for both) */
    public Optional<Identity> authenticate(String username, String password) {
        UserAccount account = accounts.get(username);
        String hash = account == null ? decoyHash : account.passwordHash();
        // Bouncy Castle's bcrypt: ~12 % faster than the other pure-Java ones measured (bench/RESULTS.md), and it
        // reads the first 72 bytes of a longer password, as OpenBSD's bcrypt does, rather than failing. Bytes,
        // not chars: its char[] form throws on a lone surrogate, which a JSON string can carry as an escape.
        boolean matches = OpenBSDBCrypt.checkPassword(hash, password.getBytes(StandardCharsets.UTF_8));
        if (account == null || !matches) {
            return Optional.empty();
        }
        return current(username);
    }

    /** The user as the configuration has it now (its roles may have changed since a token was issued). */
    public Optional<Identity> current(String username) {
        return Optional.ofNullable(accounts.get(username)).map(account -> new Identity(account.username(), account.roles()));
    }

    /** A {@code $2a$} bcrypt hash with a random salt, as OpenBSD's bcrypt and htpasswd write them. */
    static String hash(String password, int cost) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate("2a", password.toCharArray(), salt, cost);
    }
}
