package dev.realtime.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A headless Debian Chromium driven through Debian's chromedriver ({@code apt-get install chromium
 * chromium-driver}). Both paths are given, so Selenium Manager never runs and nothing is downloaded.
 * Each browser has its own fresh profile: two of them share no storage, cookies or cache.
 */
public final class Browser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** {@code -Dscreenshots=docs} makes {@link #screenshotIfAsked} write PNGs there. */
    private static final String SCREENSHOTS_PROPERTY = "screenshots";

    /** Keeps every {@code securitypolicyviolation} event of the page, for {@link #cspViolations()}. */
    private static final String RECORD_CSP_VIOLATIONS = """
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
                    e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
            """;

    private final Path profile;
    private final ChromeDriver driver;
    private final List<LogEntry> consoleLog = new ArrayList<>();

    private Browser() {
        try {
            profile = Files.createTempDirectory("chromium-profile-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--disable-background-networking", "--disable-component-update", "--no-first-run",
                             "--disable-sync", "--window-size=1280,1000", "--user-data-dir=" + profile);
        var logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        // The TLS tests' certificates are made on the spot and self-signed.
        options.setAcceptInsecureCerts(true);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        driver = new ChromeDriver(service, options);
        // Installed through DevTools, so it runs before the page's own scripts and is not itself subject to the CSP.
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_CSP_VIOLATIONS));
    }

    /**
     * Skips the calling test when Chromium or chromedriver is not installed, except under {@code CI=true},
     * where it fails: CI must never pass by silently skipping the browser tests.
     */
    public static void assumeInstalled() {
        List<String> missing = Stream.of(CHROMIUM, CHROMEDRIVER).filter(p -> !Files.isExecutable(p)).map(Path::toString).toList();
        String message = "No " + String.join(" or ", missing) + ": run `apt-get install -y chromium chromium-driver`";
        if (!missing.isEmpty() && "true".equals(System.getenv("CI"))) {
            fail(message + " (CI=true, so the browser tests may not be skipped)");
        }
        assumeTrue(missing.isEmpty(), message + " to run the browser tests");
    }

    public static Browser open(String url) {
        var browser = new Browser();
        browser.driver.get(url);
        return browser;
    }

    public WebDriver driver() {
        return driver;
    }

    public <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(10)).until(condition);
    }

    public Object script(String javaScript, Object... arguments) {
        return driver.executeScript(javaScript, arguments);
    }

    /** Everything the page wrote to the browser's console so far (reading Chrome's log empties it, so it is kept here). */
    public List<LogEntry> consoleLog() {
        driver.manage().logs().get(LogType.BROWSER).forEach(consoleLog::add);
        return List.copyOf(consoleLog);
    }

    /** What the page wrote to the console at warning level or above, and CSP violations (Chrome logs those as errors). */
    public List<LogEntry> consoleProblems() {
        return consoleLog().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue()
                        || entry.getMessage().contains("Content Security Policy"))
                .toList();
    }

    /** The CSP violations the current page reported through {@code securitypolicyviolation} events. */
    @SuppressWarnings("unchecked")
    public List<String> cspViolations() {
        return (List<String>) driver.executeScript("return window.__cspViolations || []");
    }

    /** Writes a PNG of the window to {@code <screenshots>/name} when the {@code screenshots} property names a directory. */
    public void screenshotIfAsked(String name) {
        String directory = System.getProperty(SCREENSHOTS_PROPERTY);
        if (directory == null || directory.isBlank()) {
            return;
        }
        try {
            Path target = Path.of(directory).resolve(name);
            Files.createDirectories(target.getParent());
            Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
