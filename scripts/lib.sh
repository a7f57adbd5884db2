#!/usr/bin/env bash
# Helpers shared by demo.sh and dev.sh: a private redis-server and child process bookkeeping.

# A TCP port on loopback that is free right now.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# The Redis server binary: Debian's redis-server, or Valkey's (Amazon Linux 2023).
redis_server_binary() {
  command -v redis-server || command -v valkey-server || {
    echo "redis-server is not installed: run 'apt-get install redis-server' (Debian/Ubuntu) or 'dnf install valkey' (Amazon Linux 2023) as root, then try again" >&2
    return 1
  }
}

# shellcheck disable=SC2034 # REDIS_PID and REDIS_PORT are read by the scripts that source this file.
# start_redis DIR: starts a private Redis on a free loopback port, data in DIR; sets REDIS_PORT, REDIS_URL, REDIS_PID.
start_redis() {
  local dir=$1 binary
  binary=$(redis_server_binary) || return 1
  mkdir -p "$dir"
  REDIS_PORT=$(free_port)
  "$binary" --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly yes \
    --maxmemory-policy noeviction --daemonize no >"$dir/redis.log" 2>&1 &
  REDIS_PID=$!
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
  export REDIS_URL
  for _ in $(seq 1 100); do
    if node -e 'require("net").connect(+process.argv[1],"127.0.0.1").on("connect",()=>process.exit(0)).on("error",()=>process.exit(1))' "$REDIS_PORT"; then
      return 0
    fi
    sleep 0.1
  done
  echo "redis-server did not start; see $dir/redis.log" >&2
  return 1
}

# stop_pids PID...: SIGTERM, then wait for each to exit.
stop_pids() {
  local pid
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}

# port_is_free PORT: whether nothing listens on 127.0.0.1:PORT.
port_is_free() {
  node -e 'const s=require("net").createServer();s.once("error",()=>process.exit(1));s.listen(+process.argv[1],"127.0.0.1",()=>s.close(()=>process.exit(0)))' "$1"
}

# wait_for_http URL [PID]: waits up to 60 s until URL answers (any HTTP status); gives up early if PID exits.
wait_for_http() {
  local url=$1 pid=${2:-}
  for _ in $(seq 1 600); do
    if node -e 'fetch(process.argv[1]).then(()=>process.exit(0),()=>process.exit(1))' "$url" 2>/dev/null; then return 0; fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}
