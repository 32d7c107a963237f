#!/usr/bin/env bash
# The deployment test (issue 8), run in CI by scripts/test.sh: publishes the app, starts two instances in Production
# mode on one fresh database with a shared evidence folder, puts the shipped nginx site (deploy/nginx/dtiportal.conf,
# ports and certificate paths substituted, a self-signed certificate) in front of them on loopback, checks the start-up
# configuration error, TLS, the HTTP redirect and sticky sessions with curl, then runs the browser test
# tests/DtiPortal.E2E/Deployment/ClusterFailoverTests.cs (sign in through nginx, kill the instance that served the page,
# continue on the other one). The instances share their caches through a throw-away redis-server (issue 17, ADR-012):
# both must link to it, a public page one renders lives in Redis, and the message an instance sends after a publication
# evicts it for both. Cleans up its processes and database on exit.
#
# Environment: DTI_TEST_PG (PostgreSQL server connection string without Database=; default: scripts/pg-start.sh),
# DTI_CLUSTER_PORT_BASE (default 58470: instances on +1 and +2, nginx HTTP on +10 and HTTPS on +11, Redis on +20),
# DTI_CLUSTER_NO_BUILD=1 (the solution is already built in Debug: scripts/test.sh), DTI_CLUSTER_RESULTS (trx folder),
# DTI_CLUSTER_KEEP=1 (leave the work folder .local/cluster for inspection; processes are stopped anyway).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"

say() { echo "cluster-test: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

base="${DTI_CLUSTER_PORT_BASE:-58470}"
port1=$((base + 1)); port2=$((base + 2)); http_port=$((base + 10)); https_port=$((base + 11)); redis_port=$((base + 20))
work="$repo/.local/cluster"
publish="$work/publish"
run="$work/run"
started=$(date +%s)

for tool in nginx openssl curl redis-server redis-cli; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool not found (apt-get install -y nginx openssl curl redis-server; scripts/ensure-deps.sh installs them)"
done
for p in $port1 $port2 $http_port $https_port $redis_port; do
  if (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then fail "port $p is in use (set DTI_CLUSTER_PORT_BASE)"; fi
done

# --- PostgreSQL: the test server, a fresh database ----------------------------------------------------------------
if [ -z "${DTI_TEST_PG:-}" ]; then DTI_TEST_PG="$(scripts/pg-start.sh)"; fi
db="dti_cluster_$(date +%s)_$$"
db_cs="$DTI_TEST_PG;Database=$db"
pg_field() { echo "$DTI_TEST_PG" | tr ';' '\n' | awk -F= -v k="$1" 'tolower($1)==tolower(k) { print $2 }'; }
pg_host="$(pg_field Host)"; pg_port="$(pg_field Port)"; pg_user="$(pg_field Username)"; pg_password="$(pg_field Password)"
psql_bin="$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1)"
sql() { PGPASSWORD="$pg_password" "$psql_bin" -h "${pg_host:-127.0.0.1}" -p "${pg_port:-5432}" -U "${pg_user:-postgres}" -d "${2:-postgres}" -qtAX -c "$1"; }

pids=()
nginx_pid=""
cleanup() {
  local status=$?
  set +e
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}" $nginx_pid; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null
  done
  sql "drop database if exists \"$db\" with (force)" >/dev/null 2>&1
  if [ $status -ne 0 ]; then
    for f in "$run"/app1.log "$run"/app2.log "$run"/nginx/error.log; do
      [ -f "$f" ] && { say "--- last lines of $f"; tail -n 25 "$f" >&2; }
    done
  fi
  [ "${DTI_CLUSTER_KEEP:-}" = "1" ] || rm -rf "$run"
  say "took $(( $(date +%s) - started )) s"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$run"
mkdir -p "$run/shared/evidence" "$run/shared/mail" "$run/tls" "$run/nginx/tmp" "$run/nginx/logs"

# --- Publish (Release), as an operator would ------------------------------------------------------------------------
say "publishing to $publish"
rm -rf "$publish"
dotnet publish src/DtiPortal.Web -c Release -o "$publish" -nologo -v q -clp:ErrorsOnly >/dev/null
[ -f "$publish/DtiPortal.Web.dll" ] || fail "publish produced no DtiPortal.Web.dll"

# --- The start-up check: a production machine without its settings refuses to start, in Vietnamese and English ---
set +e
check_out="$(cd "$publish" && env -u ConnectionStrings__Dti ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=http://127.0.0.1:$port1 \
  timeout 60 dotnet DtiPortal.Web.dll 2>&1 >/dev/null)"
check_status=$?
set -e
[ $check_status -eq 78 ] || { echo "$check_out" >&2; fail "the app without configuration exited with $check_status, not 78"; }
for expected in "Thiếu cấu hình ConnectionStrings:Dti" "Missing setting ConnectionStrings:Dti" "Thiếu cấu hình Evidence:Directory" \
                "Thiếu cấu hình Email:Mode" "Missing setting Email:BaseUrl"; do
  grep -qF "$expected" <<<"$check_out" || { echo "$check_out" >&2; fail "the start-up error does not say '$expected'"; }
done
say "ok: without configuration the app refuses to start (exit 78) and names each missing setting in both languages"

# --- TLS certificate and the shipped nginx site ------------------------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$run/tls/privkey.pem" -out "$run/tls/fullchain.pem" >/dev/null 2>&1
site="$run/nginx/dtiportal.conf"
sed -e "s#listen 443 ssl http2;#listen 127.0.0.1:$https_port ssl http2;#" \
    -e "s#listen 80;#listen 127.0.0.1:$http_port;#" \
    -e '/listen \[::\]:/d' \
    -e "s#server 127.0.0.1:5001 #server 127.0.0.1:$port1 #" \
    -e "s#server 127.0.0.1:5002 #server 127.0.0.1:$port2 #" \
    -e "s#/etc/ssl/dtiportal/#$run/tls/#g" \
    deploy/nginx/dtiportal.conf >"$site"
# Every substitution must have happened: if the shipped file changes shape, this test must notice, not test something else.
for expected in "listen 127.0.0.1:$https_port ssl" "listen 127.0.0.1:$http_port;" "server 127.0.0.1:$port1 " "server 127.0.0.1:$port2 " "$run/tls/fullchain.pem" "$run/tls/privkey.pem"; do
  grep -qF "$expected" "$site" || fail "could not render deploy/nginx/dtiportal.conf for the test ('$expected' missing)"
done
! grep -qE "listen (80|443)|5001|5002|/etc/ssl" "$site" || fail "the rendered nginx site still refers to production ports or paths"
cat >"$run/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $run/nginx/nginx.pid;
error_log $run/nginx/error.log warn;
events { worker_connections 512; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $run/nginx/access.log;
    client_body_temp_path $run/nginx/tmp/body;
    proxy_temp_path $run/nginx/tmp/proxy;
    fastcgi_temp_path $run/nginx/tmp/fastcgi;
    uwsgi_temp_path $run/nginx/tmp/uwsgi;
    scgi_temp_path $run/nginx/tmp/scgi;
    include $site;
}
EOF
chmod -R a+rwX "$run/nginx/tmp"
nginx -p "$run/nginx" -c "$run/nginx/nginx.conf" -t -q 2>"$run/nginx/test.log" || { cat "$run/nginx/test.log" >&2; fail "nginx -t rejected the site"; }

# --- Redis: the instances' shared caches (issue 17), no persistence -------------------------------------------------
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$run" >"$run/redis.log" 2>&1 &
pids+=($!)
disown $!
rcli() { redis-cli -p "$redis_port" "$@"; }
for _ in $(seq 1 50); do [ "$(rcli ping 2>/dev/null)" = "PONG" ] && break; sleep 0.2; done
[ "$(rcli ping 2>/dev/null)" = "PONG" ] || fail "redis-server did not start (see $run/redis.log)"

# --- Two instances, Production settings, started together (migrations under the start-up lock) ---------------------
start_instance() { # name port seed
  env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$2" Instance__Name="$1" \
    ConnectionStrings__Dti="$db_cs" Database__MigrateOnStartup=true Demo__Seed="$3" Redis__Configuration="127.0.0.1:$redis_port" \
    Evidence__Store=Directory Evidence__Directory="$run/shared/evidence" \
    Email__Mode=Pickup Email__PickupDirectory="$run/shared/mail" Email__BaseUrl="https://127.0.0.1:$https_port" \
    DataProtection__Store=Database Notifications__IntervalSeconds=5 Notifications__StartupDelaySeconds=0 \
    Logging__LogLevel__Default=Information Logging__LogLevel__Microsoft.AspNetCore=Warning \
    Logging__LogLevel__DtiPortal.Application.Notifications=Debug \
    dotnet "$publish/DtiPortal.Web.dll" --contentRoot "$publish" >"$run/$1.log" 2>&1 &
  pids+=($!)
  disown $! # no "Killed" job notice when the browser test kills it
}
say "starting app1 (:$port1, seeds demo data) and app2 (:$port2) on database $db"
# Each instance's pid is the last one started (pids also holds Redis's, started before them).
start_instance app1 $port1 true
pid1=${pids[-1]}
start_instance app2 $port2 false
pid2=${pids[-1]}

wait_ready() { # name port pid
  for _ in $(seq 1 240); do
    kill -0 "$3" 2>/dev/null || fail "$1 exited during start-up (see $run/$1.log)"
    if curl -fsS -o /dev/null "http://127.0.0.1:$2/health/ready" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  fail "$1 was not ready within 120 s"
}
wait_ready app1 $port1 $pid1
wait_ready app2 $port2 $pid2
say "ok: both instances ready ($(( $(date +%s) - started )) s)"
grep -q "Another instance is running the start-up work" "$run/app1.log" "$run/app2.log" \
  && say "ok: one instance waited for the other's migrations (start-up lock)" \
  || say "note: the instances did not overlap in their start-up work this time"
[ "$(sql "select count(*) from data_protection_keys" "$db")" = "1" ] || fail "expected exactly one data-protection key in the database"
say "ok: one shared data-protection key in PostgreSQL"

# --- Shared caches through Redis (issue 17, ADR-012) ----------------------------------------------------------------
for name in app1 app2; do
  for _ in $(seq 1 40); do grep -q "đã liên kết bộ nhớ đệm" "$run/$name.log" && break; sleep 0.25; done
  grep -q "đã liên kết bộ nhớ đệm" "$run/$name.log" || fail "$name did not link its caches to Redis"
done
pages() { rcli --scan --pattern 'dti:oc:*__MSOCV_*' | wc -l; } # the stored pages (values; tag sets are __MSOCT_)
before="$(pages)"
curl -fsS -o "$run/ket-qua.1.html" "http://127.0.0.1:$port1/ket-qua" || fail "app1 did not serve /ket-qua"
[ "$(pages)" -gt "$before" ] || fail "the public page app1 rendered is not in Redis"
curl -fsS -o "$run/ket-qua.2.html" "http://127.0.0.1:$port2/ket-qua" || fail "app2 did not serve /ket-qua"
cmp -s "$run/ket-qua.1.html" "$run/ket-qua.2.html" || fail "app1 and app2 served different public pages"
[ "$(pages)" -gt 0 ] || fail "no public page in Redis"
# What an instance sends after PublishRound (Deployment/SharedCaches.cs): every instance drops its data and evicts the pages.
rcli publish dti:invalidate "cluster-test|p|0" >/dev/null
for _ in $(seq 1 20); do [ "$(pages)" -eq 0 ] && break; sleep 0.25; done
[ "$(pages)" -eq 0 ] || fail "the pages stayed in Redis after a publication message ($(pages) left)"
say "ok: both instances linked to Redis; a public page app1 rendered is kept there; a publication message evicts it for both"

nginx -p "$run/nginx" -c "$run/nginx/nginx.conf" &
nginx_pid=$!
for _ in $(seq 1 40); do curl -ksf -o /dev/null "https://127.0.0.1:$https_port/health/live" && break; sleep 0.25; done

# --- nginx: TLS, redirect, affinity ------------------------------------------------------------------------------------
code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/dang-nhap")"
[ "$code" = "301" ] || fail "HTTP did not redirect to HTTPS (got $code)"
headers="$(curl -ksS -D - -o /dev/null "https://127.0.0.1:$https_port/health/ready")"
grep -qi "^HTTP/[0-9.]* 200" <<<"$headers" || fail "/health/ready through nginx: $headers"
grep -qi "^set-cookie: dti_affinity=" <<<"$headers" || fail "nginx did not set the affinity cookie"
seen=""
for i in $(seq 1 30); do
  name="$(curl -ks -D - -o /dev/null -H "Cookie: dti_affinity=probe$i" "https://127.0.0.1:$https_port/health/live" | awk -F': ' 'tolower($1)=="x-dti-instance" { gsub("\r",""); print $2 }')"
  again="$(curl -ks -D - -o /dev/null -H "Cookie: dti_affinity=probe$i" "https://127.0.0.1:$https_port/health/live" | awk -F': ' 'tolower($1)=="x-dti-instance" { gsub("\r",""); print $2 }')"
  [ -n "$name" ] && [ "$name" = "$again" ] || fail "the same affinity cookie went to '$name' then '$again'"
  case " $seen " in *" $name "*) ;; *) seen="$seen $name";; esac
done
[ "$(wc -w <<<"$seen")" -ge 2 ] || fail "30 different affinity cookies all went to:$seen"
say "ok: TLS, HTTP→HTTPS, affinity cookie; each browser sticks to one instance, browsers spread over:$seen"

# --- Scheduled jobs run once: while a third party holds the reminders' advisory lock, both instances skip them ---------
# (NotificationJobs.ReminderLockKey, "DTIREMND"; the jobs tick every 5 s here.) Runs beside the browser test.
sql "select pg_advisory_lock(4923640910321634884); select pg_sleep(15);" "$db" >/dev/null 2>&1 &
lock_holder=$!

# --- The browser test ---------------------------------------------------------------------------------------------------
results="${DTI_CLUSTER_RESULTS:-$work/results}"
build_flag=()
[ "${DTI_CLUSTER_NO_BUILD:-}" = "1" ] && build_flag=(--no-build)
say "browser test through https://127.0.0.1:$https_port"
DTI_CLUSTER_URL="https://127.0.0.1:$https_port" DTI_CLUSTER_INSTANCES="app1=$pid1:$port1,app2=$pid2:$port2" DTI_CLUSTER_DB="$db_cs" \
  dotnet test tests/DtiPortal.E2E "${build_flag[@]}" -nologo --filter "Category=Cluster" \
    --results-directory "$results" --logger "trx;LogFileName=cluster.trx" --logger "console;verbosity=normal"

# Exactly one instance is gone and the other still serves through nginx.
alive=0
for pid in $pid1 $pid2; do kill -0 "$pid" 2>/dev/null && alive=$((alive + 1)); done
[ $alive -eq 1 ] || fail "expected one instance killed by the test, $alive still running"
curl -ksf -o /dev/null "https://127.0.0.1:$https_port/health/ready" || fail "nginx no longer serves after the failover"
wait "$lock_holder" || true
for name in app1 app2; do
  grep -q "Deadline reminders are running on another instance; skipped" "$run/$name.log" \
    || fail "$name ran the deadline reminders while another session held their lock"
done
say "ok: both instances skip the reminder job while another holds its advisory lock (it runs once across instances)"
say "PASSED"
