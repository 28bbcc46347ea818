package dev.realtime.verify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import dev.realtime.support.Contract;
import dev.realtime.support.TestServer;
import dev.realtime.support.TestService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verifier against the real service, a drifted contract, and every kind of bad input. */
class VerifyCommandTest {
    private static TestServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private record Run(int exit, String out, String err) {
        List<String> lines(String prefix) {
            return out.lines().filter(line -> line.startsWith(prefix)).toList();
        }
    }

    private static Run verify(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = VerifyCommand.run(args, variable -> null, new PrintStream(out, true, StandardCharsets.UTF_8),
                                     new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String target() {
        return "http://127.0.0.1:" + server.port();
    }

    private static String[] allAccounts(String... more) {
        return Stream.concat(Stream.of("--target", target(), "--username", "alice", "--password", "alice-password",
                                       "--publisher-username", "jobs", "--publisher-password", "jobs-password",
                                       "--admin-username", "bob", "--admin-password", "bob-password",
                                       "--origin", TestService.ALLOWED_ORIGIN), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void theRealServiceConformsAndEveryDocumentedResponseGetsALine() throws Exception {
        Path junit = dir.resolve("reports/verify.xml");
        Run run = verify(allAccounts("--junit", junit.toString()));

        assertEquals(0, run.exit(), run.out() + run.err());
        assertEquals(List.of(), run.lines("FAIL"));
        assertEquals("", run.err());
        // Derived from the spec: every operation's every documented status is checked or said to be unchecked.
        var paths = Contract.openApi().path("paths");
        for (Iterator<String> names = paths.fieldNames(); names.hasNext(); ) {
            String path = names.next();
            paths.get(path).fieldNames().forEachRemaining(method -> paths.get(path).get(method).path("responses").fieldNames()
                    .forEachRemaining(status -> {
                        String check = method.toUpperCase() + " " + path + " " + status;
                        assertTrue(run.out().contains("PASS: " + check) || run.out().contains("SKIPPED: " + check),
                                   check + " has no line:\n" + run.out());
                    }));
        }
        for (String check : List.of("PASS: POST /messages 202", "PASS: GET /sessions 200", "PASS: OPTIONS /login 200",
                                    "PASS: upgrade with ?token= → welcome", "PASS: receiveEcho echo example 'hello'",
                                    "PASS: error malformed_json", "PASS: close 1002", "PASS: close 1007", "PASS: close 1009",
                                    "PASS: every message the server sent is a documented ServerMessage")) {
            assertEquals(1, run.lines(check).size(), check + " in\n" + run.out());
        }
        assertTrue(run.out().contains("SKIPPED: close 1011 — not provoked"), run.out());

        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        Element suite = xml.getDocumentElement();
        int checks = run.lines("PASS").size() + run.lines("SKIPPED").size();
        assertEquals(String.valueOf(checks), suite.getAttribute("tests"));
        assertEquals("0", suite.getAttribute("failures"));
        assertEquals(String.valueOf(run.lines("SKIPPED").size()), suite.getAttribute("skipped"));
        assertEquals(run.lines("SKIPPED").size(), xml.getElementsByTagName("skipped").getLength());
    }

    @Test
    void whatNeedsAnAccountNotGivenIsSkippedWithTheFlagsToGiveIt() {
        Run run = verify("--target", target(), "--username", "alice", "--password", "alice-password");

        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("SKIPPED: POST /messages 202 — POST /messages needs a user with the publisher role "
                                              + "(--publisher-username/--publisher-password)"), run.out());
        assertTrue(run.out().contains("SKIPPED: GET /sessions 200 — GET /sessions needs a user with the admin role "
                                              + "(--admin-username/--admin-password)"), run.out());
        assertTrue(run.out().contains("SKIPPED: OPTIONS /login 200 — a preflight from an allowed origin needs one (--origin"), run.out());
    }

    @Test
    void aContractTheServiceDoesNotHonourIsDriftNamedInTheOutputAndTheJUnitReport() throws Exception {
        // The specs with TokenResponse.expiresIn renamed: the real service still answers expiresIn.
        Path specs = Files.createDirectories(dir.resolve("specs"));
        Files.copy(Contract.ASYNCAPI_FILE, specs.resolve("asyncapi.yaml"));
        String openApi = Files.readString(Contract.OPENAPI_FILE);
        String renamed = openApi.replace("required: [token, tokenType, expiresIn]", "required: [token, tokenType, expiresInSeconds]")
                .replace("        expiresIn:\n          description: Seconds until", "        expiresInSeconds:\n          description: Seconds until");
        assertFalse(renamed.equals(openApi), "the edit applies");
        Files.writeString(specs.resolve("openapi.yaml"), renamed);
        Path junit = dir.resolve("drift.xml");

        Run run = verify(allAccounts("--specs", specs.toString(), "--junit", junit.toString()));

        assertEquals(1, run.exit(), run.out() + run.err());
        // Both operations that answer a TokenResponse drift, and nothing else.
        List<String> failures = run.lines("FAIL");
        assertEquals(List.of("POST /login 200", "POST /login/refresh 200"),
                     failures.stream().map(line -> line.substring("FAIL: ".length(), line.indexOf(" — "))).sorted().toList(),
                     run.out());
        failures.forEach(line -> assertTrue(line.contains("expiresInSeconds"), line));
        assertTrue(run.out().contains("Exit 1: drift"), run.out());

        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        assertEquals("2", xml.getDocumentElement().getAttribute("failures"));
        NodeList failed = xml.getElementsByTagName("failure");
        List<String> failedCases = new ArrayList<>();
        for (int i = 0; i < failed.getLength(); i++) {
            failedCases.add(((Element) failed.item(i).getParentNode()).getAttribute("name"));
            assertTrue(((Element) failed.item(i)).getAttribute("message").contains("expiresInSeconds"));
        }
        assertEquals(List.of("POST /login 200", "POST /login/refresh 200"), failedCases.stream().sorted().toList());
    }

    @Test
    void aServerWhoseLoginDriftedFailsWithTheDriftNamedInTheOutputAndTheJUnitReport() throws Exception {
        HttpServer drifted = fake(Map.of("/openapi", Files.readString(Contract.OPENAPI_FILE),
                                         "/asyncapi", Files.readString(Contract.ASYNCAPI_FILE),
                                         "/login", "{\"access_token\":\"abc\",\"token_type\":\"Bearer\"}"));
        Path junit = dir.resolve("login.xml");
        try {
            Run run = verify("--target", "http://127.0.0.1:" + drifted.getAddress().getPort(),
                             "--username", "alice", "--password", "alice-password", "--junit", junit.toString());

            assertEquals(1, run.exit(), run.out() + run.err());
            assertEquals(List.of("FAIL: POST /login 200 — POST /login answered 200 for 'alice' without a token: "
                                         + "{\"access_token\":\"abc\",\"token_type\":\"Bearer\"}"), run.lines("FAIL"));
            Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
            assertEquals("1", xml.getDocumentElement().getAttribute("failures"));
        } finally {
            drifted.stop(0);
        }
    }

    @Test
    void anUnwritableJUnitReportIsExit2() throws IOException {
        Path file = Files.createFile(dir.resolve("a-file"));
        Run run = verify("--target", target(), "--username", "alice", "--password", "alice-password",
                         "--junit", file.resolve("report.xml").toString());

        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().startsWith("verify: --junit " + file.resolve("report.xml") + ": cannot write it"), run.err());
    }

    @Test
    void anUnreachableTargetIsExit3InOneLine() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Run run = verify("--target", "http://127.0.0.1:" + closedPort, "--username", "a", "--password", "b");

        assertEquals(3, run.exit());
        assertOneLine(run, "verify: cannot reach the target: connection refused");
    }

    @Test
    void anUnknownHostIsExit3() {
        Run run = verify("--target", "http://no-such-host.invalid:3000", "--username", "a", "--password", "b");

        assertEquals(3, run.exit(), run.err());
        assertOneLine(run, "verify: cannot reach the target: unknown host");
    }

    @Test
    void aWrongPasswordIsExit5WithTheProblemCode() {
        Run run = verify("--target", target(), "--username", "alice", "--password", "not-her-password");

        assertEquals(5, run.exit());
        assertOneLine(run, "verify: POST /login refused user 'alice': 401 invalid_credentials");
    }

    @Test
    void aTargetThatIsNotThisServiceIsExit4() throws IOException {
        assertNotThisService(Map.of("/", "<html>another service</html>"),
                             "GET /openapi answered 404 (realtime-service publishes its contract there)");
    }

    @Test
    void aTargetPublishingSomethingElseAtOpenapiIsExit4() throws IOException {
        assertNotThisService(Map.of("/openapi", "just: [some, yaml]", "/asyncapi", "asyncapi: 3.0.0"),
                             "openapi.yaml is not an OpenAPI 3 document");
    }

    private static void assertNotThisService(Map<String, String> answers, String why) throws IOException {
        HttpServer other = fake(answers);
        try {
            String target = "http://127.0.0.1:" + other.getAddress().getPort();
            Run run = verify("--target", target, "--username", "a", "--password", "b");

            assertEquals(4, run.exit());
            assertOneLine(run, "verify: " + target + " is not realtime-service: " + why);
        } finally {
            other.stop(0);
        }
    }

    @Test
    void badFlagsAreExit2() {
        assertEquals(2, verify("--target", target(), "--username", "alice", "--password", "x", "--colour").exit());
        assertEquals(2, verify("--username", "alice", "--password", "x").exit());
        assertEquals(2, verify("--target", "ftp://example.test", "--username", "alice", "--password", "x").exit());
        assertEquals(2, verify("--target", target(), "--username", "alice", "--password", "x", "--admin-username", "bob").exit());
        Run run = verify("--target", target(), "--username", "alice", "--password", "alice-password", "--specs", dir.resolve("none").toString());
        assertEquals(2, run.exit());
        assertOneLine(run, "verify: --specs " + dir.resolve("none") + ": cannot read NoSuchFileException");
    }

    @Test
    void theEnvironmentGivesWhatTheFlagsDoNot() {
        var out = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("VERIFY_TARGET", target(), "VERIFY_USERNAME", "alice", "VERIFY_PASSWORD", "wrong");
        int exit = VerifyCommand.run(new String[0], env::get, new PrintStream(out), new PrintStream(out));
        assertEquals(5, exit, out.toString());
    }

    @Test
    void helpListsTheFlagsAndTheExitCodes() {
        Run run = verify("--help");

        assertEquals(0, run.exit());
        for (Exit exit : Exit.values()) {
            assertTrue(run.out().contains("  " + exit.code() + "  " + exit.meaning()), run.out());
        }
        for (String flag : Options.FLAGS.keySet()) {
            assertTrue(run.out().contains(flag), flag);
        }
    }

    private static void assertOneLine(Run run, String start) {
        List<String> lines = new ArrayList<>(run.err().lines().toList());
        assertEquals(1, lines.size(), "one line, no stack trace: " + run.err());
        assertTrue(lines.get(0).startsWith(start), lines.get(0));
        assertEquals("", run.out());
    }

    /** A JDK HTTP server answering these paths with 200 and everything else with 404. */
    private static HttpServer fake(Map<String, String> answers) throws IOException {
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext("/", exchange -> {
            String body = answers.get(exchange.getRequestURI().getPath());
            byte[] bytes = (body == null ? "not found" : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        fake.start();
        return fake;
    }
}
