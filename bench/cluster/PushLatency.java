import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Push delivery latency and throughput, single instance or across instances (bench/cluster/run.sh).
 *
 * Latency (open loop, no coordinated omission): a sender session on SEND_URL sends broadcast (or
 * direct) messages at a fixed rate; each payload carries its *intended* send time; receivers on
 * RECEIVE_URL record now - intended for every delivery. Sender and receivers live in this one
 * process, so one clock measures both ends.
 *
 * Throughput (closed loop): the sender keeps WINDOW requests in flight (each ack frees a slot)
 * for the duration; deliveries per second are counted at the receivers.
 *
 * java PushLatency.java SEND_URL RECEIVE_URL broadcast|direct RATE SECONDS RECEIVERS [throughput]
 * With SERVER_PIDS=pid[,pid...] in the environment (Linux), the throughput line also has the CPU time those
 * processes used during the closed loop (user + system, from /proc), in all and per delivery, and each one's per
 * request (in SERVER_PIDS's order): when this client is what limits the throughput, that is the figure that says
 * what the servers cost, and where.
 * Prints one JSON line per phase; with "throughput" only the closed loop runs (RATE is then unused: for
 * servers warmed up beforehand, bench/history/run.sh). Only loopback addresses are meant; every phase is bounded in time.
 */
public class PushLatency {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int WINDOW = 16;

    public static void main(String[] args) throws Exception {
        String sendUrl = args[0];
        String receiveUrl = args[1];
        String kind = args[2];
        int rate = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        int receivers = Integer.parseInt(args[5]);
        boolean throughputOnly = args.length > 6 && args[6].equals("throughput");

        Recorder recorder = new Recorder(rate * seconds * (long) Math.max(1, receivers) * 2);
        List<Client> rx = new ArrayList<>();
        String rxToken = login(receiveUrl, "bench-rx");
        for (int i = 0; i < receivers; i++) {
            rx.add(Client.open(receiveUrl, rxToken, recorder));
        }
        Client tx = Client.open(sendUrl, login(sendUrl, "bench"), null);
        Thread.sleep(1000); // presence reaches the other instance (heartbeat or join event)
        if (!throughputOnly) {
            latency(tx, kind, rate, seconds, receivers, recorder, sendUrl.equals(receiveUrl));
        }

        recorder.reset();
        tx.acks.set(0);
        recorder.recording = true;
        List<Long> servers = serverPids();
        long[] cpuBefore = cpuTicks(servers);
        long start = System.nanoTime();
        closedLoop(tx, kind, seconds, recorder, receivers);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] cpuAfter = cpuTicks(servers);
        Thread.sleep(1000);
        recorder.recording = false;
        long delivered = recorder.count.get();
        long requests = tx.acks.get();
        double serverCpu = 0;
        List<String> perRequest = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            double cpuSeconds = (cpuAfter[i] - cpuBefore[i]) / (double) TICKS_PER_SECOND;
            serverCpu += cpuSeconds;
            perRequest.add(String.format("%.1f", cpuSeconds * 1e6 / Math.max(1, requests)));
        }
        String cpu = servers.isEmpty() ? "" : String.format(",\"server_cpu_s\":%.2f,\"server_cpu_us_per_delivery\":%.2f,"
                                                                    + "\"cpu_us_per_request_by_pid\":[%s]",
                                                            serverCpu, serverCpu * 1e6 / Math.max(1, delivered),
                                                            String.join(",", perRequest));
        System.out.printf("{\"phase\":\"throughput\",\"kind\":\"%s\",\"instances\":\"%s\",\"receivers\":%d,\"deliveries_per_s\":%.1f,"
                                  + "\"requests_per_s\":%.1f%s}%n",
                          kind, sendUrl.equals(receiveUrl) ? "same" : "cross", receivers, delivered / elapsed,
                          requests / elapsed, cpu);
        for (Client c : rx) {
            c.close();
        }
        tx.close();
    }

    private static void latency(Client tx, String kind, int rate, int seconds, int receivers, Recorder recorder, boolean same)
            throws InterruptedException {
        // Warm-up (the JIT of both servers), not recorded: its messages carry "m":0.
        recorder.recording = false;
        openLoop(tx, kind, rate, 5, 0);
        Thread.sleep(2000);
        recorder.recording = true;
        recorder.reset();
        long expected = (long) rate * seconds * receivers;
        openLoop(tx, kind, rate, seconds, 1);
        Thread.sleep(2000); // stragglers
        recorder.recording = false;
        System.out.println(recorder.latencyJson(kind, same ? "same" : "cross", rate, seconds, receivers, expected));
    }

    private static void openLoop(Client tx, String kind, int rate, int seconds, int measured) throws InterruptedException {
        long start = System.nanoTime() + 1_000_000;
        long interval = 1_000_000_000L / rate;
        long count = (long) rate * seconds;
        for (long i = 0; i < count; i++) {
            long intended = start + i * interval;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            tx.send(message(kind, "o" + i, intended, measured));
        }
    }

    /**
     * At most WINDOW messages not yet delivered to every receiver: the rate the receivers can take
     * (a sender outrunning them would only make the server close them as slow consumers).
     */
    private static void closedLoop(Client tx, String kind, int seconds, Recorder recorder, int receivers)
            throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long i = 0;
        while (System.nanoTime() < end) {
            tx.slots.acquire();
            recorder.awaitCount((i - WINDOW) * receivers, end);
            tx.send(message(kind, "c" + i++, System.nanoTime(), 1));
        }
    }

    /** Clock ticks per second of /proc/PID/stat (USER_HZ: 100 on every Linux this runs on). */
    private static final int TICKS_PER_SECOND = 100;

    private static List<Long> serverPids() {
        String pids = System.getenv().getOrDefault("SERVER_PIDS", "");
        return pids.isBlank() ? List.of() : Arrays.stream(pids.split(",")).map(String::trim).map(Long::parseLong).toList();
    }

    /** utime + stime of all threads of each process (fields 14 and 15 of /proc/PID/stat, after the command's name). */
    private static long[] cpuTicks(List<Long> pids) throws java.io.IOException {
        long[] ticks = new long[pids.size()];
        for (int i = 0; i < pids.size(); i++) {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pids.get(i) + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks[i] = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        return ticks;
    }

    private static String message(String kind, String id, long intendedNanos, int measured) {
        String payload = "{\"m\":" + measured + ",\"t\":" + intendedNanos + "}";
        return kind.equals("direct")
                ? "{\"type\":\"direct\",\"id\":\"" + id + "\",\"to\":\"bench-rx\",\"payload\":" + payload + "}"
                : "{\"type\":\"broadcast\",\"id\":\"" + id + "\",\"payload\":" + payload + "}";
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

    /** Latencies in microseconds, exact percentiles (sorted). */
    static final class Recorder {
        final AtomicLongArray micros;
        final AtomicInteger count = new AtomicInteger();
        volatile boolean recording;

        Recorder(long capacity) {
            micros = new AtomicLongArray((int) Math.min(capacity, 50_000_000));
        }

        /** The count a waiting sender wants to see, and that sender (woken instead of spinning on this client's cores). */
        private volatile long wanted = Long.MAX_VALUE;
        private volatile Thread waiter;

        void reset() {
            count.set(0);
        }

        void record(long intendedNanos) {
            if (recording) {
                int i = count.getAndIncrement();
                if (i < micros.length()) {
                    micros.set(i, (System.nanoTime() - intendedNanos) / 1000);
                }
                if (i + 1 >= wanted) {
                    java.util.concurrent.locks.LockSupport.unpark(waiter);
                }
            }
        }

        /** Until {@code target} deliveries were counted, or {@code deadlineNanos}. */
        void awaitCount(long target, long deadlineNanos) {
            waiter = Thread.currentThread();
            wanted = target;
            while (count.get() < target && System.nanoTime() < deadlineNanos) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            wanted = Long.MAX_VALUE;
        }

        String latencyJson(String kind, String instances, int rate, int seconds, int receivers, long expected) {
            int n = Math.min(count.get(), micros.length());
            long[] sorted = new long[n];
            for (int i = 0; i < n; i++) {
                sorted[i] = micros.get(i);
            }
            Arrays.sort(sorted);
            return String.format("{\"phase\":\"latency\",\"kind\":\"%s\",\"instances\":\"%s\",\"rate\":%d,\"seconds\":%d,"
                                         + "\"receivers\":%d,\"expected\":%d,\"received\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
                                         + "\"p999_ms\":%.3f,\"max_ms\":%.3f}",
                                 kind, instances, rate, seconds, receivers, expected, n,
                                 pct(sorted, 0.50), pct(sorted, 0.99), pct(sorted, 0.999), n == 0 ? 0 : sorted[n - 1] / 1000.0);
        }

        private static double pct(long[] sorted, double p) {
            return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
        }
    }

    static final class Client implements WebSocket.Listener {
        final java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(WINDOW);
        final AtomicLong acks = new AtomicLong();
        private final Recorder recorder;
        private final StringBuilder text = new StringBuilder();
        private final CountDownLatch welcomed = new CountDownLatch(1);
        private WebSocket socket;
        private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);

        private Client(Recorder recorder) {
            this.recorder = recorder;
        }

        static Client open(String base, String token, Recorder recorder) throws Exception {
            Client client = new Client(recorder);
            client.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(base.replaceFirst("^http", "ws") + "/?token=" + token), client).get(10, TimeUnit.SECONDS);
            if (!client.welcomed.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no welcome");
            }
            return client;
        }

        synchronized void send(String message) {
            sending = sending.thenCompose(ws -> socket.sendText(message, true));
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
                    welcomed.countDown();
                } else if (message.startsWith("{\"type\":\"ack\"")) {
                    acks.incrementAndGet();
                    slots.release();
                } else if (recorder != null && (message.startsWith("{\"type\":\"broadcast\"") || message.startsWith("{\"type\":\"direct\""))) {
                    if (message.contains("\"m\":1,")) {
                        int t = message.indexOf("\"t\":");
                        recorder.record(Long.parseLong(message.substring(t + 4, message.indexOf('}', t))));
                    }
                } else if (message.startsWith("{\"type\":\"error\"")) {
                    System.err.println("error: " + message);
                    slots.release();
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
