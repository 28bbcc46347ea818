package dev.realtime.contract.oracle;

/** A text handed to the oracle as a contract document is not one (not YAML, or not OpenAPI/AsyncAPI 3). */
public final class NotAContractException extends RuntimeException {
    /** @param message what the document lacks */
    public NotAContractException(String message) {
        super(message);
    }
}
