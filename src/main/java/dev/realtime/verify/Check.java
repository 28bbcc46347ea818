package dev.realtime.verify;

/** One check's outcome and its evidence (what was sent and what came back, or why it was not checked). */
public record Check(String group, String name, Outcome outcome, String evidence, long millis) {
    public enum Outcome { PASS, FAIL, SKIPPED }

    public String line() {
        return outcome + ": " + name + " — " + evidence;
    }
}
