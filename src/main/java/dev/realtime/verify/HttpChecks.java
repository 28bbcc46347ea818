package dev.realtime.verify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.realtime.contract.oracle.ContractOracle;
import dev.realtime.verify.Accounts.Role;
import dev.realtime.verify.RawHttp.Response;
import dev.realtime.verify.Report.Result;

/**
 * The HTTP checks, derived from openapi.yaml: for every operation, every documented response is provoked
 * (the operation as documented for a 2xx, a deliberate mistake for an error) and the answer judged by the
 * oracle, plus the problem {@code code} the response's description names. A response that cannot be
 * provoked from outside without harming the target is reported as SKIPPED, with the reason.
 */
final class HttpChecks {
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    /** Operations that need a role beyond logging in (their descriptions say which), by operationId. */
    private static final Map<String, Role> ROLES = Map.of("publish", Role.PUBLISHER, "listSessions", Role.ADMIN);
    /** An origin no deployment allows. */
    static final String FOREIGN_ORIGIN = "https://verifier.invalid";
    /** A Content-Length far over any body limit; the service answers 413 from the header alone. */
    private static final long OVERSIZED = 1L << 30;
    private static final Pattern BACKTICKED = Pattern.compile("`([a-z_]+)`");

    private final Target target;
    private final ContractOracle oracle;
    private final Accounts accounts;
    private final Optional<String> origin;
    private final Report report;

    HttpChecks(Target target, ContractOracle oracle, Accounts accounts, Optional<String> origin, Report report) {
        this.target = target;
        this.oracle = oracle;
        this.accounts = accounts;
        this.origin = origin;
        this.report = report;
    }

    /** One documented operation. */
    private record Operation(String path, String method, JsonNode node) {
        String name() {
            return method + " " + path;
        }

        String id() {
            return node.path("operationId").asText();
        }

        boolean bearer() {
            for (JsonNode requirement : node.path("security")) {
                if (requirement.has("bearerToken")) {
                    return true;
                }
            }
            return false;
        }

        boolean upgrade() {
            return node.path("responses").has("101");
        }

        /** The values the path's parameter may take ({@code enum}), or none. */
        List<String> pathValues() {
            List<String> values = new ArrayList<>();
            for (JsonNode parameter : node.path("parameters")) {
                if ("path".equals(parameter.path("in").asText())) {
                    parameter.path("schema").path("enum").forEach(v -> values.add(v.asText()));
                }
            }
            return values;
        }

        String withParameter(String value) {
            return path.replaceAll("\\{[^}]+}", value);
        }
    }

    void run() {
        for (Iterator<Map.Entry<String, JsonNode>> paths = oracle.openApi().path("paths").fields(); paths.hasNext(); ) {
            var path = paths.next();
            for (String method : METHODS) {
                if (path.getValue().has(method)) {
                    Operation operation = new Operation(path.getKey(), method.toUpperCase(Locale.ROOT), path.getValue().get(method));
                    operation.node().path("responses").fieldNames().forEachRemaining(status -> check(operation, status));
                }
            }
        }
    }

    private void check(Operation op, String status) {
        String name = op.name() + " " + status;
        if (!status.matches("[1-5][0-9][0-9]")) {
            report.skip("http", name, "not provoked: a response for any status (" + status + ") names no request to make");
            return;
        }
        int expected = Integer.parseInt(status);
        if (op.upgrade()) {
            handshake(op, expected, name);
            return;
        }
        switch (status) {
            case "200", "201", "202", "204", "301", "302", "303" -> documented(op, expected, name);
            case "304" -> notModified(op, name);
            case "400" -> withBody(op, expected, name, "application/json", "{\"malformed");
            case "401" -> unauthorized(op, name);
            case "403" -> foreignOrigin(op, name);
            case "404" -> unknownFile(op, name);
            case "405" -> otherMethod(op, name);
            case "413" -> oversized(op, name);
            case "415" -> withBody(op, expected, name, "text/plain", "not json");
            default -> report.skip("http", name, notProvoked(expected) + documentation(op, status));
        }
    }

    /** Why a documented status is not provoked: it needs the target at a limit, failing, or throttled. */
    private static String notProvoked(int status) {
        return switch (status) {
            case 429 -> "not provoked: it would throttle the target (rate or connection limits)";
            case 500 -> "not provoked: an unexpected failure cannot be caused from outside";
            case 503 -> "not provoked: it needs the target at a limit, busy, or DOWN";
            default -> "not provoked: the verifier knows no request that causes " + status;
        };
    }

    /** The operation as documented: each value of a path parameter, or each documented content type. */
    private void documented(Operation op, int expected, String name) {
        if ("OPTIONS".equals(op.method())) {
            preflight(op, expected, name);
            return;
        }
        Optional<Map<String, String>> auth = auth(op);
        if (auth.isEmpty()) {
            report.skip("http", name, op.name() + " " + roleMissing(op));
            return;
        }
        List<String> values = op.pathValues();
        if (!values.isEmpty()) {
            for (String value : values) {
                String path = op.withParameter(value);
                report.run("http", name + " " + path, () -> judge(op, expected, "GET " + path, target.send(op.method(), path, auth.get(), null)));
            }
            return;
        }
        if (op.node().has("requestBody")) {
            Optional<String> body = exampleBody(op);
            if (body.isEmpty()) {
                report.skip("http", name, "openapi.yaml gives no example request body for " + op.name());
                return;
            }
            Map<String, String> headers = new HashMap<>(auth.get());
            headers.put("Content-Type", "application/json");
            report.run("http", name, () -> judge(op, expected, op.name() + " (the documented example)",
                                                 target.send(op.method(), op.path(), headers, body.get())));
            return;
        }
        List<String> types = new ArrayList<>();
        op.node().at("/responses/" + expected + "/content").fieldNames().forEachRemaining(types::add);
        if (types.size() <= 1) {
            report.run("http", name, () -> judge(op, expected, op.name(), target.send(op.method(), op.path(), auth.get(), null)));
            return;
        }
        for (String type : types) {
            Map<String, String> headers = new HashMap<>(auth.get());
            headers.put("Accept", type);
            report.run("http", name + " " + type, () -> judge(op, expected, op.name() + " Accept: " + type,
                                                              target.send(op.method(), op.path(), headers, null)));
        }
    }

    /** A CORS preflight from the allowed origin (given with --origin). */
    private void preflight(Operation op, int expected, String name) {
        if (origin.isEmpty()) {
            report.skip("http", name, "a preflight from an allowed origin needs one (--origin, one of the target's CORS_ORIGIN)");
            return;
        }
        report.run("http", name, () -> judge(op, expected, "OPTIONS " + op.path() + " Origin: " + origin.get(),
                                             target.raw("OPTIONS", op.path(), preflightHeaders(origin.get()), null)));
    }

    private static Map<String, String> preflightHeaders(String from) {
        return Map.of("Origin", from, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type");
    }

    private void notModified(Operation op, String name) {
        String path = op.pathValues().stream().findFirst().map(op::withParameter).orElse(op.path());
        report.run("http", name, () -> {
            Response first = target.send("GET", path, Map.of(), null);
            Optional<String> etag = first.headers().firstValue("ETag");
            if (etag.isEmpty()) {
                return Result.fail("GET " + path + " answered " + first.status() + " without an ETag to ask again with");
            }
            return judge(op, 304, "GET " + path + " If-None-Match: " + etag.get(),
                         target.send("GET", path, Map.of("If-None-Match", etag.get()), null));
        });
    }

    /** A request body of the wrong kind: malformed JSON (400) or not JSON at all (415). */
    private void withBody(Operation op, int expected, String name, String contentType, String body) {
        Optional<Map<String, String>> auth = auth(op);
        if (auth.isEmpty()) {
            report.skip("http", name, op.name() + " " + roleMissing(op));
            return;
        }
        Map<String, String> headers = new HashMap<>(auth.get());
        headers.put("Content-Type", contentType);
        report.run("http", name, () -> judge(op, expected, op.name() + " Content-Type: " + contentType + " body: " + body,
                                             target.send(op.method(), op.path(), headers, body)));
    }

    private void unauthorized(Operation op, String name) {
        if ("login".equals(op.id())) {
            // A user that cannot exist: no real account's failure counter moves.
            String body = Accounts.credentials("verify-nobody-" + Long.toHexString(System.nanoTime()), "wrong-password");
            report.run("http", name, () -> judge(op, 401, "POST /login with an unknown user",
                                                 target.send("POST", "/login", Map.of("Content-Type", "application/json"), body)));
        } else if (op.bearer()) {
            Map<String, String> headers = op.node().has("requestBody") ? Map.of("Content-Type", "application/json") : Map.of();
            String body = exampleBody(op).orElse(null);
            report.run("http", name, () -> judge(op, 401, op.name() + " without a token",
                                                 target.send(op.method(), op.path(), headers, body)));
        } else {
            report.skip("http", name, notProvoked(401) + documentation(op, "401"));
        }
    }

    /** A cross-origin request from an origin no deployment allows. */
    private void foreignOrigin(Operation op, String name) {
        if ("OPTIONS".equals(op.method())) {
            report.run("http", name, () -> judge(op, 403, "OPTIONS " + op.path() + " Origin: " + FOREIGN_ORIGIN,
                                                 target.raw("OPTIONS", op.path(), preflightHeaders(FOREIGN_ORIGIN), null)));
            return;
        }
        String path = op.pathValues().stream().findFirst().map(op::withParameter).orElse(op.path());
        Map<String, String> headers = new HashMap<>(auth(op).orElse(Map.of()));
        headers.put("Origin", FOREIGN_ORIGIN);
        String body = op.node().has("requestBody") ? exampleBody(op).orElse("{}") : null;
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        report.run("http", name, () -> judge(op, 403, op.method() + " " + path + " Origin: " + FOREIGN_ORIGIN,
                                             target.send(op.method(), path, headers, body)));
    }

    private void unknownFile(Operation op, String name) {
        if (!op.path().contains("{")) {
            report.skip("http", name, notProvoked(404) + documentation(op, "404"));
            return;
        }
        String path = op.withParameter("verify-no-such-file.txt");
        report.run("http", name, () -> judge(op, 404, "GET " + path, target.send(op.method(), path, Map.of(), null)));
    }

    /** A method the path does not have. */
    private void otherMethod(Operation op, String name) {
        JsonNode pathItem = oracle.openApi().path("paths").path(op.path());
        String method = List.of("DELETE", "PUT", "PATCH").stream()
                .filter(m -> !pathItem.has(m.toLowerCase(Locale.ROOT))).findFirst().orElseThrow();
        report.run("http", name, () -> {
            Response response = target.send(method, op.path(), Map.of(), null);
            return judge(new Operation(op.path(), method, op.node()), 405, method + " " + op.path(), response);
        });
    }

    /** A Content-Length over any limit, with only the body's first byte sent: the answer must come from the header. */
    private void oversized(Operation op, String name) {
        Optional<Map<String, String>> auth = auth(op);
        if (auth.isEmpty()) {
            report.skip("http", name, op.name() + " " + roleMissing(op));
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>(auth.get());
        headers.put("Content-Type", "application/json");
        headers.put("Content-Length", String.valueOf(OVERSIZED));
        report.run("http", name, () -> judge(op, 413, op.name() + " Content-Length: " + OVERSIZED,
                                             target.raw(op.method(), op.path(), headers, "{".getBytes(StandardCharsets.UTF_8))));
    }

    /** The WebSocket upgrade's HTTP answers: 101, and every refusal that can be provoked. */
    private void handshake(Operation op, int expected, String name) {
        String token = accounts.token(Role.USER).orElseThrow();
        switch (expected) {
            case 101 -> report.run("http", name, () -> judge(op, 101, "upgrade with ?token=", target.upgrade("/?token=" + token, Map.of())));
            case 303 -> report.run("http", name, () -> judge(op, 303, "GET / Accept: text/html",
                                                             target.send("GET", "/", Map.of("Accept", "text/html"), null)));
            case 426 -> report.run("http", name, () -> judge(op, 426, "GET / Accept: application/json (no upgrade)",
                                                             target.send("GET", "/", Map.of("Accept", "application/json"), null)));
            case 400 -> report.run("http", name, () -> judge(op, 400, "upgrade with Sec-WebSocket-Version: 12",
                                                             target.upgrade("/?token=" + token, Map.of("Sec-WebSocket-Version", "12"))));
            case 401 -> report.run("http", name, () -> judge(op, 401, "upgrade without a token", target.upgrade("/", Map.of())));
            case 403 -> report.run("http", name, () -> judge(op, 403, "upgrade with Origin: " + FOREIGN_ORIGIN,
                                                             target.upgrade("/?token=" + token, Map.of("Origin", FOREIGN_ORIGIN))));
            default -> report.skip("http", name, notProvoked(expected) + documentation(op, String.valueOf(expected)));
        }
    }

    /**
     * The status must be the one provoked, the oracle must find nothing, and a problem's {@code code} must
     * be one the response's description names.
     */
    private Result judge(Operation op, int expected, String sent, Response response) {
        List<String> violations = new ArrayList<>();
        if (response.status() != expected) {
            violations.add("expected " + expected + ", got " + response.status());
        }
        var verdict = oracle.http(op.method(), op.path(), response.status(), response.headers(), response.body());
        JsonNode body = verdict.value();
        // A token in a report would be a credential in a pipeline's log.
        String token = body.path("token").asText("");
        verdict.violations().forEach(v -> violations.add(token.isEmpty() ? v : v.replace(token, "<token>")));
        Set<String> codes = documentedCodes(op, expected);
        if (response.status() == expected && !codes.isEmpty() && !codes.contains(body.path("code").asText())) {
            violations.add("problem code '" + body.path("code").asText() + "' is not one documented for " + expected + " " + codes);
        }
        return Result.of(violations, sent + " → " + evidence(response, body));
    }

    /** What came back, without secrets: status, content type, the problem code or the JSON body's members. */
    private static String evidence(Response response, JsonNode body) {
        var text = new StringBuilder().append(response.status());
        response.headers().firstValue("Content-Type").ifPresent(type -> text.append(' ').append(type));
        if (body.has("code")) {
            text.append(" code=").append(body.path("code").asText());
        } else if (body.isObject()) {
            List<String> members = new ArrayList<>();
            body.fieldNames().forEachRemaining(members::add);
            text.append(" {").append(String.join(", ", members)).append('}');
        } else if (!response.body().isEmpty()) {
            text.append(" (").append(response.body().length()).append(" characters)");
        }
        return text.toString();
    }

    /** The error codes a response's description names (`like_this`), as far as they are ErrorCode values. */
    private Set<String> documentedCodes(Operation op, int status) {
        JsonNode response = op.node().path("responses").path(String.valueOf(status));
        if (response.has("$ref")) {
            response = oracle.openApi().at(response.get("$ref").asText().substring(1));
        }
        Set<String> codes = new TreeSet<>();
        Matcher matcher = BACKTICKED.matcher(response.path("description").asText());
        List<String> known = oracle.errorCodes();
        while (matcher.find()) {
            if (known.contains(matcher.group(1))) {
                codes.add(matcher.group(1));
            }
        }
        return codes;
    }

    private String documentation(Operation op, String status) {
        JsonNode response = op.node().path("responses").path(status);
        if (response.has("$ref")) {
            response = oracle.openApi().at(response.get("$ref").asText().substring(1));
        }
        String description = response.path("description").asText().strip().replaceAll("\\s+", " ");
        return description.isEmpty() ? "" : " (documented: " + description + ")";
    }

    /** The Authorization header the operation needs (none for public ones), or empty when its account was not given. */
    private Optional<Map<String, String>> auth(Operation op) {
        if (!op.bearer()) {
            return Optional.of(Map.of());
        }
        return accounts.token(ROLES.getOrDefault(op.id(), Role.USER)).map(token -> Map.of("Authorization", "Bearer " + token));
    }

    private static String roleMissing(Operation op) {
        Role role = ROLES.getOrDefault(op.id(), Role.USER);
        return "needs a user with the " + role.name().toLowerCase(Locale.ROOT) + " role (" + role.flags() + ")";
    }

    /** The request body: for login the given account, otherwise the example openapi.yaml gives. */
    private Optional<String> exampleBody(Operation op) {
        if ("login".equals(op.id())) {
            return Optional.of(Accounts.credentials(accounts.user().username(), accounts.user().password()));
        }
        JsonNode example = op.node().at("/requestBody/content/application~1json/example");
        return example.isMissingNode() ? Optional.empty() : Optional.of(example.toString());
    }
}
