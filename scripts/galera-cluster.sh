#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on 127.0.0.1 for the tests, next to the plain MariaDB on 3306
# (which this script never touches).
#
#   scripts/galera-cluster.sh start    bootstrap node 1, join nodes 2 and 3, wait for wsrep_cluster_size=3
#                                      (a healthy running cluster is left as is; a stale one is cleaned)
#   scripts/galera-cluster.sh stop     stop the three nodes and remove their data
#   scripts/galera-cluster.sh status   print each node's wsrep state; exit 1 unless all three are synced
#
# Node i (1..3): SQL 331i, gcomm 4567i, IST 4568i, SST 4444i, data and socket under $XINFANG_GALERA_DIR/ni
# (default /var/tmp/xinfang-galera). root with an empty password on 127.0.0.1.
# URLs for the tests: mysql://root@127.0.0.1:3311/test,…:3312/test,…:3313/test (TEST_GALERA_URLS).
set -euo pipefail

BASE="${XINFANG_GALERA_DIR:-/var/tmp/xinfang-galera}"
NODES=(1 2 3)
PROVIDER="${GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}"
[ -e "$PROVIDER" ] || PROVIDER=/usr/lib/libgalera_smm.so

sql_port() { echo $((3310 + $1)); }
gcomm_port() { echo $((45670 + $1)); }
cnf() { echo "$BASE/n$1/my.cnf"; }
log() { echo "galera: $*" >&2; }

q() { # q <node> <sql>: one value, no headers; empty when the node does not answer
  mysql --no-defaults -uroot -h127.0.0.1 -P"$(sql_port "$1")" --connect-timeout=2 -N -B -e "$2" 2>/dev/null || true
}

status_var() { q "$1" "SHOW GLOBAL STATUS LIKE '$2'" | awk '{print $2}'; }

# The pid of node i's mariadbd (started with this script's config file), else nothing. The pid file
# is written late (after a state transfer), so the processes' command lines are read instead.
node_pid() {
  local want="--defaults-file=$(cnf "$1")" f pid args
  for f in /proc/[0-9]*/cmdline; do
    pid="${f#/proc/}"
    pid="${pid%/cmdline}"
    args="$(tr '\0' '\n' 2>/dev/null <"$f" | head -n 2)" 2>/dev/null || continue
    if [ "$args" = "/usr/sbin/mariadbd"$'\n'"$want" ]; then
      echo "$pid"
      return 0
    fi
  done
}

write_cnf() {
  local i="$1" dir="$BASE/n$1" addrs
  addrs="127.0.0.1:$(gcomm_port 1),127.0.0.1:$(gcomm_port 2),127.0.0.1:$(gcomm_port 3)"
  mkdir -p "$dir/data" "$dir/tmp"
  cat >"$(cnf "$i")" <<EOF
[mysqld]
user=root
datadir=$dir/data
tmpdir=$dir/tmp
socket=$dir/mysqld.sock
pid-file=$dir/mysqld.pid
log-error=$dir/error.log
port=$(sql_port "$i")
bind-address=127.0.0.1
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_general_ci
max_connections=300
default_storage_engine=InnoDB
binlog_format=ROW
innodb_autoinc_lock_mode=2
innodb_buffer_pool_size=64M
innodb_log_file_size=32M
# Test data only: the cluster is the durability (a write is on three nodes before it commits).
innodb_flush_log_at_trx_commit=2
wsrep_on=ON
wsrep_provider=$PROVIDER
wsrep_cluster_name=xinfang-test
wsrep_cluster_address=gcomm://$addrs
wsrep_node_name=n$i
wsrep_node_address=127.0.0.1
wsrep_provider_options="base_port=$(gcomm_port "$i");gmcast.listen_addr=tcp://127.0.0.1:$(gcomm_port "$i");ist.recv_addr=127.0.0.1:$((45680 + i));gcache.size=64M;evs.suspect_timeout=PT5S;evs.inactive_timeout=PT10S"
wsrep_sst_receive_address=127.0.0.1:$((44440 + i))
wsrep_sst_method=mariabackup
wsrep_sst_auth=root:
wsrep_slave_threads=2
wsrep_mode=REQUIRED_PRIMARY_KEY,STRICT_REPLICATION
EOF
}

start_node() { # start_node <i> [--wsrep-new-cluster]
  local i="$1"
  shift
  # setsid: the node outlives this shell and its process group (CI traps, jest workers).
  setsid /usr/sbin/mariadbd --defaults-file="$(cnf "$i")" "$@" </dev/null >>"$BASE/n$i/stdout.log" 2>&1 &
}

wait_synced() { # wait_synced <i> <seconds>
  local i="$1" deadline=$((SECONDS + $2)) since=$SECONDS
  while [ "$SECONDS" -lt "$deadline" ]; do
    if [ "$(status_var "$i" wsrep_local_state_comment)" = "Synced" ]; then return 0; fi
    if [ $((SECONDS - since)) -ge 2 ] && [ -z "$(node_pid "$i")" ]; then
      log "node $i exited; the end of $BASE/n$i/error.log:"
      tail -n 30 "$BASE/n$i/error.log" >&2 || true
      return 1
    fi
    sleep 0.3
  done
  log "node $i not synced after $2 s; the end of $BASE/n$i/error.log:"
  tail -n 30 "$BASE/n$i/error.log" >&2 || true
  return 1
}

healthy() {
  local i
  for i in "${NODES[@]}"; do
    [ -n "$(node_pid "$i")" ] || return 1
    [ "$(status_var "$i" wsrep_local_state_comment)" = "Synced" ] || return 1
    [ "$(status_var "$i" wsrep_cluster_size)" = "3" ] || return 1
  done
}

stop_nodes() {
  local i pid pids=()
  for i in 3 2 1; do
    pid="$(node_pid "$i")"
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; pids+=("$pid"); fi
  done
  for _ in $(seq 1 100); do
    local alive=0
    for pid in "${pids[@]}"; do [ -d "/proc/$pid" ] && alive=1; done
    [ "$alive" = 0 ] && return 0
    sleep 0.2
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}

cmd_start() {
  if healthy; then
    log "already running (3 nodes synced)"
    return 0
  fi
  local t0=$SECONDS i
  stop_nodes
  rm -rf "$BASE"
  for i in "${NODES[@]}"; do write_cnf "$i"; done
  mariadb-install-db --defaults-file="$(cnf 1)" --skip-test-db --auth-root-authentication-method=normal \
    --wsrep-on=OFF >"$BASE/n1/install.log" 2>&1 || { cat "$BASE/n1/install.log" >&2; return 1; }
  start_node 1 --wsrep-new-cluster
  wait_synced 1 60
  q 1 "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
       CREATE DATABASE IF NOT EXISTS test CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
  # Both join at once: each asks for a state transfer (mariabackup); the second waits for a free
  # donor (node 1 again, or node 2 once it is synced).
  start_node 2
  start_node 3
  wait_synced 2 120
  wait_synced 3 120
  healthy || { cmd_status; return 1; }
  log "3 nodes synced in $((SECONDS - t0)) s"
}

cmd_status() {
  local i ok=0
  for i in "${NODES[@]}"; do
    local pid state size
    pid="$(node_pid "$i")"
    state="$(status_var "$i" wsrep_local_state_comment)"
    size="$(status_var "$i" wsrep_cluster_size)"
    echo "n$i port $(sql_port "$i") pid ${pid:--} state ${state:-down} cluster_size ${size:--}"
    [ "$state" = "Synced" ] && [ "$size" = "3" ] || ok=1
  done
  return "$ok"
}

cmd_stop() {
  stop_nodes
  rm -rf "$BASE"
  log "stopped"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
