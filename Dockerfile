# The stockrecon image, named stockrecon:latest by docker-compose.yml and jobs/k8s/*.yaml
# (LaunchFilesTests keeps them in agreement). Build it from the lean jar:
#
#   ./mvnw -B -q -DskipTests package && docker build -t stockrecon:latest .
#
# Spring Boot's layered jar is extracted into one directory per layer, copied from the least to the
# most often changed, so that a rebuild after a code change reuses the 47 MB dependencies layer.
# The layers hold plain jars (the application jar beside lib/), not the launcher's directories:
# class data sharing reads classes from jars only. The class data archive is written in the image,
# by the JRE that will read it (jobs/class-data-sharing.sh; README, "Start-up times").
# The entrypoint takes the command as its arguments: `docker run stockrecon:latest history --limit=1`.

FROM eclipse-temurin:17-jre AS layers
WORKDIR /build
COPY target/stockrecon.jar stockrecon.jar
RUN java -Djarmode=tools -jar stockrecon.jar extract --layers --destination extracted

FROM eclipse-temurin:17-jre
# a system user of its own: the job needs no privilege, only its network connections
RUN groupadd --system --gid 10001 stockrecon \
    && useradd --system --uid 10001 --gid stockrecon --no-create-home --shell /usr/sbin/nologin stockrecon
WORKDIR /app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
COPY jobs/class-data-sharing.sh /usr/local/bin/
RUN class-data-sharing.sh /app
USER 10001:10001
# the heap follows the container's memory limit; the serial collector suits a batch job's small heap
# (README, "JVM options"); add JVM options with JAVA_TOOL_OPTIONS; the log
# options keep a note about the class data archive off standard output (`--json` writes there)
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=/app/stockrecon.jsa", "-Xlog:disable", "-Xlog:all=warning:stderr", "-jar", "/app/stockrecon.jar"]
CMD ["help"]
