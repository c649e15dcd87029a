# Corral as a container's entrypoint: one daemon in the foreground (bin/control daemon), the apps'
# node instances its children. Kubernetes manifests: deploy/k8s/ (docs/operations.md, "Kubernetes").
#
# The image runs the shipped conf/ (pm2.json, vhost/, corral.properties) with the sample app, as
# `bin/control start` does; a site's image starts FROM this one and copies its own app and conf/
# over them. `bin/control daemon` arrives with the release package (issue 10); once its
# corral-<version>.tar.gz exists, the runtime stage unpacks that instead of copying the build.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY workers workers
COPY proxy proxy
COPY test-fixtures test-fixtures
RUN mvn -B -q -DskipTests package

# Debian 12 as on the test machines: node 20 from the base image, Java 17 from Debian.
FROM node:20-bookworm-slim
# tini is PID 1: it forwards TERM to Corral and reaps the orphans a node app may leave, which
# a JVM as PID 1 would not.
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/corral
COPY --from=build /src/proxy/target/corral-proxy.jar proxy/target/corral-proxy.jar
COPY --from=build /src/proxy/target/lib proxy/target/lib
COPY bin bin
COPY conf conf
COPY test-fixtures/app test-fixtures/app
ENV CORRAL_HOME=/var/lib/corral
RUN mkdir -p "$CORRAL_HOME" && chown node:node "$CORRAL_HOME"
USER node
# 8080: the vhost rules (what the Service targets); 8197 nuomi, 8198 h5.
EXPOSE 8080 8197 8198
ENTRYPOINT ["/usr/bin/tini", "--", "/opt/corral/bin/control", "daemon"]
