package dev.realtime;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.http.Method;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.cors.CorsFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;

import dev.realtime.auth.Authenticator;
import dev.realtime.auth.RequestAuthenticator;
import dev.realtime.auth.TokenService;
import dev.realtime.cluster.Backplane;
import dev.realtime.cluster.RedisBackplane;
import dev.realtime.cluster.RedisBroker;
import dev.realtime.cluster.SingleInstance;
import dev.realtime.config.AuthSettings;
import dev.realtime.config.ClusterSettings;
import dev.realtime.config.CorsSettings;
import dev.realtime.config.HistorySettings;
import dev.realtime.config.LimitSettings;
import dev.realtime.config.PushSettings;
import dev.realtime.config.TlsSettings;
import dev.realtime.config.WsSettings;
import dev.realtime.history.Broker;
import dev.realtime.history.InMemoryHistory;
import dev.realtime.history.LocalBroker;
import dev.realtime.http.ApiDocs;
import dev.realtime.http.ConsoleRedirect;
import dev.realtime.http.ContractService;
import dev.realtime.http.CorsRefusal;
import dev.realtime.http.LoginHandler;
import dev.realtime.http.MethodNotAllowed;
import dev.realtime.http.OptionsFallback;
import dev.realtime.http.ProblemDirectHandler;
import dev.realtime.http.ProblemErrorHandler;
import dev.realtime.http.PublishHandler;
import dev.realtime.http.RefreshHandler;
import dev.realtime.http.SecurityHeaders;
import dev.realtime.http.SessionsHandler;
import dev.realtime.http.UpgradeRequired;
import dev.realtime.limits.ConnectionLimits;
import dev.realtime.limits.LoginGuard;
import dev.realtime.tls.CertificateReload;
import dev.realtime.tls.ServerCertificate;
import dev.realtime.ws.DrainOnShutdown;
import dev.realtime.ws.Keepalive;
import dev.realtime.ws.MessageHub;
import dev.realtime.ws.PeriodicTask;
import dev.realtime.ws.RealtimeEndpoint;
import dev.realtime.ws.SessionRegistry;
import dev.realtime.ws.TokenExpiry;

/**
 * The composition root: builds every part of the service from its {@link Config} once (settings, token
 * service, session registry, message hub, backplane and history broker), owns their lifecycle (the timers
 * of keepalive, tick, heartbeat and certificate reload start and stop with the server; the drain runs on
 * shutdown), and puts them on a web server with {@link #configure}. {@link Main} and the tests run exactly this.
 */
public final class RealtimeService {
    private static final System.Logger LOG = System.getLogger(RealtimeService.class.getName());
    /** With {@code TLS_PORT}, the socket that serves TLS there; the default socket stays plain on {@code PORT}. */
    public static final String TLS_SOCKET = "https";

    private final Config config;
    private final CorsSettings cors;
    private final WsSettings ws;
    private final TlsSettings tls;
    private final Optional<ServerCertificate> certificate;
    private final SessionRegistry sessions = new SessionRegistry();
    private final Backplane backplane;
    private final MessageHub hub;
    private final RealtimeEndpoint endpoint;
    private final Consumer<HttpRouting.Builder> routes;
    /** Started after the server and stopped with it, on the default socket only. */
    private final List<PeriodicTask> timers = new ArrayList<>();
    private final AtomicBoolean configured = new AtomicBoolean();

    private RealtimeService(Config config, Clock clock) {
        this.config = config;
        AuthSettings auth = AuthSettings.from(config.get("app.auth"));
        this.cors = CorsSettings.from(config.get("app.cors"));
        this.ws = WsSettings.from(config.get("app.ws"));
        this.tls = TlsSettings.from(config.get("app.tls"));
        PushSettings push = PushSettings.from(config.get("app"));
        LimitSettings limits = LimitSettings.from(config.get("app"));
        ClusterSettings cluster = ClusterSettings.from(config.get("app.cluster"));
        HistorySettings history = HistorySettings.from(config.get("app.history"));
        warnAboutDefaults(auth, cors);
        // Checked first: a missing file or a key that does not fit the certificate stops the start, saying so.
        this.certificate = tls.certFile().map(cert -> ServerCertificate.load(cert, tls.keyFile().orElseThrow()));
        certificate.ifPresent(cert -> LOG.log(Level.INFO, "TLS certificate: " + cert.description()));

        TokenService tokens = new TokenService(auth, clock);
        RequestAuthenticator requests = new RequestAuthenticator(tokens);
        Authenticator users = new Authenticator(auth.users());
        timers.add(new PeriodicTask("ws-keepalive", Keepalive.tick(ws.pingInterval()),
                                    keepaliveAndExpiry(new Keepalive(sessions), new TokenExpiry(sessions, ws.tokenExpiryWarning(), clock))));
        Broker broker;
        if (cluster.redisUrl().isPresent()) {
            RedisBackplane redis = new RedisBackplane(cluster, sessions, clock);
            this.backplane = redis;
            broker = new RedisBroker(redis, history, clock);
            // The heartbeat writes this instance's presence; leaving the cluster comes after the server stopped.
            timers.add(new PeriodicTask("backplane-heartbeat", cluster.heartbeat(), redis::heartbeat, redis::close));
        } else {
            this.backplane = new SingleInstance(cluster.instanceId());
            broker = new LocalBroker(new InMemoryHistory(history, clock));
        }
        this.hub = new MessageHub(sessions, backplane, broker, clock);
        sessions.observe(hub);
        this.endpoint = new RealtimeEndpoint(requests, sessions, hub, new ConnectionLimits(sessions, limits), ws, push,
                                             limits, clock);
        push.tickInterval().ifPresent(interval -> timers.add(new PeriodicTask("ws-tick", interval, hub::tick)));
        certificate.ifPresent(cert -> timers.add(new PeriodicTask("tls-reload", tls.reloadCheck(), new CertificateReload(
                tls.certFile().orElseThrow(), tls.keyFile().orElseThrow(), tlsSocket(), cert))));

        LoginHandler login = new LoginHandler(users, tokens, new LoginGuard(limits, clock));
        this.routes = routing -> routing
                .addFeature(new SecurityHeaders())
                .addFeature(new CorsRefusal(cors))
                .error(Throwable.class, new ProblemErrorHandler())
                .post("/login", login)
                .any("/login", MethodNotAllowed.allowing(Method.POST))
                .post("/login/refresh", new RefreshHandler(requests, users, tokens, clock))
                .any("/login/refresh", MethodNotAllowed.allowing(Method.POST))
                .post("/messages", new PublishHandler(requests, hub, push.publishRole()))
                .any("/messages", MethodNotAllowed.allowing(Method.POST))
                .get("/sessions", new SessionsHandler(requests, sessions, backplane, push.adminRole()))
                .any("/sessions", MethodNotAllowed.allowing(Method.GET))
                .get("/", new ConsoleRedirect())
                .get("/", new UpgradeRequired())
                .any("/", MethodNotAllowed.allowing(Method.GET))
                .register(new ContractService())
                .options("/*", new OptionsFallback());
    }

    /**
     * The service as {@code config} describes it, measuring time by the system clock.
     *
     * @throws IllegalStateException a setting is wrong, or the TLS certificate cannot be used
     */
    public static RealtimeService create(Config config) {
        return create(config, Clock.systemUTC());
    }

    /** As {@link #create(Config)}, with the clock that token lifetimes and login lockouts are measured by (tests move it). */
    public static RealtimeService create(Config config, Clock clock) {
        return new RealtimeService(config, clock);
    }

    /**
     * Puts the service on {@code server}: HTTP and the WebSocket at {@code /} on the configured port, and with
     * {@code TLS_PORT} the same routes on a second socket that speaks only TLS, sharing all state.
     *
     * @throws IllegalStateException if called a second time: the timers and the backplane live and stop with one server
     */
    public void configure(WebServerConfig.Builder server) {
        if (!configured.compareAndSet(false, true)) {
            throw new IllegalStateException("A RealtimeService runs on one web server; create another for another server");
        }
        WsConfig wsConfig = WsConfig.builder()
                .origins(cors.allowsAnyOrigin() ? Set.of() : Set.copyOf(cors.allowedOrigins()))
                .maxFrameLength(ws.maxMessageBytes())
                .build();
        Set<String> sockets = tls.port().isPresent() ? Set.of(WebServer.DEFAULT_SOCKET_NAME, TLS_SOCKET) : Set.of();
        server.config(config.get("server"))
                .directHandlers(ProblemDirectHandler.handlers())
                .addProtocol(wsConfig)
                .addFeature(corsFeature())
                .addFeature(observe(sockets))
                // The web console (src/main/resources/console/) and the API docs (/docs/). Their routes join this
                // routing, so the filters of the routes (security headers, CORS refusal, access log) apply to their files too.
                .addFeature(StaticContentFeature.create(content -> content
                        .sockets(sockets)
                        .addClasspath(console -> console.location("console").context("/console").welcome("index.html"))
                        .update(ApiDocs::addTo)))
                .routing(routing -> {
                    routing.update(routes);
                    timers.forEach(routing::addFeature);
                })
                .addRouting(webSocket());
        certificate.ifPresent(cert -> {
            if (tls.port().isPresent()) {
                server.putSocket(TLS_SOCKET, socket -> socket
                        .config(config.get("server"))
                        .port(tls.port().getAsInt())
                        .tls(cert.tls())
                        .addProtocol(wsConfig)
                        .routing(HttpRouting.builder().update(routes))
                        .addRouting(webSocket()));
            } else {
                server.tls(cert.tls());
            }
        });
    }

    /** On SIGTERM, before the web server stops: every WebSocket client is told to go away (1001) and given time to. */
    public DrainOnShutdown drainOnShutdown() {
        return new DrainOnShutdown(sessions, ws.drainTimeout());
    }

    /** The open WebSocket sessions of this instance. */
    public SessionRegistry sessions() {
        return sessions;
    }

    private WsRouting.Builder webSocket() {
        return WsRouting.builder().endpoint("/", endpoint::newListener);
    }

    /** The socket that serves TLS: the default one, or {@link #TLS_SOCKET} on {@code TLS_PORT}. */
    private String tlsSocket() {
        return tls.port().isPresent() ? TLS_SOCKET : WebServer.DEFAULT_SOCKET_NAME;
    }

    /** Both walk every session on one timer: pings (a slot per run) and token expiry, with no timer per session. */
    private static Runnable keepaliveAndExpiry(Keepalive keepalive, TokenExpiry expiry) {
        return () -> {
            keepalive.run();
            expiry.run();
        };
    }

    /**
     * Health (readiness is DOWN while the backplane cannot reach the other instances) and metrics.
     *
     * @param sockets where to serve them; empty: the default socket
     */
    private ObserveFeature observe(Set<String> sockets) {
        return ObserveFeature.builder()
                .update(b -> {
                    if (!sockets.isEmpty()) {
                        b.sockets(List.copyOf(sockets));
                    }
                })
                .addObserver(HealthObserver.builder()
                                     .useSystemServices(true)
                                     .addCheck(() -> HealthCheckResponse.builder().status(backplane.healthy()).build(),
                                               HealthCheckType.READINESS, "backplane")
                                     .build())
                .addObserver(MetricsObserver.create())
                .build();
    }

    private CorsFeature corsFeature() {
        return CorsFeature.create(builder -> builder
                .enabled(true)
                .addDefaults(false)
                .addPath(path -> path.pathPattern("/*")
                        .allowOrigins(cors.allowsAnyOrigin() ? Set.of("*") : Set.copyOf(cors.allowedOrigins()))
                        .allowMethods(Set.of("GET", "POST"))
                        .allowHeaders(Set.of("Content-Type", "Authorization"))
                        .maxAge(Duration.ofHours(1))));
    }

    private static void warnAboutDefaults(AuthSettings auth, CorsSettings cors) {
        if (auth.defaultSecretActive()) {
            LOG.log(Level.WARNING, "!!! No JWT_SECRET (app.auth.jwt.secret) configured: tokens are signed with the built-in "
                    + "DEVELOPMENT key, which is public. Set JWT_SECRET before exposing this service. !!!");
        }
        auth.users().stream().filter(AuthSettings.UserAccount::demo).forEach(user ->
                LOG.log(Level.WARNING, "!!! Demo account '" + user.username() + "' is active with its published password. "
                        + "Replace app.auth.users before exposing this service. !!!"));
        if (cors.allowsAnyOrigin()) {
            LOG.log(Level.WARNING, "CORS_ORIGIN is '*': any web site may call the HTTP API. WebSocket upgrades still "
                    + "need an Origin equal to the Host (or none).");
        }
    }
}
