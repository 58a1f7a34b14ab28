#!/usr/bin/env bash
# Start a throw-away redis-server for the tests on a free loopback port, and print its URL.
#
#   export TCBILLING_TEST_REDIS_URL="$(scripts/start-test-redis.sh)"
#
# Installs redis-server with apt-get when it is missing (needs root). The server keeps nothing on
# disk (no RDB snapshots, no AOF), listens on 127.0.0.1 only, and runs in the background; stop it
# with `redis-cli -p PORT shutdown nosave`. Progress goes to stderr; stdout is only the URL.
set -euo pipefail

if ! command -v redis-server >/dev/null 2>&1; then
    echo "start-test-redis: installing redis-server" >&2
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server >&2
fi

# A free port: ask the kernel for one, then hand it to redis-server.
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || true)"
if [ -z "$port" ]; then
    port=$(( 20000 + RANDOM % 20000 ))
fi

# The timing tests (tests/redis_quota.rs) measure milliseconds on a small machine that may be busy
# compiling; a Redis stalled by a compile job delays a permit. Run it at a raised priority when
# allowed (root), at the usual one otherwise.
nice_cmd=()
if nice -n -10 true 2>/dev/null; then
    nice_cmd=(nice -n -10)
fi

dir="$(mktemp -d -t tcbilling-redis.XXXXXX)"
"${nice_cmd[@]}" redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$dir" --daemonize yes --logfile "$dir/redis.log" --pidfile "$dir/redis.pid" >&2

for _ in $(seq 1 50); do
    if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
        echo "start-test-redis: redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') on 127.0.0.1:$port (pid $(cat "$dir/redis.pid"), log $dir/redis.log)" >&2
        echo "redis://127.0.0.1:$port"
        exit 0
    fi
    sleep 0.1
done
echo "start-test-redis: redis-server did not answer on port $port; see $dir/redis.log" >&2
exit 1
