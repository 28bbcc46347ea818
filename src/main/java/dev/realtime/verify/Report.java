package dev.realtime.verify;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import dev.realtime.verify.Check.Outcome;

/** Runs checks, prints one line per check as it ends, and writes them as a JUnit XML report. */
final class Report {
    /** A check's body: what it found. IOException or a timeout is the target failing to answer: a failed check. */
    @FunctionalInterface
    interface Body {
        Result run() throws IOException, InterruptedException, TimeoutException;
    }

    record Result(Outcome outcome, String evidence) {
        static Result pass(String evidence) {
            return new Result(Outcome.PASS, evidence);
        }

        static Result fail(String evidence) {
            return new Result(Outcome.FAIL, evidence);
        }

        static Result skip(String reason) {
            return new Result(Outcome.SKIPPED, reason);
        }

        /** Pass with the evidence, or fail with the violations and the evidence, on one line. */
        static Result of(List<String> violations, String evidence) {
            return violations.isEmpty() ? pass(evidence)
                    : fail(String.join("; ", violations).replaceAll("\\s*\n\\s*", " ") + " [" + evidence + "]");
        }
    }

    private final PrintStream out;
    private final Instant started = Instant.now();
    private final List<Check> checks = new ArrayList<>();

    Report(PrintStream out) {
        this.out = out;
    }

    void run(String group, String name, Body body) {
        long start = System.nanoTime();
        Result result;
        try {
            result = body.run();
        } catch (HttpTimeoutException | TimeoutException e) {
            result = Result.fail("no answer in time (" + e.getMessage() + ")");
        } catch (IOException e) {
            result = Result.fail("the connection failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = Result.fail("interrupted");
        } catch (RuntimeException e) {
            // An answer the verifier could not even take apart: this check fails, the others still run.
            result = Result.fail("the answer could not be judged: " + e);
        }
        add(new Check(group, name, result.outcome(), result.evidence(), (System.nanoTime() - start) / 1_000_000));
    }

    void skip(String group, String name, String reason) {
        add(new Check(group, name, Outcome.SKIPPED, reason, 0));
    }

    private void add(Check check) {
        checks.add(check);
        out.println(check.line());
        out.flush();
    }

    long count(Outcome outcome) {
        return checks.stream().filter(c -> c.outcome() == outcome).count();
    }

    String summary() {
        return String.format(Locale.ROOT, "%d checks: %d passed, %d failed, %d skipped (not checked, see SKIPPED lines)",
                             checks.size(), count(Outcome.PASS), count(Outcome.FAIL), count(Outcome.SKIPPED));
    }

    Exit exit() {
        return count(Outcome.FAIL) > 0 ? Exit.DRIFT : Exit.CONFORMS;
    }

    /** Surefire's format (testsuite, testcase, failure, skipped), which GitLab, GitHub and Jenkins show natively. */
    void writeJUnit(Path file, String target) throws IOException {
        try {
            Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            Element suite = xml.createElement("testsuite");
            suite.setAttribute("name", "realtime-service contract (" + target + ")");
            suite.setAttribute("tests", String.valueOf(checks.size()));
            suite.setAttribute("failures", String.valueOf(count(Outcome.FAIL)));
            suite.setAttribute("errors", "0");
            suite.setAttribute("skipped", String.valueOf(count(Outcome.SKIPPED)));
            suite.setAttribute("timestamp", started.truncatedTo(ChronoUnit.SECONDS).toString());
            suite.setAttribute("time", seconds(checks.stream().mapToLong(Check::millis).sum()));
            xml.appendChild(suite);
            for (Check check : checks) {
                Element testcase = xml.createElement("testcase");
                testcase.setAttribute("classname", "verify." + check.group());
                testcase.setAttribute("name", check.name());
                testcase.setAttribute("time", seconds(check.millis()));
                switch (check.outcome()) {
                    case FAIL -> testcase.appendChild(element(xml, "failure", check.evidence(), "drift"));
                    case SKIPPED -> testcase.appendChild(element(xml, "skipped", check.evidence(), null));
                    case PASS -> testcase.appendChild(element(xml, "system-out", null, null)).setTextContent(check.evidence());
                }
                suite.appendChild(testcase);
            }
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            transformer.transform(new DOMSource(xml), new StreamResult(file.toFile()));
        } catch (ParserConfigurationException | TransformerException e) {
            throw new IOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Element element(Document xml, String name, String message, String type) {
        Element element = xml.createElement(name);
        if (message != null) {
            element.setAttribute("message", message);
            element.setTextContent(message);
        }
        if (type != null) {
            element.setAttribute("type", type);
        }
        return element;
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
