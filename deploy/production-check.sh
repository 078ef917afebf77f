#!/usr/bin/env bash
# Follows the README's "Running in production" guide on this machine, without systemd: build,
# two instances behind HAProxy (which sends PROXY v2), a message through each, a reload with
# SIGHUP, a stop with SIGTERM. Needs node, npm, haproxy, swaks and smtp-sink (.ci/run installs
# them). Everything listens on loopback; the work directory is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in haproxy swaks smtp-sink; do
  command -v "$tool" >/dev/null || { echo "production-check: $tool is missing"; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }

# Waits (at most 10 s) until FILE holds PATTERN.
wait_for() {
  for _ in $(seq 100); do grep -q -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "production-check: no '$2' in $1:"; cat "$1"; exit 1
}

step "1. build"
npm run build --silent

step "2. the mail server behind the gateways"
smtp-sink -u "$(id -un)" 127.23.0.2:10025 64 &
pids+=($!)

step "3. one configuration per instance (trusting HAProxy's PROXY header)"
for n in 1 2; do
  cat >"$work/gw$n.conf" <<CONF
hostname gw$n
ip port-map smtp port 2625
ip inspect name MAIL esmtp
ip inspect audit-trail
ip inspect metrics 127.23.$n.1 9225
ip inspect graceful-shutdown 5
interface Ethernet0
 ip address 127.23.$n.1 255.255.255.0
 ip inspect MAIL in
 ip proxy-protocol trusted 10
ip nat inside source static tcp 127.23.0.2 10025 127.23.$n.110 2625
access-list 10 permit 127.0.0.1
CONF
  node dist/cli.js check "$work/gw$n.conf"
done

step "4. start both instances"
for n in 1 2; do
  node dist/cli.js run --config "$work/gw$n.conf" 2>"$work/gw$n.log" &
  pids+=($!)
  eval "gw$n=$!"
  wait_for "$work/gw$n.log" "listening on 127.23.$n.110:2625"
done

step "5. HAProxy in front, round robin, PROXY v2 toward the instances"
cat >"$work/haproxy.cfg" <<CONF
global
  maxconn 4096
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend smtp
  bind 127.23.0.1:2600
  default_backend gateways
backend gateways
  balance roundrobin
  server gw1 127.23.1.110:2625 send-proxy-v2 check
  server gw2 127.23.2.110:2625 send-proxy-v2 check
CONF
haproxy -c -f "$work/haproxy.cfg"
haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
pids+=($!)
sleep 1

step "6. a message through each instance"
for _ in 1 2; do
  swaks --silent 2 --server 127.23.0.1:2600 --from a@example.org --to b@example.org \
    --h-Subject "production check"
done
wait_for "$work/gw1.log" "SESS_AUDIT_TRAIL: Stop esmtp session: initiator (127.0.0.1:"
wait_for "$work/gw2.log" "SESS_AUDIT_TRAIL: Stop esmtp session: initiator (127.0.0.1:"
curl -fsS http://127.23.1.1:9225/metrics | grep '^smtpguard_sessions_created_total'

step "7. reload with SIGHUP"
sed -i 's/graceful-shutdown 5/graceful-shutdown 3/' "$work/gw1.conf"
kill -HUP "$gw1"
wait_for "$work/gw1.log" "reloaded $work/gw1.conf"

step "8. stop with SIGTERM"
kill -TERM "$gw1" "$gw2"
wait "$gw1" "$gw2"
echo "production-check: passed"
