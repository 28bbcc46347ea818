package bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;

import bench.WsLoop.Conn;
import bench.WsLoop.EchoFrames;

/**
 * The measurements. Each returns one flat result (field → value) for the results file. Every loop is
 * bounded by a deadline; connections still open at the end of a scenario are cut.
 */
final class Scenarios {
    static final String WELCOME = "{\"type\":\"welcome\"";
    /** The servers' largest accepted message (WS_MAX_MESSAGE_BYTES / maxPayload, 65,536 bytes). */
    static final int MAX_MESSAGE = 65536;
    private static final long SECOND = 1_000_000_000L;

    /** What every scenario needs: where the server is, how it talks, a token, its pid (for CPU and memory). */
    record Target(InetSocketAddress address, String baseUrl, String user, String password, String token, long serverPid,
                  int connectConcurrency, Protocol protocol) {
    }

    /**
     * How a server answers. The scenarios send the same echo requests to every server; only what counts
     * as "ready" and as "the reply" differs.
     */
    enum Protocol {
        /** realtime-service and the reference: a welcome on open, each echo answered with its id and payload. */
        SERVICE,
        /**
         * The tutorial's server (bench/tutorial): no welcome, so a connection is ready at its 101; every message is
         * answered "recebido!", so any text reply is the answer to the oldest outstanding message on its
         * connection (nothing to check it against); its /login hands out a constant, so there is no login to make.
         */
        TUTORIAL;

        boolean welcomes() {
            return this == SERVICE;
        }

        boolean isReply(EchoFrames frames, byte[] head, int headLength, long length, long id) {
            return this == TUTORIAL || (length == frames.messageLength && frames.isReplyTo(head, headLength, id));
        }
    }

    private Scenarios() {
    }

    /**
     * The payload string for a size: sizes below 64 KiB are the length of the payload string; 65,536
     * means the largest message the servers accept, so the whole echo message is 65,536 bytes (its
     * payload string a little shorter).
     */
    static String fill(int size) {
        int length = size;
        if (size >= MAX_MESSAGE) {
            int envelope = new EchoFrames("", new byte[4]).messageLength;
            length = MAX_MESSAGE - envelope;
        }
        return "x".repeat(length);
    }

    // ---------------------------------------------------------------- shared handler logic

    /**
     * Counts welcomes and failures; hands later messages to {@link #onReply}. With a server that sends no
     * welcome, the 101 counts as the welcome ("welcomed" means ready for requests).
     */
    abstract static class Base implements WsLoop.Handler {
        final Protocol protocol;
        int started;
        int welcomed;
        int failedBeforeWelcome;
        long protocolErrors;
        final Map<String, Integer> failures = new TreeMap<>();

        Base(Protocol protocol) {
            this.protocol = protocol;
        }

        @Override
        public final void onOpen(Conn c) {
            if (!protocol.welcomes()) {
                c.welcomed = true;
                welcomed++;
                onWelcome(c);
            }
        }

        @Override
        public final void onMessage(Conn c, byte[] head, int headLength, long length) {
            if (!c.welcomed) {
                if (WsLoop.startsWith(head, headLength, WELCOME)) {
                    c.welcomed = true;
                    welcomed++;
                    onWelcome(c);
                } else {
                    protocolErrors++;
                }
                return;
            }
            onReply(c, head, headLength, length);
        }

        void onWelcome(Conn c) {
        }

        abstract void onReply(Conn c, byte[] head, int headLength, long length);

        @Override
        public void onClosed(Conn c, boolean clean, String why) {
            if (!c.welcomed) {
                failedBeforeWelcome++;
            }
            if (!clean) {
                failures.merge(why.length() > 120 ? why.substring(0, 120) : why, 1, Integer::sum);
            }
        }

        int settled() {
            return welcomed + failedBeforeWelcome;
        }

        void put(Map<String, Object> r) {
            r.put("protocol_errors", protocolErrors);
            r.put("failures", failures.values().stream().mapToInt(Integer::intValue).sum());
            if (!failures.isEmpty()) {
                r.put("failure_reasons", failures.toString());
            }
        }
    }

    /** Opens {@code n} connections, at most {@code concurrency} handshakes at a time, until each is welcomed or failed. */
    static List<Conn> openAll(WsLoop loop, Base h, int n, int concurrency, long deadline, Supplier<Object> state)
            throws IOException {
        List<Conn> conns = new ArrayList<>(n);
        while (h.settled() < n && System.nanoTime() - deadline < 0) {
            while (h.started < n && h.started - h.settled() < concurrency) {
                conns.add(loop.connect(h, state.get()));
                h.started++;
            }
            loop.runFor(() -> (h.started < n && h.started - h.settled() < concurrency) || h.settled() >= n, deadline);
        }
        return conns;
    }

    /** Closes every connection with a close handshake, waiting at most {@code timeout}; then cuts the rest. */
    static int closeAll(WsLoop loop, List<Conn> conns, Duration timeout) throws IOException {
        for (Conn c : conns) {
            c.close();
        }
        loop.runFor(() -> loop.open() == 0, System.nanoTime() + timeout.toNanos());
        int left = loop.open();
        loop.abortAll();
        return left;
    }

    // ---------------------------------------------------------------- echo throughput (closed loop)

    static final class EchoState {
        final EchoFrames frames;
        long nextId;
        long expectId;

        EchoState(EchoFrames frames) {
            this.frames = frames;
        }
    }

    /**
     * Closed loop: every connection keeps {@code window} echo requests in flight and sends a new one for
     * each reply. Replies are counted during {@code duration} after {@code warmup}.
     */
    static Map<String, Object> echoThroughput(Target t, int connections, int size, int window, Duration warmup,
                                              Duration duration) throws IOException {
        String fill = fill(size);
        final class H extends Base {
            H() {
                super(t.protocol());
            }

            boolean sending = true;
            boolean measuring;
            long replies;
            long bytes;
            long mismatches;

            @Override
            void onWelcome(Conn c) {
            }

            @Override
            void onReply(Conn c, byte[] head, int headLength, long length) {
                EchoState s = (EchoState) c.state;
                if (!protocol.isReply(s.frames, head, headLength, length, s.expectId)) {
                    mismatches++;
                }
                s.expectId++;
                if (measuring) {
                    replies++;
                    bytes += length;
                }
                if (sending) {
                    c.send(s.frames.frame(s.nextId++));
                }
            }
        }
        H h = new H();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", "echo");
        r.put("connections", connections);
        r.put("payload_bytes", size);
        r.put("window", window);
        try (WsLoop loop = new WsLoop(t.address(), t.token())) {
            long openDeadline = System.nanoTime() + 60 * SECOND;
            List<Conn> conns = openAll(loop, h, connections, t.connectConcurrency(), openDeadline, () -> null);
            for (Conn c : conns) {
                c.state = new EchoState(new EchoFrames(fill, c.mask));
            }
            r.put("message_bytes", new EchoFrames(fill, new byte[4]).messageLength);
            if (h.welcomed < connections) {
                r.put("error", "only " + h.welcomed + " of " + connections + " connections opened");
            }
            long start = System.nanoTime();
            for (Conn c : conns) {
                if (c.welcomed && !c.closed) {
                    EchoState s = (EchoState) c.state;
                    for (int i = 0; i < window; i++) {
                        c.send(s.frames.frame(s.nextId++));
                    }
                }
            }
            loop.runFor(() -> loop.open() == 0, start + warmup.toNanos());
            double serverCpu0 = Proc.cpuSeconds(t.serverPid());
            double clientCpu0 = Proc.selfCpuSeconds();
            long m0 = System.nanoTime();
            h.measuring = true;
            loop.runFor(() -> loop.open() == 0, m0 + duration.toNanos());
            h.measuring = false;
            long elapsed = System.nanoTime() - m0;
            double serverCpu1 = Proc.cpuSeconds(t.serverPid());
            double clientCpu1 = Proc.selfCpuSeconds();
            h.sending = false;
            // let the requests in flight come back, then close
            loop.runFor(() -> loop.open() == 0 || conns.stream().allMatch(c -> c.closed
                    || ((EchoState) c.state).expectId == ((EchoState) c.state).nextId), System.nanoTime() + 10 * SECOND);
            int unclosed = closeAll(loop, conns, Duration.ofSeconds(10));
            double seconds = elapsed / 1e9;
            r.put("measured_s", round(seconds, 3));
            r.put("replies", h.replies);
            r.put("msgs_per_s", round(h.replies / seconds, 1));
            r.put("mib_per_s", round(h.bytes / seconds / (1 << 20), 2));
            r.put("mismatches", h.mismatches);
            r.put("server_cpu_pct", round(Proc.percent(serverCpu0, serverCpu1, elapsed), 1));
            r.put("client_cpu_pct", round(Proc.percent(clientCpu0, clientCpu1, elapsed), 1));
            r.put("server_rss_mib", round(Proc.rssMiB(t.serverPid()), 1));
            r.put("unclosed", unclosed);
            h.put(r);
        }
        return r;
    }

    // ---------------------------------------------------------------- latency at a fixed rate (open loop)

    /** Intended send times (ns) of the requests in flight on one connection, oldest first. */
    static final class LatencyState {
        final EchoFrames frames;
        long[] intended = new long[64];
        int head;
        int size;
        long nextId;
        long expectId;

        LatencyState(EchoFrames frames) {
            this.frames = frames;
        }

        void push(long t) {
            if (size == intended.length) {
                long[] bigger = new long[intended.length * 2];
                for (int i = 0; i < size; i++) {
                    bigger[i] = intended[(head + i) % intended.length];
                }
                intended = bigger;
                head = 0;
            }
            intended[(head + size) % intended.length] = t;
            size++;
        }

        long pop() {
            long t = intended[head];
            head = (head + 1) % intended.length;
            size--;
            return t;
        }
    }

    /**
     * Open loop: request i is due at start + i/rate on connection i mod connections, whatever the
     * replies do; its latency is counted from that intended time (no coordinated omission). Requests
     * not answered within 5 s of the end are counted as lost, with the latency they had by then.
     */
    static Map<String, Object> latency(Target t, int connections, int size, int rate, Duration warmup, Duration duration)
            throws IOException {
        return latency(t, connections, size, rate, 1, warmup, duration);
    }

    /**
     * As above; with {@code burst} > 1 the requests are sent {@code burst} at a time on one connection (same
     * intended time, same total rate), as a client does that sends two messages in a row.
     */
    static Map<String, Object> latency(Target t, int connections, int size, int rate, int burst, Duration warmup,
                                       Duration duration) throws IOException {
        return openLoop(t, connections, size, rate, burst, warmup, duration, null);
    }

    /** The open loop of {@link #latency} and {@link #soak}; {@code rss} (may be null) is polled during the measured part. */
    private static Map<String, Object> openLoop(Target t, int connections, int size, int rate, int burst, Duration warmup,
                                                Duration duration, RssSampler rss) throws IOException {
        String fill = fill(size);
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final class H extends Base {
            H() {
                super(t.protocol());
            }

            long measureFrom;
            long mismatches;
            long replies;

            @Override
            void onReply(Conn c, byte[] head, int headLength, long length) {
                long now = System.nanoTime();
                LatencyState s = (LatencyState) c.state;
                if (s.size == 0) {
                    mismatches++;
                    return;
                }
                if (!protocol.isReply(s.frames, head, headLength, length, s.expectId)) {
                    mismatches++;
                }
                s.expectId++;
                long intended = s.pop();
                if (intended - measureFrom >= 0) {
                    histogram.recordValue(Math.min(now - intended, histogram.getHighestTrackableValue()));
                    replies++;
                }
            }
        }
        H h = new H();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", "latency");
        r.put("connections", connections);
        r.put("payload_bytes", size);
        r.put("rate_per_s", rate);
        if (burst > 1) {
            r.put("burst", burst);
        }
        try (WsLoop loop = new WsLoop(t.address(), t.token())) {
            long openStart = System.nanoTime();
            List<Conn> conns = openAll(loop, h, connections, t.connectConcurrency(), openStart + 120 * SECOND, () -> null);
            r.put("open_s", round((System.nanoTime() - openStart) / 1e9, 3));
            for (Conn c : conns) {
                c.state = new LatencyState(new EchoFrames(fill, c.mask));
            }
            if (h.welcomed < connections) {
                r.put("error", "only " + h.welcomed + " of " + connections + " connections opened");
            }
            long interval = SECOND / rate;
            long total = (warmup.toNanos() + duration.toNanos()) / interval;
            long start = System.nanoTime() + 50_000_000L;
            h.measureFrom = start + warmup.toNanos();
            long measuredRequests = total - warmup.toNanos() / interval;
            long[] next = {0};
            long[] sent = {0};
            long[] maxLag = {0};
            double serverCpu0 = Double.NaN;
            double clientCpu0 = Double.NaN;
            long end = start + total * interval;
            // request k is due at start + (k / burst) * burst * interval, on connection (k / burst) mod connections
            java.util.function.LongUnaryOperator due = k -> start + (k / burst) * burst * interval;
            Runnable sendDue = () -> {
                long now = System.nanoTime();
                while (next[0] < total && due.applyAsLong(next[0]) - now <= 0) {
                    long intended = due.applyAsLong(next[0]);
                    Conn c = conns.get((int) ((next[0] / burst) % conns.size()));
                    if (!c.closed) {
                        LatencyState s = (LatencyState) c.state;
                        s.push(intended);
                        c.send(s.frames.frame(s.nextId++));
                        if (intended - h.measureFrom >= 0) {
                            sent[0]++;
                        }
                    }
                    if (intended - h.measureFrom >= 0) {
                        maxLag[0] = Math.max(maxLag[0], now - intended);
                    }
                    next[0]++;
                }
            };
            // warm-up part, then the measured part (CPU sampled at its start)
            loop.run(() -> loop.open() == 0, h.measureFrom, sendDue, () -> due.applyAsLong(next[0]));
            serverCpu0 = Proc.cpuSeconds(t.serverPid());
            clientCpu0 = Proc.selfCpuSeconds();
            long m0 = System.nanoTime();
            Runnable tick = sendDue;
            LongSupplier wake = () -> due.applyAsLong(next[0]);
            if (rss != null) {
                rss.start(m0);
                tick = () -> {
                    sendDue.run();
                    rss.poll();
                };
                wake = () -> {
                    long d = due.applyAsLong(next[0]);
                    return d - rss.next < 0 ? d : rss.next;
                };
            }
            loop.run(() -> loop.open() == 0 || next[0] >= total, end + SECOND, tick, wake);
            long sendEnd = System.nanoTime();
            double serverCpu1 = Proc.cpuSeconds(t.serverPid());
            double clientCpu1 = Proc.selfCpuSeconds();
            long graceEnd = System.nanoTime() + 5 * SECOND;
            loop.runFor(() -> conns.stream().allMatch(c -> c.closed || ((LatencyState) c.state).size == 0), graceEnd);
            long lost = 0;
            long now = System.nanoTime();
            for (Conn c : conns) {
                LatencyState s = (LatencyState) c.state;
                while (s != null && s.size > 0) {
                    long intended = s.pop();
                    if (intended - h.measureFrom >= 0) {
                        histogram.recordValue(Math.min(now - intended, histogram.getHighestTrackableValue()));
                        lost++;
                    }
                }
            }
            int openAtEnd = loop.open();
            int unclosed = closeAll(loop, conns, Duration.ofSeconds(10));
            r.put("opened", h.welcomed);
            r.put("open_at_end", openAtEnd);
            r.put("measured_s", round(duration.toNanos() / 1e9, 3));
            r.put("requests", measuredRequests);
            r.put("sent", sent[0]);
            r.put("replies", h.replies);
            r.put("lost", lost);
            r.put("p50_ms", ms(histogram.getValueAtPercentile(50)));
            r.put("p90_ms", ms(histogram.getValueAtPercentile(90)));
            r.put("p99_ms", ms(histogram.getValueAtPercentile(99)));
            r.put("p999_ms", ms(histogram.getValueAtPercentile(99.9)));
            r.put("max_ms", ms(histogram.getMaxValue()));
            r.put("mean_ms", round(histogram.getMean() / 1e6, 3));
            r.put("client_max_send_lag_ms", ms(maxLag[0]));
            r.put("mismatches", h.mismatches);
            r.put("server_cpu_pct", round(Proc.percent(serverCpu0, serverCpu1, sendEnd - m0), 1));
            // the servers' cost per request at the same rate, comparable across servers whatever their idle cost
            r.put("server_cpu_us_per_msg", round((serverCpu1 - serverCpu0) * 1e6 / Math.max(1, sent[0]), 2));
            r.put("client_cpu_pct", round(Proc.percent(clientCpu0, clientCpu1, sendEnd - m0), 1));
            r.put("unclosed", unclosed);
            h.put(r);
        }
        return r;
    }

    // ---------------------------------------------------------------- soak: many connections, steady load, memory over time

    /** The server's RSS once a second from {@link #start}, as (seconds since then, MiB). */
    static final class RssSampler {
        final long pid;
        final List<double[]> samples = new ArrayList<>();
        long start;
        long next;

        RssSampler(long pid) {
            this.pid = pid;
        }

        void start(long now) {
            start = now;
            next = now;
        }

        void poll() {
            long now = System.nanoTime();
            if (now - next >= 0) {
                samples.add(new double[] {(now - start) / 1e9, Proc.rssMiB(pid)});
                next += SECOND;
            }
        }
    }

    /**
     * The soak: {@code connections} connections opened (at most connect-concurrency handshakes at a time),
     * then held for {@code duration} while {@code rate} 32 B echo requests per second flow open loop,
     * round-robin over all of them (the latency scenario, whose figures it reports), and the server's RSS
     * is read once a second: at the start of the hold, its peak, at the end, and its least-squares slope
     * over the second half (a leak shows as a steady climb there, after start-up and JIT have settled).
     */
    static Map<String, Object> soak(Target t, int connections, int rate, Duration duration) throws IOException {
        double rssFresh = Proc.rssMiB(t.serverPid());
        RssSampler rss = new RssSampler(t.serverPid());
        Map<String, Object> r = openLoop(t, connections, 32, rate, 1, Duration.ZERO, duration, rss);
        r.put("scenario", "soak");
        List<double[]> samples = rss.samples;
        List<double[]> secondHalf = samples.stream().filter(p -> p[0] >= duration.toNanos() / 2e9).toList();
        r.put("rss_fresh_mib", round(rssFresh, 1));
        r.put("rss_start_mib", samples.isEmpty() ? Double.NaN : round(samples.get(0)[1], 1));
        r.put("rss_peak_mib", round(samples.stream().mapToDouble(p -> p[1]).max().orElse(Double.NaN), 1));
        r.put("rss_end_mib", samples.isEmpty() ? Double.NaN : round(samples.get(samples.size() - 1)[1], 1));
        r.put("rss_slope_mib_per_min", round(slope(secondHalf) * 60, 2));
        r.put("hwm_mib", round(Proc.status(t.serverPid(), "VmHWM") / 1024.0, 1));
        r.put("rss_samples_mib", samples.stream().map(p -> round(p[1], 1)).toList());
        return r;
    }

    /** Least-squares slope of y over x ((x, y) pairs); NaN with fewer than two distinct x. */
    static double slope(List<double[]> points) {
        double mx = points.stream().mapToDouble(p -> p[0]).average().orElse(Double.NaN);
        double my = points.stream().mapToDouble(p -> p[1]).average().orElse(Double.NaN);
        double num = 0;
        double den = 0;
        for (double[] p : points) {
            num += (p[0] - mx) * (p[1] - my);
            den += (p[0] - mx) * (p[0] - mx);
        }
        return den == 0 ? Double.NaN : num / den;
    }

    // ---------------------------------------------------------------- idle connections and memory

    /** Opens {@code n} idle authenticated connections (bounded concurrency), then reads the server's RSS. */
    static Map<String, Object> idle(Target t, int n, int concurrency, Duration settle) throws IOException {
        final class H extends Base {
            H() {
                super(t.protocol());
            }

            @Override
            void onReply(Conn c, byte[] head, int headLength, long length) {
                protocolErrors++;
            }
        }
        H h = new H();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", "idle");
        r.put("connections", n);
        r.put("connect_concurrency", concurrency);
        double rssBefore = Proc.rssMiB(t.serverPid());
        long threadsBefore = Proc.status(t.serverPid(), "Threads");
        try (WsLoop loop = new WsLoop(t.address(), t.token())) {
            double serverCpu0 = Proc.cpuSeconds(t.serverPid());
            long start = System.nanoTime();
            List<Conn> conns = openAll(loop, h, n, concurrency, start + 120 * SECOND, () -> null);
            long elapsed = System.nanoTime() - start;
            double serverCpu1 = Proc.cpuSeconds(t.serverPid());
            loop.runFor(() -> loop.open() == 0, System.nanoTime() + settle.toNanos());
            double rssAfter = Proc.rssMiB(t.serverPid());
            long hwm = Proc.status(t.serverPid(), "VmHWM");
            long threads = Proc.status(t.serverPid(), "Threads");
            int stillOpen = loop.open();
            long closeStart = System.nanoTime();
            int unclosed = closeAll(loop, conns, Duration.ofSeconds(30));
            long closeElapsed = System.nanoTime() - closeStart;
            r.put("opened", h.welcomed);
            r.put("open_after_settle", stillOpen);
            r.put("open_s", round(elapsed / 1e9, 3));
            r.put("opens_per_s", round(h.welcomed / (elapsed / 1e9), 1));
            r.put("server_cpu_s_opening", round(serverCpu1 - serverCpu0, 2));
            r.put("rss_before_mib", round(rssBefore, 1));
            r.put("rss_after_mib", round(rssAfter, 1));
            r.put("rss_delta_mib", round(rssAfter - rssBefore, 1));
            r.put("rss_per_conn_kib", round((rssAfter - rssBefore) * 1024 / Math.max(1, h.welcomed), 2));
            r.put("hwm_mib", round(hwm / 1024.0, 1));
            r.put("server_threads_before", threadsBefore);
            r.put("server_threads_after", threads);
            r.put("close_s", round(closeElapsed / 1e9, 3));
            r.put("unclosed", unclosed);
            h.put(r);
        }
        return r;
    }

    // ---------------------------------------------------------------- handshakes

    /**
     * {@code concurrency} slots each repeat: connect with the token, wait for welcome, one echo,
     * close handshake. Completed cycles are counted during {@code duration} after {@code warmup}.
     */
    static Map<String, Object> handshakes(Target t, int concurrency, int size, Duration warmup, Duration duration)
            throws IOException {
        String fill = fill(size);
        Histogram toWelcome = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Histogram cycle = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final class Slot {
            long started;
            long welcomedAt;
            EchoFrames frames;
            boolean echoed;
        }
        final class H extends Base {
            H() {
                super(t.protocol());
            }

            boolean running = true;
            boolean measuring;
            long completed;
            long failedCycles;
            long mismatches;
            WsLoop loop;

            @Override
            void onWelcome(Conn c) {
                Slot s = (Slot) c.state;
                s.welcomedAt = System.nanoTime();
                s.frames = new EchoFrames(fill, c.mask);
                c.send(s.frames.frame(1));
            }

            @Override
            void onReply(Conn c, byte[] head, int headLength, long length) {
                Slot s = (Slot) c.state;
                if (s.echoed || !protocol.isReply(s.frames, head, headLength, length, 1)) {
                    mismatches++;
                }
                s.echoed = true;
                c.close();
            }

            @Override
            public void onClosed(Conn c, boolean clean, String why) {
                super.onClosed(c, clean, why);
                Slot s = (Slot) c.state;
                long now = System.nanoTime();
                if (clean && s.echoed) {
                    if (measuring) {
                        completed++;
                        toWelcome.recordValue(s.welcomedAt - s.started);
                        cycle.recordValue(now - s.started);
                    }
                } else if (measuring) {
                    failedCycles++;
                }
                if (running) {
                    start();
                }
            }

            void start() {
                Slot s = new Slot();
                s.started = System.nanoTime();
                loop.connect(this, s);
            }
        }
        H h = new H();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", "handshake");
        r.put("concurrency", concurrency);
        r.put("payload_bytes", size);
        try (WsLoop loop = new WsLoop(t.address(), t.token())) {
            h.loop = loop;
            long start = System.nanoTime();
            for (int i = 0; i < concurrency; i++) {
                h.start();
            }
            loop.runFor(() -> false, start + warmup.toNanos());
            double serverCpu0 = Proc.cpuSeconds(t.serverPid());
            double clientCpu0 = Proc.selfCpuSeconds();
            long m0 = System.nanoTime();
            h.measuring = true;
            loop.runFor(() -> false, m0 + duration.toNanos());
            h.measuring = false;
            long elapsed = System.nanoTime() - m0;
            double serverCpu1 = Proc.cpuSeconds(t.serverPid());
            double clientCpu1 = Proc.selfCpuSeconds();
            h.running = false;
            loop.runFor(() -> loop.open() == 0, System.nanoTime() + 10 * SECOND);
            int unclosed = loop.open();
            loop.abortAll();
            double seconds = elapsed / 1e9;
            r.put("measured_s", round(seconds, 3));
            r.put("completed", h.completed);
            r.put("handshakes_per_s", round(h.completed / seconds, 1));
            r.put("failed_cycles", h.failedCycles);
            r.put("welcome_p50_ms", ms(toWelcome.getValueAtPercentile(50)));
            r.put("welcome_p99_ms", ms(toWelcome.getValueAtPercentile(99)));
            r.put("cycle_p50_ms", ms(cycle.getValueAtPercentile(50)));
            r.put("cycle_p99_ms", ms(cycle.getValueAtPercentile(99)));
            r.put("mismatches", h.mismatches);
            r.put("server_cpu_pct", round(Proc.percent(serverCpu0, serverCpu1, elapsed), 1));
            r.put("client_cpu_pct", round(Proc.percent(clientCpu0, clientCpu1, elapsed), 1));
            r.put("unclosed", unclosed);
            h.put(r);
        }
        return r;
    }

    // ---------------------------------------------------------------- POST /login

    static HttpClient httpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static HttpRequest loginRequest(String baseUrl, String user, String password) {
        String body = "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
        return HttpRequest.newBuilder(URI.create(baseUrl + "/login"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** A token for the WebSocket scenarios. */
    static String login(String baseUrl, String user, String password) throws IOException, InterruptedException {
        HttpResponse<String> response = httpClient().send(loginRequest(baseUrl, user, password),
                                                          HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("POST /login: " + response.statusCode() + " " + response.body());
        }
        String body = response.body();
        int i = body.indexOf("\"token\":\"");
        if (i < 0) {
            throw new IOException("POST /login: no token in " + body);
        }
        int from = i + "\"token\":\"".length();
        return body.substring(from, body.indexOf('"', from));
    }

    /** {@code concurrency} clients (keep-alive connections) post logins back to back. */
    static Map<String, Object> logins(Target t, int concurrency, Duration warmup, Duration duration)
            throws InterruptedException {
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        HttpRequest request = loginRequest(t.baseUrl(), t.user(), t.password());
        long start = System.nanoTime();
        long m0 = start + warmup.toNanos();
        long end = m0 + duration.toNanos();
        double[] cpu0 = new double[2];
        List<Thread> workers = new ArrayList<>();
        try (HttpClient client = httpClient()) {
            for (int i = 0; i < concurrency; i++) {
                workers.add(Thread.ofPlatform().name("login-" + i).start(() -> {
                    while (System.nanoTime() - end < 0) {
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                            long done = System.nanoTime();
                            if (sent - m0 >= 0 && done - end <= 0) {
                                if (response.statusCode() == 200 && response.body().contains("\"token\"")) {
                                    ok.incrementAndGet();
                                    synchronized (latency) {
                                        latency.recordValue(done - sent);
                                    }
                                } else {
                                    failed.incrementAndGet();
                                }
                            }
                        } catch (IOException e) {
                            failed.incrementAndGet();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            Thread.sleep(Math.max(0, (m0 - System.nanoTime()) / 1_000_000));
            cpu0[0] = Proc.cpuSeconds(t.serverPid());
            long c0 = System.nanoTime();
            Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
            double serverCpu1 = Proc.cpuSeconds(t.serverPid());
            long cpuElapsed = System.nanoTime() - c0;
            for (Thread w : workers) {
                w.join(35_000);
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("scenario", "login");
            r.put("concurrency", concurrency);
            double seconds = duration.toNanos() / 1e9;
            r.put("measured_s", round(seconds, 3));
            r.put("ok", ok.get());
            r.put("failed", failed.get());
            r.put("logins_per_s", round(ok.get() / seconds, 2));
            r.put("p50_ms", ms(latency.getValueAtPercentile(50)));
            r.put("p99_ms", ms(latency.getValueAtPercentile(99)));
            r.put("server_cpu_pct", round(Proc.percent(cpu0[0], serverCpu1, cpuElapsed), 1));
            return r;
        }
    }

    static double ms(long nanos) {
        return round(nanos / 1e6, 3);
    }

    static double round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
