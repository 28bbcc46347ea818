import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Smoke test of a running stack (docker compose): log in as the demo user, open the WebSocket
 * with the token, get the welcome, get one echo back. Usage: java .ci/ComposeSmoke.java http://localhost:3000
 * Plain JDK (source launcher), so CI needs nothing but the JDK to run it.
 */
public class ComposeSmoke {
    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://localhost:3000";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                                                       .header("Content-Type", "application/json")
                                                       .POST(HttpRequest.BodyPublishers.ofString(
                                                               "{\"username\":\"demo\",\"password\":\"demo-password\"}"))
                                                       .build(), HttpResponse.BodyHandlers.ofString());
        check(login.statusCode() == 200, "login answered " + login.statusCode() + ": " + login.body());
        String token = login.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        System.out.println("login: 200, token of " + token.length() + " chars");

        var messages = new LinkedBlockingQueue<String>();
        var closed = new CompletableFuture<Integer>();
        WebSocket ws = http.newWebSocketBuilder()
                .buildAsync(URI.create(base.replaceFirst("^http", "ws") + "/?token=" + token), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            messages.add(text.toString());
                            text.setLength(0);
                        }
                        socket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                        closed.complete(code);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);

        String welcome = messages.poll(10, TimeUnit.SECONDS);
        check(welcome != null && welcome.contains("\"type\":\"welcome\"") && welcome.contains("\"user\":\"demo\""),
              "welcome: " + welcome);
        System.out.println("websocket: " + welcome);

        ws.sendText("{\"type\":\"echo\",\"id\":\"smoke-1\",\"payload\":{\"msg\":\"recebido?\"}}", true).join();
        String echo = messages.poll(10, TimeUnit.SECONDS);
        check("{\"type\":\"echo\",\"id\":\"smoke-1\",\"payload\":{\"msg\":\"recebido?\"}}".equals(echo), "echo: " + echo);
        System.out.println("echo: " + echo);

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        System.out.println("close: " + closed.get(10, TimeUnit.SECONDS));
        System.out.println("compose smoke: OK");
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            System.err.println("compose smoke FAILED: " + message);
            System.exit(1);
        }
    }
}
