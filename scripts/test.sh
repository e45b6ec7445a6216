#!/usr/bin/env bash
# Runs every test of the solution, MariaDB ones included.
#
# - Installs what the tests need from Debian packages if it is missing (needs root, or sudo): MariaDB, promtool,
#   php-cli, chromium, logrotate, systemd-analyze, wine… (the list and why: below).
# - Starts ONE throwaway MariaDB for the run (temporary folder, free loopback port) and hands it to the tests
#   through P2PTEST_MYSQL; each test creates its own database in it. The server is removed on exit.
# - Runs `dotnet test` on the solution (extra arguments are passed on, e.g. --filter ...), the chaos suite
#   (tests/Chaos, short form; its own MariaDB) included: docs/reliability.md.
# - On a whole run (no arguments) then fuzzes the wire protocol for 60 s (scripts/fuzz.sh, which installs afl++ and
#   the SharpFuzz tool if missing); each fuzz target counts as one test. P2PTEST_FUZZ_SECONDS sets the budget (0 skips).
# - Ends with the line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

find_mariadbd() { command -v mariadbd || { [ -x /usr/sbin/mariadbd ] && echo /usr/sbin/mariadbd; } || true; }

# Debian packages the tests need, gathered first and installed in one apt run when missing (needs root, or sudo):
# - mariadb-server, mariadb-client: the throwaway MariaDB below; openssl: the key interoperability tests;
# - prometheus (promtool): tests/Hosting.Tests checks deploy/prometheus's alerting rules;
# - php-cli, php-curl, chromium: tests/Admin.Tests (the FluxCP module's PHP client; the /p2p/dashboard page in
#   Debian's headless chromium, driven by Playwright for .NET, no browser download);
# - iproute2, iptables (as root only): the chaos suite partitions a host agent in a network namespace; without them
#   (or without root) that one test is skipped, saying why;
# - logrotate: tests/HostAgent.Tests runs deploy/logrotate/p2p-system against a host agent;
# - systemd (systemd-analyze): tests/Deploy.Tests verifies deploy/systemd's units (nothing is started under it: the
#   readiness tests listen on NOTIFY_SOCKET themselves);
# - docker-compose, zip: tests/Release.Tests validates docker-compose.yml (`docker-compose config`, no Docker daemon
#   needed), and zip packs scripts/publish.sh's win-x64 archive.
packages=()
{ [ -z "$(find_mariadbd)" ] || ! command -v mariadb-install-db >/dev/null; } && packages+=(mariadb-server mariadb-client)
command -v openssl >/dev/null || packages+=(openssl)
command -v promtool >/dev/null || packages+=(prometheus)
command -v php >/dev/null || packages+=(php-cli)
php -m 2>/dev/null | grep -qi '^curl$' || packages+=(php-curl)
command -v chromium >/dev/null || packages+=(chromium)
if [ "$(id -u)" -eq 0 ]; then
  command -v ip >/dev/null || packages+=(iproute2)
  command -v iptables >/dev/null || packages+=(iptables)
fi
{ command -v logrotate >/dev/null || [ -x /usr/sbin/logrotate ]; } || packages+=(logrotate)
command -v systemd-analyze >/dev/null || packages+=(systemd)
command -v docker-compose >/dev/null || packages+=(docker-compose)
command -v zip >/dev/null || packages+=(zip)
if [ ${#packages[@]} -gt 0 ]; then
  echo "== installing from Debian packages: ${packages[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
mariadbd=$(find_mariadbd)

# tests/Release.Tests runs the released win-x64 host agent under wine (Debian 12: wine 8); without it those tests are
# skipped, saying why. About 100 MB of packages; here the install took 12 s and the wine tests about 30 s. Optional:
# a failed install skips those tests rather than the run.
if ! command -v wine >/dev/null; then
  echo "== installing wine (the win-x64 host agent's smoke tests) from Debian packages"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wine wine64 >/dev/null \
    || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wine wine64 >/dev/null; } || true
fi


if [ -z "${P2PTEST_MYSQL:-}" ]; then
  dir=$(mktemp -d /tmp/p2p-test-mariadb.XXXXXX)
  chmod 755 "$dir"
  data="$dir/data"
  user_arg=""
  [ "$(id -u)" -eq 0 ] && user_arg="--user=mysql"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 33306)
  mariadb-install-db --no-defaults --datadir="$data" $user_arg --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 \
    || { cat "$dir/install.log"; exit 1; }
  "$mariadbd" --no-defaults --datadir="$data" --socket="$data/mysqld.sock" --port="$port" --bind-address=127.0.0.1 $user_arg \
    --skip-log-bin --skip-name-resolve --max-connections=1000 --innodb-buffer-pool-size=256M \
    --innodb-flush-log-at-trx-commit=2 --log-error="$data/error.log" &
  server_pid=$!
  cleanup() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -rf "$dir"; }
  trap cleanup EXIT
  for _ in $(seq 1 300); do
    [ -S "$data/mysqld.sock" ] && mariadb --no-defaults --socket="$data/mysqld.sock" -uroot -e "SELECT 1" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$data/error.log"; exit 1; }
    sleep 0.1
  done
  mariadb --no-defaults --socket="$data/mysqld.sock" -uroot -e \
    "CREATE USER 'p2ptest'@'127.0.0.1' IDENTIFIED BY 'p2ptest-pw'; GRANT ALL PRIVILEGES ON *.* TO 'p2ptest'@'127.0.0.1' WITH GRANT OPTION;"
  export P2PTEST_MYSQL="Server=127.0.0.1;Port=$port;User ID=p2ptest;Password=p2ptest-pw"
  echo "== throwaway MariaDB $("$mariadbd" --version | awk '{print $3}') on 127.0.0.1:$port"
fi

log=$(mktemp /tmp/p2p-test-log.XXXXXX)
set +e
dotnet test P2PCluster.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# The .NET runners print one summary per test project; add them up into the line CI reads.
passed=$(grep -aoE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -aoE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi # a build error or crashed runner counts as a failure

fuzz_seconds=${P2PTEST_FUZZ_SECONDS:-60}
if [ $# -eq 0 ] && [ "$fuzz_seconds" != 0 ]; then
  log=$(mktemp /tmp/p2p-fuzz-log.XXXXXX)
  set +e
  bash scripts/fuzz.sh --seconds "$fuzz_seconds" 2>&1 | tee "$log"
  fuzz_status=${PIPESTATUS[0]}
  set -e
  # fuzz.sh ends with "fuzz: N passed, N failed", one per target.
  fuzz_passed=$(grep -aoE '^fuzz: [0-9]+ passed' "$log" | awk '{print $2}' | tail -1)
  fuzz_failed=$(grep -aoE '^fuzz: [0-9]+ passed, [0-9]+ failed' "$log" | awk '{print $4}' | tail -1)
  rm -f "$log"
  passed=$((passed + ${fuzz_passed:-0}))
  fuzz_failed=${fuzz_failed:-0}
  if [ "$fuzz_status" -ne 0 ] && [ "$fuzz_failed" -eq 0 ]; then fuzz_failed=1; fi # it stopped before fuzzing
  failed=$((failed + fuzz_failed))
  if [ "$status" -eq 0 ]; then status=$fuzz_status; fi
fi

echo "$passed passed, $failed failed"
exit "$status"
