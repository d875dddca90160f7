#!/usr/bin/env bash
# Class data sharing for stockrecon's start-up (README, "Start-up times"): the JVM maps the classes a
# start loads from an archive instead of reading, parsing and verifying them from the jars again;
# `history` then answers in about half the time. CDS reads classes from plain jars only, so the
# fat jar is extracted first (Spring Boot's `extract`: the application jar beside lib/).
#
#   jobs/class-data-sharing.sh /opt/stockrecon/stockrecon.jar /opt/stockrecon/app   # on a host
#   jobs/class-data-sharing.sh /app                       # a jar extracted already (the Dockerfile)
#
# then launch every command as
#
#   java -XX:+UseSerialGC -XX:SharedArchiveFile=/opt/stockrecon/app/stockrecon.jsa -Xlog:disable -Xlog:all=warning:stderr \
#        -jar /opt/stockrecon/app/stockrecon.jar <command> ...
#
# The archive belongs to one JVM build and one set of jars: run this again after upgrading either.
# A stale or missing archive costs only the speed: the JVM says so in one line and starts without
# it; `-Xlog:...:stderr` keeps that line off standard output, which `--json` keeps for JSON.
#
# The training start is Spring Boot's: the application of a read command is refreshed and closed
# (spring.context.exit=onRefresh), which connects to nothing, so it runs at image build time too.
set -euo pipefail

if [[ $# -eq 2 ]]; then
  jar="$1" dir="$2"
  java -Djarmode=tools -jar "$jar" extract --force --application-filename stockrecon.jar --destination "$dir" >/dev/null
elif [[ $# -eq 1 ]]; then
  dir="$1"
else
  echo "usage: $0 [JAR] DIR   (extract JAR into DIR, then write DIR/stockrecon.jsa)" >&2
  exit 2
fi
if [[ ! -f "$dir/stockrecon.jar" ]]; then
  echo "$0: no $dir/stockrecon.jar: give the jar to extract as the first argument" >&2
  exit 2
fi

rm -f "$dir/stockrecon.jsa"
# picocli's classes are of Java 5's format, which CDS skips with a warning each: not worth a line
java -XX:ArchiveClassesAtExit="$dir/stockrecon.jsa" -Xlog:disable -Xlog:all=error:stderr \
  -Dspring.context.exit=onRefresh -jar "$dir/stockrecon.jar" history >/dev/null
test -s "$dir/stockrecon.jsa"
echo "$dir/stockrecon.jsa: $(( $(stat -c %s "$dir/stockrecon.jsa") / 1000000 )) MB; launch with" \
  "java -XX:+UseSerialGC -XX:SharedArchiveFile=$dir/stockrecon.jsa -Xlog:disable -Xlog:all=warning:stderr -jar $dir/stockrecon.jar"
