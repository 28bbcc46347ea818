package dev.realtime.image;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.OutputFrame.OutputType;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;

import dev.realtime.support.ImageUnderTest;
import dev.realtime.support.TestService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verifier users get ({@code docker run realtime-service:local verify ...}) run against the image on a
 * Docker network, as a pipeline runs it against a deployment: the tool CI trusts is the tool shipped.
 */
class ImageVerifyIT {
    private static Network network;
    private static ImageUnderTest service;
    private static String target;

    @BeforeAll
    static void start() {
        network = Network.newNetwork();
        service = ImageUnderTest.startNew(Map.of(), network);
        target = "http://" + service.container().getNetworkAliases().get(0) + ":3000";
    }

    @AfterAll
    static void stop() {
        service.close();
        network.close();
    }

    private record Run(long exit, String out, String err) {
        List<String> lines(String prefix) {
            return out.lines().filter(line -> line.startsWith(prefix)).toList();
        }
    }

    /** {@code docker run --rm <image> verify <args>} on the service's network. */
    private static Run verify(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "verify";
        System.arraycopy(args, 0, command, 1, args.length);
        try (GenericContainer<?> verifier = new GenericContainer<>(ImageUnderTest.IMAGE)
                .withNetwork(network)
                .withCommand(command)
                .withStartupCheckStrategy(new Exited().withTimeout(Duration.ofMinutes(2)))) {
            verifier.start();
            long exit = verifier.getDockerClient().inspectContainerCmd(verifier.getContainerId()).exec()
                    .getState().getExitCodeLong();
            return new Run(exit, verifier.getLogs(OutputType.STDOUT), verifier.getLogs(OutputType.STDERR));
        }
    }

    @Test
    void theImagesVerifierPassesTheImageWithAFullReport() {
        Run run = verify("--target", target, "--username", "alice", "--password", "alice-password",
                         "--publisher-username", "jobs", "--publisher-password", "jobs-password",
                         "--admin-username", "bob", "--admin-password", "bob-password",
                         "--origin", TestService.ALLOWED_ORIGIN);

        assertEquals(0, run.exit(), run.out() + run.err());
        assertEquals(List.of(), run.lines("FAIL"));
        assertTrue(run.lines("PASS").size() > 50, run.out());
        for (String check : List.of("PASS: POST /login 200", "PASS: POST /messages 202", "PASS: GET /sessions 200",
                                    "PASS: GET / 101", "PASS: receiveEcho echo example 'hello'", "PASS: close 1007")) {
            assertEquals(1, run.lines(check).size(), check + " in\n" + run.out());
        }
        assertTrue(run.out().contains("Exit 0: the deployment honours the contract"), run.out());
    }

    @Test
    void theImagesVerifierRefusingALoginExits5InOneLine() {
        Run run = verify("--target", target, "--username", "alice", "--password", "wrong");

        assertEquals(5, run.exit(), run.out() + run.err());
        assertEquals("verify: POST /login refused user 'alice': 401 invalid_credentials", run.err().strip());
    }

    /** Started once the process has ended, whatever its exit code (the test reads it). */
    private static final class Exited extends StartupCheckStrategy {
        @Override
        public StartupStatus checkStartupState(DockerClient client, String containerId) {
            return Boolean.TRUE.equals(getCurrentState(client, containerId).getRunning())
                    ? StartupStatus.NOT_YET_KNOWN : StartupStatus.SUCCESSFUL;
        }
    }
}
