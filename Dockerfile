# pop3d image. Users get the public JRE; CI builds with --build-arg BASE=localhost/jre17:latest.
ARG BASE=eclipse-temurin:17-jre
FROM ${BASE}
ENV LANG=C.UTF-8 \
    POP3_DATA_DIR=/data \
    POP3_HOST=:: \
    CONF1_HOST=:: \
    QUARKUS_HTTP_HOST=0.0.0.0
WORKDIR /deployments
COPY --chown=185:0 target/quarkus-app/lib/ /deployments/lib/
COPY --chown=185:0 target/quarkus-app/*.jar /deployments/
COPY --chown=185:0 target/quarkus-app/app/ /deployments/app/
COPY --chown=185:0 target/quarkus-app/quarkus/ /deployments/quarkus/
COPY --chown=185:0 docker/pop3d /usr/local/bin/pop3d
COPY docker/cds-archive.sh /tmp/cds-archive.sh
# /data must exist, owned by 185, before VOLUME, or a named volume mounts root-owned
RUN mkdir -p /data && chown 185:0 /data /deployments && chmod 0755 /usr/local/bin/pop3d
USER 185
# AppCDS: made here, by this image's JVM (an archive only works with the JVM build that made it)
RUN sh /tmp/cds-archive.sh
VOLUME /data
# 2424 LMTP and 2525 SMTP (mail intake): off unless POP3_LMTP_ENABLED / POP3_SMTP_ENABLED, and then on
# loopback unless POP3_LMTP_HOST / POP3_SMTP_HOST say :: (README "Mail intake")
EXPOSE 1110 1995 2424 2525 9090/udp 8080
# java is PID 1 here and never reaps orphans (a filter child that escapes with `setsid cmd &` would
# stay a zombie; the server logs one WARN at start when it is PID 1). We use the runtime's init
# rather than baking tini in (the CI base has only busybox; nothing is downloaded): run with
# `docker run --init`; docker-compose.yml sets `init: true`; k8s/deployment.yaml sets
# `shareProcessNamespace: true`, so the pod's pause container is PID 1 and reaps.
# JVM options (ADR 0015): Serial GC with a young generation of 32 MiB: a mail server's garbage dies
# young, and a bounded young generation keeps an idle session at its live size (load-tests/RESULTS.md:
# idle sessions); the AppCDS archive made above.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseSerialGC", "-Xmn32m", "-Djava.io.tmpdir=/tmp", "-XX:SharedArchiveFile=/deployments/pop3d.jsa", "-jar", "/deployments/quarkus-run.jar"]
