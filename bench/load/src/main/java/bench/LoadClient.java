package bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Load client for realtime-service and the reference server (same wire contract).
 *
 * <pre>
 * java -jar bench/load/target/realtime-load.jar --url http://127.0.0.1:3001 --user bench --password bench-password \
 *      --server-name ours --server-pid 1234 --out results.jsonl [--runs 3] [--scenarios echo,latency,handshake,login,idle]
 *      [--protocol service|tutorial] [--token T]
 *      [--jit-warmup 30] [--echo-connections 1,16,64,256] [--echo-sizes 32,1024,65536] [--echo-window 4]
 *      [--echo-warmup 2] [--echo-duration 10] [--latency-rate 2000,10000] [--latency-connections 64] [--latency-size 32]
 *      [--latency-warmup 2] [--latency-duration 20] [--latency-bursts 1,2] [--idle-connections 10000] [--idle-concurrency 64]
 *      [--handshake-concurrency 16] [--handshake-warmup 1] [--handshake-duration 10]
 *      [--login-concurrency 4] [--login-warmup 1] [--login-duration 10] [--connect-concurrency 64]
 *      [--soak-connections 10000] [--soak-rate 2000] [--soak-duration 120]   (scenario soak: only when named)
 * </pre>
 *
 * Writes one JSON object per measurement (one line each) to --out, and a line per result to stdout.
 * Run 0 is the JIT warm-up (every server gets the same one); runs 1..N are the measured ones.
 * {@code --protocol tutorial} talks to bench/tutorial (no welcome, any reply counts, no login: see
 * {@link Scenarios.Protocol}); {@code --token} skips the login and uses that token (the tutorial's is 123456).
 */
public final class LoadClient {
    private final Map<String, String> args;

    private LoadClient(Map<String, String> args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                System.err.println("usage: see the class comment of bench.LoadClient (arguments are --name value)");
                System.exit(2);
            }
            args.put(argv[i].substring(2), argv[++i]);
        }
        new LoadClient(args).run();
    }

    private String str(String name, String fallback) {
        return args.getOrDefault(name, fallback);
    }

    private int integer(String name, int fallback) {
        return Integer.parseInt(str(name, Integer.toString(fallback)));
    }

    private Duration seconds(String name, double fallback) {
        return Duration.ofMillis((long) (Double.parseDouble(str(name, Double.toString(fallback))) * 1000));
    }

    private int[] ints(String name, String fallback) {
        return Arrays.stream(str(name, fallback).split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    private void run() throws Exception {
        URI url = URI.create(str("url", "http://127.0.0.1:3000"));
        String baseUrl = url.getScheme() + "://" + url.getHost() + ":" + url.getPort();
        String user = str("user", "bench");
        String password = str("password", "bench-password");
        long pid = Long.parseLong(str("server-pid", "0"));
        String server = str("server-name", "server");
        Path out = Path.of(str("out", "results.jsonl"));
        int runs = integer("runs", 3);
        Set<String> scenarios = new HashSet<>(Set.of(str("scenarios", "echo,latency,handshake,login,idle").split(",")));
        var protocol = Scenarios.Protocol.valueOf(str("protocol", "service").toUpperCase(Locale.ROOT));
        String token = args.containsKey("token") ? str("token", "") : Scenarios.login(baseUrl, user, password);
        if (protocol == Scenarios.Protocol.TUTORIAL) {
            scenarios.remove("login"); // its /login returns a constant: nothing comparable to measure
        }
        var target = new Scenarios.Target(new InetSocketAddress(url.getHost(), url.getPort()), baseUrl, user, password,
                                          token, pid, integer("connect-concurrency", 64), protocol);
        log("%s: pid %d, %s protocol, token ok, %d run(s) of %s", server, pid, protocol, runs, scenarios);

        double jitWarmup = Double.parseDouble(str("jit-warmup", "30"));
        if (jitWarmup > 0) {
            warmup(target, server, out, Duration.ofMillis((long) (jitWarmup * 1000)));
        }
        for (int run = 1; run <= runs; run++) {
            log("%s: run %d of %d", server, run, runs);
            if (scenarios.contains("echo")) {
                for (int size : ints("echo-sizes", "32,1024,65536")) {
                    for (int connections : ints("echo-connections", "1,16,64,256")) {
                        record(out, server, run, () -> Scenarios.echoThroughput(target, connections, size,
                                integer("echo-window", 4), seconds("echo-warmup", 2), seconds("echo-duration", 10)));
                    }
                }
            }
            if (scenarios.contains("echo")) {
                // Deeply pipelined clients: 32 B messages, --echo-pipelined-window (16) in flight per connection.
                for (int connections : ints("echo-pipelined", "0")) {
                    if (connections > 0) {
                        record(out, server, run, () -> Scenarios.echoThroughput(target, connections, 32,
                                integer("echo-pipelined-window", 16), seconds("echo-warmup", 2), seconds("echo-duration", 10)));
                    }
                }
            }
            if (scenarios.contains("latency")) {
                for (int rate : ints("latency-rate", "2000")) {
                    for (int burst : ints("latency-bursts", "1")) {
                        record(out, server, run, () -> Scenarios.latency(target, integer("latency-connections", 64),
                                integer("latency-size", 32), rate, burst,
                                seconds("latency-warmup", 2), seconds("latency-duration", 20)));
                    }
                }
            }
            if (scenarios.contains("handshake")) {
                record(out, server, run, () -> Scenarios.handshakes(target, integer("handshake-concurrency", 16), 32,
                        seconds("handshake-warmup", 1), seconds("handshake-duration", 10)));
            }
            if (scenarios.contains("login")) {
                record(out, server, run, () -> Scenarios.logins(target, integer("login-concurrency", 4),
                        seconds("login-warmup", 1), seconds("login-duration", 10)));
            }
            if (scenarios.contains("idle")) {
                record(out, server, run, () -> Scenarios.idle(target, integer("idle-connections", 10000),
                        integer("idle-concurrency", 64), seconds("idle-settle", 2)));
            }
            if (scenarios.contains("soak")) {
                record(out, server, run, () -> Scenarios.soak(target, integer("soak-connections", 10000),
                        integer("soak-rate", 2000), seconds("soak-duration", 120)));
            }
        }
        log("%s: done", server);
    }

    /**
     * The same JIT warm-up for every server before the measured runs: the total time is split over
     * echo at every size (64 connections), handshakes and a few logins (none for the tutorial, which has
     * no real login). Recorded as run 0.
     */
    private void warmup(Scenarios.Target target, String server, Path out, Duration total) throws Exception {
        log("%s: JIT warm-up, %d s", server, total.toSeconds());
        Duration slice = total.dividedBy(6);
        for (int size : new int[] {32, 1024, 65536}) {
            record(out, server, 0, () -> Scenarios.echoThroughput(target, 64, size, 4, Duration.ZERO, slice));
        }
        record(out, server, 0, () -> Scenarios.echoThroughput(target, 1, 32, 4, Duration.ZERO, slice));
        record(out, server, 0, () -> Scenarios.handshakes(target, 16, 32, Duration.ZERO, slice));
        if (target.protocol() != Scenarios.Protocol.TUTORIAL) {
            record(out, server, 0, () -> Scenarios.logins(target, 2, Duration.ZERO, slice));
        }
    }

    interface Measurement {
        Map<String, Object> measure() throws Exception;
    }

    private static void record(Path out, String server, int run, Measurement m) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("server", server);
        line.put("run", run);
        line.put("at", Instant.now().toString());
        try {
            line.putAll(m.measure());
        } catch (Exception e) {
            line.put("error", e.toString());
        }
        String json = json(line);
        Files.writeString(out, json + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        log("%s", json);
    }

    static String json(Map<String, Object> map) {
        List<String> parts = new ArrayList<>();
        for (var e : map.entrySet()) {
            parts.add(quote(e.getKey()) + ":" + value(e.getValue()));
        }
        return parts.stream().collect(Collectors.joining(",", "{", "}"));
    }

    private static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "null" : d.toString();
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof List<?> list) {
            return list.stream().map(LoadClient::value).collect(Collectors.joining(",", "[", "]"));
        }
        return quote(v.toString());
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
            case '"' -> b.append("\\\"");
            case '\\' -> b.append("\\\\");
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            default -> {
                if (c < 0x20) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            }
        }
        return b.append('"').toString();
    }

    private static void log(String format, Object... values) {
        PrintStream o = System.out;
        o.println(Instant.now() + " " + String.format(format, values));
        o.flush();
    }
}
