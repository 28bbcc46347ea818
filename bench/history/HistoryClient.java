import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client of bench/history/replay.sh and memory.sh (issue 15), the JDK's WebSocket client, one process.
 *
 * java HistoryClient.java replay SEND_URL RESUME_URL broadcast|direct MISSED TRIALS WARMUP
 *   Each trial: a session of bench-rx on RESUME_URL reads its stream's position from the welcome and closes;
 *   bench sends MISSED messages (broadcast, or direct to bench-rx) on SEND_URL, all answered; then a new session
 *   of bench-rx opens on RESUME_URL with since=<that position> and the clock runs from the upgrade request to the
 *   welcome and to the last replayed message. Checks recovered:true, replayed == MISSED, offsets without a gap or
 *   duplicate. Prints one JSON line per measured trial (the first WARMUP trials are not printed).
 * java HistoryClient.java fill URL STREAMS MESSAGES
 *   bench sends MESSAGES direct messages to each of STREAMS users m0, m1, … (connected nowhere: each message is
 *   kept in user:m<i>), 16 unanswered at most; prints one JSON line.
 * Every message's payload is {"i":<n>,"text":"<64 characters>"} (84 bytes of JSON).
 */
public class HistoryClient {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TEXT = "x".repeat(64);
    private static final Pattern OFFSET = Pattern.compile("\"offset\":(\\d+)");

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
        case "replay" -> replay(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                                Integer.parseInt(args[6]));
        case "fill" -> fill(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        default -> throw new IllegalArgumentException("replay or fill");
        }
    }

    private static void replay(String sendUrl, String resumeUrl, String kind, int missed, int trials, int warmup) throws Exception {
        String stream = kind.equals("direct") ? "user:bench-rx" : "broadcast";
        Pattern position = Pattern.compile("\\{\"stream\":\"" + Pattern.quote(stream) + "\",\"epoch\":\"([^\"]+)\",\"offset\":(\\d+)\\}");
        Session tx = Session.open(sendUrl, login(sendUrl, "bench"), "");
        String rxToken = login(resumeUrl, "bench-rx");
        for (int trial = 0; trial < warmup + trials; trial++) {
            Session before = Session.open(resumeUrl, rxToken, "");
            Matcher m = position.matcher(before.welcome);
            if (!m.find()) {
                throw new IllegalStateException("no position of " + stream + " in " + before.welcome);
            }
            before.close();
            String since = stream + ":" + m.group(1) + ":" + m.group(2);
            long first = Long.parseLong(m.group(2)) + 1;
            for (int i = 0; i < missed; i++) {
                tx.push(kind, i);
            }
            tx.awaitAnswers();

            long start = System.nanoTime();
            Session resumed = Session.open(resumeUrl, rxToken, "&since=" + URLEncoder.encode(since, StandardCharsets.UTF_8));
            long welcomed = resumed.welcomedAt - start;
            List<String> replayed = new ArrayList<>();
            long last = 0;
            while (replayed.size() < missed) {
                String message = resumed.received.poll(10, TimeUnit.SECONDS);
                if (message == null) {
                    throw new IllegalStateException("replay stopped after " + replayed.size());
                }
                last = System.nanoTime() - start;
                replayed.add(message);
            }
            resumed.close();
            if (!resumed.welcome.contains("\"recovery\":{\"recovered\":true,\"replayed\":" + missed + ",")) {
                throw new IllegalStateException("not recovered: " + resumed.welcome);
            }
            for (int i = 0; i < missed; i++) {
                Matcher o = OFFSET.matcher(replayed.get(i));
                if (!o.find() || Long.parseLong(o.group(1)) != first + i || !replayed.get(i).contains("\"stream\":\"" + stream + "\"")) {
                    throw new IllegalStateException("message " + i + " is not offset " + (first + i) + ": " + replayed.get(i));
                }
            }
            if (trial >= warmup) {
                System.out.printf("{\"kind\":\"%s\",\"trial\":%d,\"missed\":%d,\"welcome_ms\":%.3f,\"replayed_ms\":%.3f}%n",
                                  kind, trial - warmup + 1, missed, welcomed / 1e6, last / 1e6);
            }
        }
        tx.close();
    }

    private static void fill(String url, int streams, int messages) throws Exception {
        Session tx = Session.open(url, login(url, "bench"), "");
        long start = System.nanoTime();
        for (int s = 0; s < streams; s++) {
            for (int i = 0; i < messages; i++) {
                tx.push("direct:m" + s, i);
            }
        }
        tx.awaitAnswers();
        System.out.printf("{\"streams\":%d,\"messages_per_stream\":%d,\"fill_s\":%.1f}%n", streams, messages, (System.nanoTime() - start) / 1e9);
        tx.close();
    }

    private static String login(String base, String user) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                                         .header("Content-Type", "application/json")
                                         .POST(HttpRequest.BodyPublishers.ofString(
                                                 "{\"username\":\"" + user + "\",\"password\":\"bench-password\"}"))
                                         .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("login " + response.statusCode() + " " + response.body());
        }
        return response.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
    }

    /** One WebSocket session: its welcome, then every other message in a queue (answers only count). */
    static final class Session implements WebSocket.Listener {
        private static final int WINDOW = 16;
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final Semaphore unanswered = new Semaphore(WINDOW);
        private final StringBuilder text = new StringBuilder();
        private final CountDownLatch welcomed = new CountDownLatch(1);
        private volatile String welcome;
        private volatile long welcomedAt;
        private WebSocket socket;
        private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);
        private long sent;

        static Session open(String base, String token, String query) throws Exception {
            Session session = new Session();
            session.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(base.replaceFirst("^http", "ws") + "/?token=" + token + query), session).get(10, TimeUnit.SECONDS);
            if (!session.welcomed.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no welcome");
            }
            return session;
        }

        /** kind: broadcast, direct (to bench-rx) or direct:<user>. */
        void push(String kind, int i) throws InterruptedException {
            unanswered.acquire();
            String payload = "{\"i\":" + i + ",\"text\":\"" + TEXT + "\"}";
            String id = "h" + sent++;
            String message = kind.equals("broadcast")
                    ? "{\"type\":\"broadcast\",\"id\":\"" + id + "\",\"payload\":" + payload + "}"
                    : "{\"type\":\"direct\",\"id\":\"" + id + "\",\"to\":\"" + (kind.equals("direct") ? "bench-rx" : kind.substring(7))
                      + "\",\"payload\":" + payload + "}";
            synchronized (this) {
                sending = sending.thenCompose(ws -> socket.sendText(message, true));
            }
        }

        void awaitAnswers() throws InterruptedException {
            if (!unanswered.tryAcquire(WINDOW, 60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("answers missing");
            }
            unanswered.release(WINDOW);
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> null).join();
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                if (message.startsWith("{\"type\":\"welcome\"")) {
                    welcomedAt = System.nanoTime();
                    welcome = message;
                    welcomed.countDown();
                } else if (message.startsWith("{\"type\":\"ack\"") || message.startsWith("{\"type\":\"error\"")) {
                    if (message.startsWith("{\"type\":\"error\"") && !message.contains("user_not_connected")) {
                        System.err.println("error: " + message);
                    }
                    unanswered.release();
                } else if (message.startsWith("{\"type\":\"broadcast\"") || message.startsWith("{\"type\":\"direct\"")) {
                    received.add(message);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
