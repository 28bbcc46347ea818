package dev.realtime.image;

import org.junit.jupiter.api.Test;

import dev.realtime.support.Await;
import dev.realtime.support.Http;
import dev.realtime.support.ImageUnderTest;
import dev.realtime.support.WsClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code docker stop} (SIGTERM) tells connected clients to go away (1001) and the container exits promptly. */
class ImageGracefulStopIT {
    @Test
    void stoppingTheContainerClosesConnectedClientsWith1001() {
        try (ImageUnderTest image = ImageUnderTest.startNew()) {
            String token = Http.login(image, "bob", "bob-password");
            try (WsClient first = WsClient.connect(image.ws("/?token=" + token));
                 WsClient second = WsClient.connect(image.ws("/?token=" + token))) {
                first.next("welcome");
                second.next("welcome");

                long start = System.nanoTime();
                var container = image.container();
                container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(30).exec();
                long stopMillis = (System.nanoTime() - start) / 1_000_000;

                assertEquals(1001, first.awaitClose());
                assertEquals(1001, second.awaitClose());
                // Both clients answered the close, so the drain ends long before Docker's kill (30 s here).
                assertTrue(stopMillis < 10_000, "docker stop took " + stopMillis + " ms");
                // The container's last lines can reach Docker's log a moment after the stop returns.
                Await.until(() -> container.getLogs().contains("Drained; 0 session(s)"), container::getLogs);
            }
        }
    }
}
