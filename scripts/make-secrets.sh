#!/usr/bin/env bash
# Creates the secret files that podman-compose.yml mounts, in secrets/ (gitignored). Idempotent: an existing token is
# kept, so running it again changes nothing; to rotate one, delete its file, run this again and restart the services
# on both ends (see docs/deployment.md).
#
#   scripts/make-secrets.sh                                  # tokens for every caller, Grafana's admin password
#   JERRY_DISCORD_TOKEN=... scripts/make-secrets.sh          # also the Discord bot token (for --profile bot)
#   SECRETS_DIR=/elsewhere scripts/make-secrets.sh           # another folder (the tests use one)
#
# Files: <caller>_to_<service> holds the token a caller presents to a service; <service>_callers is that service's
# JERRY_AUTH_TOKENS (name:token lines), made from the *_to_<service> files.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${SECRETS_DIR:-secrets}

# The folder is private to you (0700). The files inside are world-readable (0644) because the services read them as
# their own non-root users (uid 10001, Prometheus as nobody, Grafana as 472) through bind mounts, where the folder's
# mode no longer protects them: on the host, only you can reach them.
mkdir -p "$DIR"
chmod 700 "$DIR"
umask 022

created=()

token() { # 32 random bytes as 64 hex digits
  if command -v openssl >/dev/null; then
    openssl rand -hex 32
  else
    head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n'
  fi
}

ensure_token() { # FILE: a fresh token unless the file already has one
  if [ ! -s "$DIR/$1" ]; then
    printf '%s' "$(token)" >"$DIR/$1"
    created+=("$1")
  fi
}

callers() { # SERVICE CALLER...: the service's JERRY_AUTH_TOKENS file from the callers' token files
  local service=$1 caller tmp
  shift
  tmp=$(mktemp "$DIR/.${service}_callers.XXXXXX")
  {
    echo "# who may call $service-service (JERRY_AUTH_TOKENS): one name:token per line (written by scripts/make-secrets.sh)"
    for caller in "$@"; do
      ensure_token "${caller}_to_${service}"
      echo "$caller:$(cat "$DIR/${caller}_to_${service}")"
    done
  } >"$tmp"
  chmod 644 "$tmp"
  mv "$tmp" "$DIR/${service}_callers"
}

callers model agent rag bot ingestion webui prometheus
callers rag agent bot prometheus
callers agent bot webui prometheus
callers bot prometheus

ensure_token grafana_admin_password
ensure_token searxng_secret

if [ ! -s "$DIR/discord_token" ]; then
  if [ -n "${JERRY_DISCORD_TOKEN:-}" ]; then
    printf '%s' "$JERRY_DISCORD_TOKEN" >"$DIR/discord_token"
    created+=(discord_token)
  else
    # bot-service (compose profile "bot") needs it; an empty file would stop it at start-up
    echo "make-secrets: no Discord token yet: run again with JERRY_DISCORD_TOKEN=... before starting --profile bot"
  fi
fi

# SELinux hosts (Fedora, RHEL): let containers read the files
if command -v selinuxenabled >/dev/null && selinuxenabled && command -v chcon >/dev/null; then
  chcon -R -t container_file_t "$DIR"
fi

if [ ${#created[@]} -gt 0 ]; then
  echo "make-secrets: created ${created[*]} in $DIR/"
else
  echo "make-secrets: every secret already exists in $DIR/ (nothing changed)"
fi
