package dev.realtime.limits;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.realtime.auth.Identity;
import dev.realtime.config.LimitSettings;
import dev.realtime.contract.ApiException;
import dev.realtime.contract.ErrorCode;

/**
 * Keeps {@code POST /login} from being a password-guessing oracle or a CPU denial of service:
 * attempts per client address, lockouts per (username, client address) ({@link LoginLockouts}), a much
 * higher cap of failed attempts per username over all addresses (distributed guessing), and a bounded
 * number of bcrypt verifications at once (bcrypt's cost stays high; what it costs in CPU is capped instead).
 * The client address is the TCP peer's: no forwarding header is trusted.
 */
public final class LoginGuard {
    private static final Duration FAILURE_WINDOW = Duration.ofMinutes(15);

    private final KeyedRateLimiter attemptsPerAddress;
    private final LoginLockouts lockouts;
    private final KeyedRateLimiter failuresPerUser;
    private final Semaphore hashing;
    private final Duration hashingWait;

    /** @param clock what lockouts are measured by */
    public LoginGuard(LimitSettings limits, Clock clock) {
        this.attemptsPerAddress = new KeyedRateLimiter(new Rate(limits.loginAttemptsPerMinute(), Duration.ofMinutes(1),
                                                                limits.loginAttemptsPerMinute()));
        this.lockouts = new LoginLockouts(limits.loginFailuresBeforeLockout(), clock);
        this.failuresPerUser = new KeyedRateLimiter(new Rate(limits.loginFailuresPerUser(), FAILURE_WINDOW,
                                                             limits.loginFailuresPerUser()));
        this.hashing = new Semaphore(limits.loginMaxConcurrentHashes(), true);
        this.hashingWait = limits.loginHashingWait();
    }

    /**
     * Runs a credential check if this address and username may try now and a hashing slot frees up in time.
     *
     * @param check the bcrypt verification: the identity if the credentials are right
     * @throws ApiException {@code rate_limited} (429) or {@code server_busy} (503), both with a retry-after
     */
    public Optional<Identity> attempt(String address, String username, Supplier<Optional<Identity>> check) {
        throwIfLimited(attemptsPerAddress.acquire(address), "Too many login attempts from this address.");
        throwIfLimited(lockouts.retryAfter(username, address), "Too many failed logins for this user from this address.");
        throwIfLimited(failuresPerUser.peek(username), "Too many failed logins for this user.");
        Optional<Identity> identity = withHashingSlot(check);
        if (identity.isEmpty()) {
            lockouts.failed(username, address);
            failuresPerUser.acquire(username);
        } else {
            lockouts.succeeded(username, address);
        }
        return identity;
    }

    private Optional<Identity> withHashingSlot(Supplier<Optional<Identity>> check) {
        try {
            if (!hashing.tryAcquire(hashingWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ApiException(ErrorCode.SERVER_BUSY, "Too many logins at once; try again shortly.", 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.SERVER_BUSY, "Interrupted while waiting to check the password.", 1);
        }
        try {
            return check.get();
        } finally {
            hashing.release();
        }
    }

    private static void throwIfLimited(OptionalLong retryAfter, String detail) {
        if (retryAfter.isPresent()) {
            throw new ApiException(ErrorCode.RATE_LIMITED, detail + " Try again in " + retryAfter.getAsLong() + " s.",
                                   retryAfter.getAsLong());
        }
    }
}
