package dev.realtime.ws;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;

/**
 * Runs a task now and then at a fixed delay while the server runs (keepalive, tick, the
 * backplane's heartbeat, the TLS certificate's reload). An
 * {@link HttpFeature} only for its lifecycle: it starts after the server and stops with it.
 */
public final class PeriodicTask implements HttpFeature {
    private static final System.Logger LOG = System.getLogger(PeriodicTask.class.getName());

    private final String name;
    private final Duration interval;
    private final Consumer<WebServer> task;
    private final Runnable afterStop;
    private ScheduledExecutorService timer;

    /** @param name the timer thread's name */
    public PeriodicTask(String name, Duration interval, Runnable task) {
        this(name, interval, task, () -> { });
    }

    /** @param afterStop run once the server has stopped and the task with it */
    public PeriodicTask(String name, Duration interval, Runnable task, Runnable afterStop) {
        this(name, interval, server -> task.run(), afterStop);
    }

    /** A task that acts on the running server (reloading its TLS certificate). */
    public PeriodicTask(String name, Duration interval, Consumer<WebServer> task) {
        this(name, interval, task, () -> { });
    }

    private PeriodicTask(String name, Duration interval, Consumer<WebServer> task, Runnable afterStop) {
        this.name = name;
        this.interval = interval;
        this.task = task;
        this.afterStop = afterStop;
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
    }

    @Override
    public void afterStart(WebServer webServer) {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name(name).factory());
        timer.scheduleWithFixedDelay(() -> runSafely(webServer), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void afterStop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        afterStop.run();
    }

    private void runSafely(WebServer webServer) {
        try {
            task.accept(webServer);
        } catch (RuntimeException e) {
            // A failed run must not cancel the schedule.
            LOG.log(Level.ERROR, name + " failed", e);
        }
    }
}
