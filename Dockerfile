# The stockrecon image, named stockrecon:latest by docker-compose.yml and jobs/k8s/*.yaml
# (LaunchFilesTests keeps them in agreement). Build it from the lean jar:
#
#   ./mvnw -B -q -DskipTests package && docker build -t stockrecon:latest .
#
# Spring Boot's layered jar is extracted into one directory per layer, copied from the least to the
# most often changed, so that a rebuild after a code change reuses the 47 MB dependencies layer.
# The entrypoint takes the command as its arguments: `docker run stockrecon:latest history --limit=1`.

FROM eclipse-temurin:17-jre AS layers
WORKDIR /build
COPY target/stockrecon.jar stockrecon.jar
RUN java -Djarmode=tools -jar stockrecon.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17-jre
# a system user of its own: the job needs no privilege, only its network connections
RUN groupadd --system --gid 10001 stockrecon \
    && useradd --system --uid 10001 --gid stockrecon --no-create-home --shell /usr/sbin/nologin stockrecon
WORKDIR /app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
USER 10001:10001
# the heap follows the container's memory limit; add JVM options with JAVA_TOOL_OPTIONS
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "org.springframework.boot.loader.launch.JarLauncher"]
CMD ["help"]
