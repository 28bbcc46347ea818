package dev.realtime.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Prints the bcrypt hash of a password read from standard input, for {@code app.auth.users[].password-hash}.
 * Reads stdin rather than arguments so the password stays out of shell history and process lists:
 * {@code printf %s 's3cret' | java -cp 'realtime-service.jar:libs/*' dev.realtime.auth.HashPassword}
 */
public final class HashPassword {
    /** 2^10 rounds: about 55 ms per login on one core here; raise it as hardware gets faster. */
    private static final int COST = 10;

    private HashPassword() {
    }

    /** Reads a password from standard input and prints its bcrypt hash for {@code app.auth.users}. */
    public static void main(String[] args) throws IOException {
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String password = in.readLine();
        if (password == null || password.isEmpty()) {
            System.err.println("Give the password on standard input.");
            System.exit(2);
        }
        System.out.println(Authenticator.hash(password, COST));
    }
}
