# Corral as a container's entrypoint: one daemon in the foreground (bin/control daemon), the apps'
# node instances its children. Kubernetes manifests: deploy/k8s/ (docs/operations.md, "Kubernetes").
#
# The image runs the shipped conf/ (pm2.json, vhost/, corral.properties) with the sample app, as
# `bin/control start` does; a site's image starts FROM this one and copies its own app and conf/
# over them. The runtime stage is the release package (dist/, corral-<version>.tar.gz) unpacked:
# bin/control runs the jars of lib/ (without a pom.xml beside bin/ it looks for nothing else).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY workers workers
COPY proxy proxy
COPY test-fixtures test-fixtures
COPY dist dist
COPY bin bin
COPY conf conf
COPY docs docs
RUN mvn -B -q -DskipTests package \
 && mkdir /release && tar xzf dist/target/corral-*.tar.gz -C /release --strip-components=1

# Debian 12 as on the test machines: node 20 from the base image, Java 17 from Debian.
FROM node:20-bookworm-slim
# tini is PID 1: it forwards TERM to Corral and reaps the orphans a node app may leave, which
# a JVM as PID 1 would not.
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/corral
COPY --from=build /release/ ./
# The daemon's class-data-sharing archive (lib/corral.jsa, see bin/control), made here with this
# image's own JDK, which is the only one it holds for: a daemon of the shipped conf serves a few
# requests and stops (saving it), a second start tries it, puts it in place and notes that it
# maps (lib/corral.jsa-mapped), so a container's start need not try it again. At run time the node
# user cannot write lib/: without this step every container would start without one.
RUN export CORRAL_HOME=/tmp/corral-archive \
 && bin/control start \
 && node -e 'let n = 0; const get = () => require("http").get("http://127.0.0.1:8080/h5/health", r => { r.resume(); if (++n < 200) get(); }); get()' \
 && bin/control kill && bin/control start && bin/control kill \
 && test -f lib/corral.jsa && test -f lib/corral.jsa-mapped && rm -rf "$CORRAL_HOME"
ENV CORRAL_HOME=/var/lib/corral
RUN mkdir -p "$CORRAL_HOME" && chown node:node "$CORRAL_HOME"
USER node
# 8080: the vhost rules (what the Service targets); 8197 nuomi, 8198 h5.
EXPOSE 8080 8197 8198
ENTRYPOINT ["/usr/bin/tini", "--", "/opt/corral/bin/control", "daemon"]
