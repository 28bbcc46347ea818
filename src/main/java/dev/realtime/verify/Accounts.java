package dev.realtime.verify;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.realtime.contract.oracle.ContractOracle;
import dev.realtime.verify.Options.Account;

/** The tokens of the accounts given on the command line, logged in once at the start. */
final class Accounts {
    /** Roles some operations need; the account for each is a pair of flags. */
    enum Role {
        USER("--username/--password"),
        PUBLISHER("--publisher-username/--publisher-password"),
        ADMIN("--admin-username/--admin-password");

        private final String flags;

        Role(String flags) {
            this.flags = flags;
        }

        String flags() {
            return flags;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Account user;
    private final String userToken;
    private final Optional<String> publisherToken;
    private final Optional<String> adminToken;

    private Accounts(Account user, String userToken, Optional<String> publisherToken, Optional<String> adminToken) {
        this.user = user;
        this.userToken = userToken;
        this.publisherToken = publisherToken;
        this.adminToken = adminToken;
    }

    /**
     * Logs every account in.
     *
     * @throws Exit.Stop with {@link Exit#LOGIN_REFUSED} when the target refuses one
     */
    static Accounts login(Target target, Options options) throws IOException, InterruptedException {
        return new Accounts(options.user(), token(target, options.user()),
                            options.publisher().isPresent() ? Optional.of(token(target, options.publisher().get())) : Optional.empty(),
                            options.admin().isPresent() ? Optional.of(token(target, options.admin().get())) : Optional.empty());
    }

    Account user() {
        return user;
    }

    Optional<String> token(Role role) {
        return switch (role) {
            case USER -> Optional.of(userToken);
            case PUBLISHER -> publisherToken;
            case ADMIN -> adminToken;
        };
    }

    /** The JSON body of a login request. */
    static String credentials(String username, String password) {
        return JSON.createObjectNode().put("username", username).put("password", password).toString();
    }

    private static String token(Target target, Account account) throws IOException, InterruptedException {
        var response = target.send("POST", "/login", Map.of("Content-Type", "application/json"),
                                   credentials(account.username(), account.password()));
        JsonNode body = ContractOracle.parseJson(response.body()).orElse(JSON.nullNode());
        if (response.status() != 200) {
            String code = body.path("code").asText("no problem code");
            String retry = response.headers().firstValue("Retry-After").map(s -> ", Retry-After " + s + " s").orElse("");
            throw new Exit.Stop(Exit.LOGIN_REFUSED, "POST /login refused user '" + account.username() + "': "
                    + response.status() + " " + code + retry);
        }
        if (!body.path("token").isTextual()) {
            throw new Exit.Stop(Exit.DRIFT, "POST /login answered 200 for '" + account.username() + "' without a token: " + response.body());
        }
        return body.path("token").asText();
    }
}
