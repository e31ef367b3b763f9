#!/usr/bin/env bash
# Prints the home of a JDK >= 21: $JAVA_HOME if it qualifies, else the newest JDK under /usr/lib/jvm,
# else the one of `java` on the PATH. Exits 1 with a hint when there is none.
set -euo pipefail

major_of() { # JDK home -> major version, from its release file
  local release="$1/release"
  [ -r "$release" ] || { echo 0; return; }
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -1
}

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(major_of "$JAVA_HOME")" -ge 21 ]; then
  echo "$JAVA_HOME"; exit 0
fi
best=""; best_major=0
for home in /usr/lib/jvm/*/; do
  home=${home%/}
  [ -x "$home/bin/javac" ] || continue
  m=$(major_of "$home"); m=${m:-0}
  if [ "$m" -ge 21 ] && [ "$m" -gt "$best_major" ]; then best=$home; best_major=$m; fi
done
if [ -n "$best" ]; then echo "$best"; exit 0; fi
if command -v javac >/dev/null; then
  home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  if [ "$(major_of "$home")" -ge 21 ]; then echo "$home"; exit 0; fi
fi
echo "find-java: no JDK 21 or newer found (looked at JAVA_HOME, /usr/lib/jvm, PATH); install one (e.g. Temurin 25) and set JAVA_HOME" >&2
exit 1
