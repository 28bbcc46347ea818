# realtime-service image: build with the Maven Wrapper on a JDK, run on a JRE as a non-root user.
# Works with the legacy builder and BuildKit alike (no RUN --mount, no COPY --chmod).

FROM eclipse-temurin:25-jdk AS build
WORKDIR /build
# Dependencies first, in their own layer: it is rebuilt only when the pom or the wrapper change.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q -Dmaven.test.skip=true package && rm -rf target
COPY api-specs api-specs
COPY src/main src/main
RUN ./mvnw -B -q -o -Dmaven.test.skip=true package

FROM eclipse-temurin:25-jre
RUN useradd --system --no-create-home --home-dir /app --shell /usr/sbin/nologin realtime
WORKDIR /app
COPY --from=build /build/target/libs libs
COPY --from=build /build/target/realtime-service.jar realtime-service.jar
USER realtime
ENV PORT=3000
EXPOSE 3000
# No curl or wget in the JRE image: bash's /dev/tcp asks the liveness endpoint (204 = up). Liveness, not
# readiness: with a Redis backplane, readiness is DOWN while Redis is, and the instance must keep serving its sessions.
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-3000} && printf 'GET /observe/health/live HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -qE ' (200|204) '"]
# Container-aware heap; die (and get restarted) rather than limp on after an OutOfMemoryError. The service's
# classes take 23-30 MB of metaspace, past the JVM's first threshold (about 21 MB): without MetaspaceSize a fresh
# instance makes two full collections (80-180 ms) in its first seconds of traffic (bench/RESULTS.md 7.1).
# Extra JVM flags: JAVA_TOOL_OPTIONS. SIGTERM reaches the JVM directly (exec form), which drains WebSockets with 1001.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:MetaspaceSize=64m", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/realtime-service.jar"]
