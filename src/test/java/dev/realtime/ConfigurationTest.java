package dev.realtime;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import dev.realtime.config.AppConfig;
import dev.realtime.config.AuthSettings;
import dev.realtime.config.CorsSettings;
import dev.realtime.config.WsSettings;
import dev.realtime.support.Contract;
import dev.realtime.support.Http;
import dev.realtime.support.TestServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The environment variables of {@link AppConfig} and the checks the service makes on them at start. */
@Timeout(60)
class ConfigurationTest {
    /** alice's hash from test-users.yaml (password alice-password). */
    private static final String A_BCRYPT_HASH = "$2a$10$OPdjtW2GHTNQa4L1e5Tmw.MTjhIO7vp0YYUkWVrI/81sHFP95A12a";

    @TempDir
    Path dir;

    // --- PORT and the other scalar variables ------------------------------------------------------

    @Test
    void portSetsServerPort() {
        assertEquals(4567, AppConfig.create(Map.of("PORT", "4567")).get("server.port").asInt().get());
    }

    @Test
    void withoutPortTheServerPortIs3000() {
        assertEquals(3000, AppConfig.create(Map.of()).get("server.port").asInt().get());
    }

    @Test
    void connectionsUseBlockingSocketsWithNagleOffByDefault() {
        var config = AppConfig.create(Map.of());
        assertEquals(false, config.get("server.use-nio").asBoolean().get(), "8 KiB less per connection than NIO");
        assertEquals(true, config.get("server.connection-options.tcp-no-delay").asBoolean().get());
    }

    @Test
    void maxBodyBytesSetsTheServersMaxPayloadSize() {
        assertEquals(1024, AppConfig.create(Map.of("MAX_BODY_BYTES", "1024")).get("server.max-payload-size").asLong().get());
        assertEquals(16384, AppConfig.create(Map.of()).get("server.max-payload-size").asLong().get());
    }

    @Test
    void wsMaxMessageBytesSetsTheWebSocketLimit() {
        Config config = AppConfig.create(Map.of("WS_MAX_MESSAGE_BYTES", "2048"));
        assertEquals(2048, WsSettings.from(config.get("app.ws")).maxMessageBytes());
    }

    @Test
    void valuesAreTrimmed() {
        assertEquals(4567, AppConfig.create(Map.of("PORT", " 4567 ")).get("server.port").asInt().get());
    }

    // --- defaults: application.yaml and nowhere else -------------------------------------------------

    @Test
    void aSettingWithNoValueIsRefusedNamingItsKeyInsteadOfDefaultingInCode() {
        Config withoutApplicationYaml = Config.just(ConfigSources.create(Map.of("app.ws.ping-interval-seconds", "10")));
        var e = assertThrows(IllegalStateException.class, () -> WsSettings.from(withoutApplicationYaml.get("app.ws")));
        assertTrue(e.getMessage().contains("app.ws.max-message-bytes"), e.getMessage());
    }

    /** The README's configuration table repeats the defaults for readers: it must say what application.yaml says. */
    @Test
    void theReadmeConfigurationTableHasApplicationYamlsKeysAndDefaults() throws IOException {
        Map<String, String> readmeDefaults = new HashMap<>();
        // | `setting` | env variable | default | meaning |
        Matcher row = Pattern.compile("(?m)^\\| `([a-z][a-z.-]+)` \\| [^|]+ \\| ([^|]+) \\|")
                .matcher(Files.readString(Path.of("README.md")));
        while (row.find()) {
            readmeDefaults.put(row.group(1), row.group(2).strip());
        }
        Config yaml = Config.just(ConfigSources.classpath("application.yaml"));
        yaml.traverse().filter(Config::isLeaf).forEach(leaf -> {
            // A list's entries (allowed-origins.0, users.0.username) are documented under the list's key.
            String key = leaf.key().toString().replaceFirst("\\.\\d+(\\..*)?$", "");
            String documented = readmeDefaults.get(key);
            assertTrue(documented != null, key + " is in application.yaml but not in the README's configuration table");
            Config setting = yaml.get(key);
            if (documented.startsWith("`")) {
                String value = setting.isList()
                        ? String.join(", ", setting.asList(String.class).get())
                        : setting.asString().get();
                assertEquals(documented.substring(1, documented.indexOf('`', 1)), value, key + " in the README");
            } else if (setting.isLeaf()) {
                assertEquals("", setting.asString().get(), key + ": the README says there is none by default");
            }
        });
    }

    // --- CORS_ORIGIN ------------------------------------------------------------------------------

    @Test
    void corsOriginIsACommaSeparatedListAndSpacesAroundEntriesAreIgnored() {
        assertEquals(List.of("http://a.test", "http://b.test"), origins("http://a.test, http://b.test"));
    }

    @Test
    void corsOriginMayListMoreOriginsThanApplicationYamlHas() {
        assertEquals(List.of("http://a.test", "http://b.test", "https://c.test:8443"),
                     origins("http://a.test,http://b.test , https://c.test:8443"));
    }

    @Test
    void corsOriginWithOneOriginReplacesTheDefault() {
        assertEquals(List.of("http://a.test"), origins("http://a.test"));
    }

    @Test
    void emptyEntriesOfCorsOriginAreDropped() {
        assertEquals(List.of("http://a.test"), origins(" ,http://a.test,, "));
    }

    @Test
    void withoutCorsOriginOnlyTheLocalStackIsAllowed() {
        CorsSettings cors = CorsSettings.from(AppConfig.create(Map.of()).get("app.cors"));
        assertEquals(List.of("http://localhost:3000"), cors.allowedOrigins());
        assertFalse(cors.allowsAnyOrigin());
    }

    @Test
    void corsOriginStarAllowsAnyOrigin() {
        CorsSettings cors = CorsSettings.from(AppConfig.create(Map.of("CORS_ORIGIN", "*")).get("app.cors"));
        assertTrue(cors.allowsAnyOrigin());
        assertTrue(cors.allows("https://anywhere.example"));
    }

    // --- JWT_SECRET -------------------------------------------------------------------------------

    @Test
    void aJwtSecretShorterThan32BytesIsRefusedNamingJwtSecret() {
        Config config = AppConfig.create(Map.of("JWT_SECRET", "x".repeat(31)));
        var e = assertThrows(IllegalStateException.class, () -> AuthSettings.from(config.get("app.auth")));
        assertTrue(e.getMessage().contains("JWT_SECRET"), e.getMessage());
    }

    @Test
    void aServerDoesNotStartWithAShortJwtSecret() {
        var e = assertThrows(IllegalStateException.class, () -> TestServer.start(Map.of("JWT_SECRET", "too-short")).close());
        assertTrue(e.getMessage().contains("JWT_SECRET"), e.getMessage());
    }

    @Test
    void aJwtSecretOf32BytesIsUsedAndTheDefaultIsNotActive() {
        AuthSettings auth = AuthSettings.from(AppConfig.create(Map.of("JWT_SECRET", "x".repeat(32))).get("app.auth"));
        assertFalse(auth.defaultSecretActive());
        assertEquals("x".repeat(32), new String(auth.jwtSecret(), StandardCharsets.UTF_8));
    }

    @Test
    void withoutJwtSecretTheDevelopmentKeyIsActive() {
        AuthSettings auth = AuthSettings.from(AppConfig.create(Map.of()).get("app.auth"));
        assertTrue(auth.defaultSecretActive());
        assertTrue(auth.jwtSecret().length >= 32);
    }

    @Test
    void aBlankJwtSecretCountsAsNone() {
        AuthSettings auth = AuthSettings.from(AppConfig.create(Map.of("JWT_SECRET", "   ")).get("app.auth"));
        assertTrue(auth.defaultSecretActive());
    }

    // --- TOKEN_TTL_SECONDS ------------------------------------------------------------------------

    @Test
    void tokenTtlSecondsSetsExpiresInAndTheTokensLifetime() {
        try (TestServer server = TestServer.start(Map.of("TOKEN_TTL_SECONDS", "60"))) {
            var response = Http.postJson(server.http("/login"), "{\"username\":\"alice\",\"password\":\"alice-password\"}");
            JsonNode body = Contract.assertHttp("POST", "/login", response.statusCode(), response.headers(), response.body());
            assertEquals(200, response.statusCode());
            assertEquals(60, body.get("expiresIn").asLong());
            JsonNode claims = claims(body.get("token").asText());
            assertEquals(60, claims.get("exp").asLong() - claims.get("iat").asLong());
        }
    }

    @Test
    void withoutTokenTtlSecondsTokensLastAnHour() {
        AuthSettings auth = AuthSettings.from(AppConfig.create(Map.of()).get("app.auth"));
        assertEquals(Duration.ofHours(1), auth.tokenTtl());
    }

    @Test
    void aTokenTtlBelowOneSecondIsRefusedNamingTokenTtlSeconds() {
        Config config = AppConfig.create(Map.of("TOKEN_TTL_SECONDS", "0"));
        var e = assertThrows(IllegalStateException.class, () -> AuthSettings.from(config.get("app.auth")));
        assertTrue(e.getMessage().contains("TOKEN_TTL_SECONDS"), e.getMessage());
    }

    // --- CONFIG_FILE and the users --------------------------------------------------------------

    @Test
    void aUserWithANonBcryptPasswordHashIsRefusedAtStart() throws IOException {
        Path file = usersFile("""
                              - username: eve
                                password-hash: "eve-password"
                                roles: ["user"]
                              """);
        var e = assertThrows(IllegalStateException.class,
                             () -> TestServer.start(Map.of("CONFIG_FILE", file.toString())).close());
        assertTrue(e.getMessage().contains("eve") && e.getMessage().contains("bcrypt"), e.getMessage());
    }

    @Test
    void aTruncatedBcryptHashIsRefused() throws IOException {
        Path file = usersFile("""
                              - username: eve
                                password-hash: "%s"
                              """.formatted(A_BCRYPT_HASH.substring(0, 40)));
        Config config = AppConfig.create(Map.of("CONFIG_FILE", file.toString()));
        assertThrows(IllegalStateException.class, () -> AuthSettings.from(config.get("app.auth")));
    }

    /**
     * Such a hash would fail only at the first login: a server error (a character outside the alphabet),
     * a silent 401 for the right password (a salt or hash not in canonical form: its unused low bits set),
     * or logins that take hours (a cost over 16).
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "$2a$10$OPdjtW2GHTNQa4L1e5Tmw.MTjhIO7vp0YYUkWVrI/81sHFP95A12!",
            "$2a$10$OPdjtW2GHTNQa4L1e5TmwAMTjhIO7vp0YYUkWVrI/81sHFP95A12a",
            "$2a$10$OPdjtW2GHTNQa4L1e5Tmw.MTjhIO7vp0YYUkWVrI/81sHFP95A12b",
            "$2a$17$OPdjtW2GHTNQa4L1e5Tmw.MTjhIO7vp0YYUkWVrI/81sHFP95A12a",
            "$2a$99$OPdjtW2GHTNQa4L1e5Tmw.MTjhIO7vp0YYUkWVrI/81sHFP95A12a"})
    void aBcryptHashOutsideItsAlphabetNotInCanonicalFormOrOverCost16IsRefused(String hash) throws IOException {
        Path file = usersFile("""
                              - username: eve
                                password-hash: "%s"
                              """.formatted(hash));
        Config config = AppConfig.create(Map.of("CONFIG_FILE", file.toString()));
        assertThrows(IllegalStateException.class, () -> AuthSettings.from(config.get("app.auth")));
    }

    @Test
    void theUsersOfConfigFileReplaceTheBuiltInDemoAccount() throws IOException {
        Path file = usersFile("""
                              - username: carol
                                password-hash: "%s"
                              """.formatted(A_BCRYPT_HASH));
        AuthSettings auth = AuthSettings.from(AppConfig.create(Map.of("CONFIG_FILE", file.toString())).get("app.auth"));
        assertEquals(1, auth.users().size(), "users: " + auth.users());
        AuthSettings.UserAccount carol = auth.users().get(0);
        assertEquals("carol", carol.username());
        assertFalse(carol.demo(), "carol must not inherit the demo flag of application.yaml's first user");
        assertEquals(List.of(), carol.roles(), "carol must not inherit the roles of application.yaml's first user");
    }

    @Test
    void aConfigFileUserCanLogInAndTheReplacedDemoAccountCannot() throws IOException {
        Path file = usersFile("""
                              - username: carol
                                password-hash: "%s"
                                roles: ["user"]
                              """.formatted(A_BCRYPT_HASH));
        try (TestServer server = TestServer.start(Map.of("CONFIG_FILE", file.toString()))) {
            Http.login(server, "carol", "alice-password");
            var demo = Http.send(HttpRequest.newBuilder(server.http("/login"))
                                         .header("Content-Type", "application/json")
                                         .timeout(Duration.ofSeconds(10))
                                         .POST(HttpRequest.BodyPublishers.ofString(
                                                 "{\"username\":\"demo\",\"password\":\"demo-password\"}"))
                                         .build());
            JsonNode problem = Contract.assertHttp("POST", "/login", demo.statusCode(), demo.headers(), demo.body());
            Contract.assertProblem(problem, 401, "invalid_credentials");
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static List<String> origins(String corsOrigin) {
        Map<String, String> env = new HashMap<>();
        env.put("CORS_ORIGIN", corsOrigin);
        return CorsSettings.from(AppConfig.create(env).get("app.cors")).allowedOrigins();
    }

    private Path usersFile(String usersYaml) throws IOException {
        String indented = usersYaml.lines().map(line -> "    " + line).reduce("", (a, b) -> a + b + "\n");
        Path file = dir.resolve("users.yaml");
        Files.writeString(file, "app:\n  auth:\n    users:\n" + indented);
        return file;
    }

    private static JsonNode claims(String token) {
        try {
            return Contract.parseJson(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new AssertionError("Not a JWT: " + token, e);
        }
    }
}
