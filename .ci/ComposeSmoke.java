import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Smoke test of a running compose stack. Logs in as the demo user at the first URL, opens a
 * WebSocket there, gets the welcome and one echo back. With a second URL (the cluster: one
 * instance each), opens a WebSocket there too and checks that a broadcast from the first
 * instance's session reaches it. Plain JDK (source launcher): CI needs nothing but the JDK.
 * Usage: java .ci/ComposeSmoke.java http://localhost:3000 [http://localhost:3002]
 */
public class ComposeSmoke {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                                                       .header("Content-Type", "application/json")
                                                       .POST(HttpRequest.BodyPublishers.ofString(
                                                               "{\"username\":\"demo\",\"password\":\"demo-password\"}"))
                                                       .build(), HttpResponse.BodyHandlers.ofString());
        check(login.statusCode() == 200, "login answered " + login.statusCode() + ": " + login.body());
        String token = login.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        System.out.println("login: 200, token of " + token.length() + " chars");

        var first = new Client(base, token);
        String welcome = first.next();
        check(welcome.contains("\"type\":\"welcome\"") && welcome.contains("\"user\":\"demo\""), "welcome: " + welcome);
        System.out.println("websocket: " + welcome);

        first.socket.sendText("{\"type\":\"echo\",\"id\":\"smoke-1\",\"payload\":{\"msg\":\"recebido?\"}}", true).join();
        String echo = first.next();
        check("{\"type\":\"echo\",\"id\":\"smoke-1\",\"payload\":{\"msg\":\"recebido?\"}}".equals(echo), "echo: " + echo);
        System.out.println("echo: " + echo);

        if (args.length > 1) {
            var second = new Client(args[1], token);
            String otherWelcome = second.next();
            check(!instance(otherWelcome).equals(instance(welcome)), "two instances: " + welcome + " / " + otherWelcome);
            first.socket.sendText("{\"type\":\"broadcast\",\"id\":\"smoke-2\",\"payload\":\"across\"}", true).join();
            String across = second.next();
            check(across.contains("\"type\":\"broadcast\"") && across.contains("across"), "cross-instance broadcast: " + across);
            System.out.println("broadcast from instance " + instance(welcome) + " reached instance " + instance(otherWelcome)
                                       + ": " + across);
            second.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
        first.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        System.out.println("compose smoke: OK");
    }

    private static String instance(String welcome) {
        return welcome.replaceAll(".*\"instance\":\"([^\"]+)\".*", "$1");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            System.err.println("compose smoke FAILED: " + message);
            System.exit(1);
        }
    }

    private static final class Client {
        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final WebSocket socket;

        Client(String base, String token) throws Exception {
            socket = HTTP.newWebSocketBuilder()
                    .buildAsync(URI.create(base.replaceFirst("^http", "ws") + "/?token=" + token), new WebSocket.Listener() {
                        private final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                messages.add(text.toString());
                                text.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
        }

        String next() throws InterruptedException {
            String message = messages.poll(10, TimeUnit.SECONDS);
            check(message != null, "no message within 10 s");
            return message;
        }
    }
}
