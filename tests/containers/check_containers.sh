#!/usr/bin/env bash
# Static checks of containers/ (Docker cannot run on the build machines):
#  - the Dockerfile's build stage installs exactly the Makefile's DEB_PACKAGES and runs `make build`;
#  - docker-compose.yml has the required service settings;
#  - `systemd-analyze verify` accepts the unit (when systemd-analyze is available);
#  - cluster.yml runs PostgreSQL + HAProxy + 3 bots in webhook mode on the shared database, and
#    `haproxy -c` accepts haproxy.cfg (when haproxy and openssl are available).
# Usage: tests/containers/check_containers.sh [REPO_ROOT]   (default: two levels above this script)
set -euo pipefail

root=${1:-"$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"}
dockerfile="$root/containers/Dockerfile"
compose="$root/containers/docker-compose.yml"
unit="$root/containers/nocturna-bot.service"
cluster="$root/containers/cluster.yml"
haproxy_cfg="$root/containers/haproxy.cfg"
makefile="$root/Makefile"
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok:   $*"; }

for f in "$dockerfile" "$compose" "$unit" "$makefile" "$cluster" "$haproxy_cfg"; do
  [[ -f "$f" ]] || { echo "FAIL: missing ${f#"$root"/}" >&2; exit 1; }
done

# Joins backslash-continued lines.
join_lines() { sed -e ':a' -e '/\\$/N; s/\\\n/ /; ta' "$1"; }

# ---- Makefile DEB_PACKAGES --------------------------------------------------------------------
make_pkgs=$(join_lines "$makefile" | sed -n 's/^DEB_PACKAGES[[:space:]]*:\{0,1\}=[[:space:]]*//p' |
  tr -s ' \t' '\n' | sed '/^$/d' | sort -u)
[[ -n "$make_pkgs" ]] || { echo "FAIL: no DEB_PACKAGES in the Makefile" >&2; exit 1; }
# The browser test's packages are in DEB_PACKAGES (make test installs them) but not in the image.
test_only=$(join_lines "$makefile" | sed -n 's/^TEST_ONLY_PACKAGES[[:space:]]*:\{0,1\}=[[:space:]]*//p' |
  tr -s ' \t' '\n' | sed '/^$/d' | sort -u)
make_pkgs=$(comm -23 <(echo "$make_pkgs") <(echo "$test_only"))

# ---- Dockerfile build stage -------------------------------------------------------------------
# The build stage: from the first FROM up to (not including) the second FROM.
build_stage=$(join_lines "$dockerfile" | grep -v '^[[:space:]]*#' |
  awk '/^[[:space:]]*FROM[[:space:]]/{n++} n==1')
install_line=$(grep -m1 'apt-get install' <<<"$build_stage" || true)
[[ -n "$install_line" ]] || { echo "FAIL: no apt-get install in the Dockerfile's build stage" >&2; exit 1; }
# Package names: the words after `apt-get install` up to the next `&&`, without options.
docker_pkgs=$(sed -e 's/.*apt-get install//' -e 's/&&.*//' <<<"$install_line" |
  tr -s ' \t' '\n' | sed -e '/^$/d' -e '/^-/d' | sort -u)

if [[ "$docker_pkgs" == "$make_pkgs" ]]; then
  ok "Dockerfile build stage installs the Makefile's DEB_PACKAGES ($(wc -l <<<"$make_pkgs") packages)"
else
  fail "Dockerfile build-stage packages differ from the Makefile's DEB_PACKAGES:"
  diff <(echo "$make_pkgs") <(echo "$docker_pkgs") | sed 's/^/      /' >&2 || true
  echo "      (< Makefile only, > Dockerfile only)" >&2
fi

if grep -Eq '^[[:space:]]*RUN[[:space:]]+make[[:space:]]+build([[:space:]]|$)' <<<"$build_stage"; then
  ok "Dockerfile build stage runs 'make build'"
else
  fail "Dockerfile build stage does not run 'make build'"
fi

grep -Eq '^FROM[[:space:]]+debian:12([[:space:]]|$)' "$dockerfile" && ok "build stage FROM debian:12" ||
  fail "no 'FROM debian:12' build stage"
grep -Eq '^FROM[[:space:]]+debian:12-slim([[:space:]]|$)' "$dockerfile" && ok "runtime stage FROM debian:12-slim" ||
  fail "no 'FROM debian:12-slim' runtime stage"
grep -Eq '^USER[[:space:]]+nocturna' "$dockerfile" && ok "runtime runs as user nocturna" ||
  fail "Dockerfile has no 'USER nocturna'"
grep -Eq '^HEALTHCHECK.*' "$dockerfile" && ok "Dockerfile has a HEALTHCHECK" || fail "Dockerfile has no HEALTHCHECK"

# ---- docker-compose.yml -----------------------------------------------------------------------
check_compose() {  # description, extended regex
  if grep -Eq "$2" "$compose"; then ok "compose: $1"; else fail "compose: missing $1"; fi
}
check_compose "service nocturna-bot" '^[[:space:]]{2}nocturna-bot:[[:space:]]*$'
check_compose "container_name: nocturna-telegram-bot" '^[[:space:]]+container_name:[[:space:]]*nocturna-telegram-bot[[:space:]]*$'
check_compose "build dockerfile containers/Dockerfile" '^[[:space:]]+dockerfile:[[:space:]]*containers/Dockerfile[[:space:]]*$'
check_compose "network_mode: host" '^[[:space:]]+network_mode:[[:space:]]*"?host"?[[:space:]]*$'
check_compose "env_file" '^[[:space:]]+env_file:'
check_compose "restart policy" '^[[:space:]]+restart:[[:space:]]*[a-z-]+'
check_compose "healthcheck" '^[[:space:]]+healthcheck:'
check_compose "healthcheck on /health" '/health'
check_compose "data volume" '/var/lib/nocturna-bot/data'
check_compose "logs volume" '/var/log/nocturna-bot'
check_compose "read_only: true" '^[[:space:]]+read_only:[[:space:]]*true[[:space:]]*$'
check_compose "a tmpfs" '^[[:space:]]+tmpfs:'
check_compose "cap_drop: [ALL]" '^[[:space:]]+cap_drop:[[:space:]]*\[[[:space:]]*"?ALL"?[[:space:]]*\][[:space:]]*$'
check_compose "security_opt: [no-new-privileges:true]" '^[[:space:]]+security_opt:[[:space:]]*\[[[:space:]]*"?no-new-privileges:true"?[[:space:]]*\][[:space:]]*$'
check_compose "mem_limit" '^[[:space:]]+mem_limit:[[:space:]]*[0-9]+[kmgKMG]?[[:space:]]*$'
check_compose "pids_limit" '^[[:space:]]+pids_limit:[[:space:]]*[0-9]+[[:space:]]*$'

# ---- cluster.yml + haproxy.cfg ------------------------------------------------------------------
check_cluster() {  # description, extended regex
  if grep -Eq "$2" "$cluster"; then ok "cluster: $1"; else fail "cluster: missing $1"; fi
}
for service in postgres bot1 bot2 bot3 haproxy; do
  check_cluster "service $service" "^[[:space:]]{2}$service:[[:space:]]*$"
done
check_cluster "webhook mode" '^[[:space:]]+BOT_MODE:[[:space:]]*webhook[[:space:]]*$'
check_cluster "the shared DATABASE_URL" '^[[:space:]]+DATABASE_URL:[[:space:]]*postgresql://[^[:space:]]+@postgres:5432/'
check_cluster "bots built from containers/Dockerfile" '^[[:space:]]+dockerfile:[[:space:]]*containers/Dockerfile[[:space:]]*$'
check_cluster "a health check of each bot" '^[[:space:]]+healthcheck:'
check_cluster "read_only bots" '^[[:space:]]+read_only:[[:space:]]*true[[:space:]]*$'
for server in bot1 bot2 bot3; do
  grep -Eq "^[[:space:]]*server[[:space:]]+$server[[:space:]]+$server:8080" "$haproxy_cfg" &&
    ok "haproxy: server $server" || fail "haproxy: no server $server"
done
grep -Eq '^[[:space:]]*option[[:space:]]+httpchk[[:space:]]+GET[[:space:]]+/health' "$haproxy_cfg" &&
  ok "haproxy: checks /health" || fail "haproxy: no /health check"
if command -v haproxy >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1; then
  tls_dir=$(mktemp -d)
  trap 'rm -rf "$tls_dir"' EXIT
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tls_dir/key.pem" -out "$tls_dir/cert.pem" \
    -days 1 -subj /CN=bot.example.org >/dev/null 2>&1
  cat "$tls_dir/cert.pem" "$tls_dir/key.pem" >"$tls_dir/bot.pem"
  # The bot hostnames resolve only inside the compose network: their warnings are expected.
  if out=$(NOCTURNA_TLS_PEM="$tls_dir/bot.pem" haproxy -c -f "$haproxy_cfg" 2>&1); then
    ok "haproxy -c accepts haproxy.cfg"
  else
    fail "haproxy -c rejects haproxy.cfg:"
    echo "$out" | sed 's/^/      /' >&2
  fi
else
  echo "skip: haproxy or openssl not available"
fi

# ---- systemd unit -----------------------------------------------------------------------------
for key in 'User=nocturna' 'Restart=always' 'RestartSec=10' 'ProtectSystem=strict' 'NoNewPrivileges=true' \
           'ExecStart=/usr/bin/env DATA_DIR=/var/lib/nocturna-bot LOG_DIR=/var/log/nocturna-bot NOCTURNA_SHARE_DIR=/opt/nocturna-bot/share /opt/nocturna-bot/bin/nocturna-bot run'; do
  grep -qxF "$key" "$unit" && ok "unit: $key" || fail "unit: missing $key"
done
for key in LimitNOFILE MemoryMax TasksMax SystemCallFilter ProtectKernelLogs ProtectClock \
           ProtectHostname ProtectProc RestrictSUIDSGID; do
  grep -Eq "^$key=.+" "$unit" && ok "unit: $key set" || fail "unit: missing $key"
done

if command -v systemd-analyze >/dev/null 2>&1; then
  out=$(systemd-analyze verify "$unit" 2>&1) || true
  # The binary is installed only on the target host: its absence is expected here.
  unexpected=$(grep -v -E 'Command .* is not executable|nocturna-bot: No such file or directory' <<<"$out" |
    sed '/^[[:space:]]*$/d' || true)
  if [[ -n "$unexpected" ]]; then
    fail "systemd-analyze verify reported:"
    echo "$unexpected" | sed 's/^/      /' >&2
  else
    ok "systemd-analyze verify (${out:+only the expected missing-binary note})"
  fi
  # The exposure score docs/deployment.md records (offline scoring needs systemd 250 or later).
  if score_line=$(systemd-analyze security --offline=true "$unit" 2>/dev/null | grep 'Overall exposure level'); then
    score=$(grep -oE '[0-9]+\.[0-9]+' <<<"$score_line" | head -1)
    if awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
      ok "systemd-analyze security: $score (at most 2.0)"
    else
      fail "systemd-analyze security: $score, above 2.0"
    fi
  else
    echo "skip: systemd-analyze security --offline not available"
  fi
else
  echo "skip: systemd-analyze not available"
fi

if ((failures > 0)); then
  echo "check_containers: $failures check(s) failed" >&2
  exit 1
fi
echo "check_containers: all checks passed"
