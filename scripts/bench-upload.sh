#!/usr/bin/env bash
# Memory benchmark of the evidence upload (issue 5: "an evidence upload of 50 MB with the server's memory growing by less
# than 64 MB"). Starts the web app as scripts/run.sh does (local PostgreSQL, database dti_bench_upload, demo data), signs in
# as the demo commune officer with curl through the real /dang-nhap form, uploads a generated 50 MB PDF-headed file to
# POST /api/bang-chung, and prints the server's resident memory (VmRSS, VmHWM from /proc/PID/status) before and after.
# Usage: scripts/bench-upload.sh [size-in-MB, default 50]. Exits non-zero when RSS grows by 64 MB or more.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

size_mb="${1:-50}"
port="${DTI_BENCH_UPLOAD_PORT:-5098}"
url="http://127.0.0.1:$port"
work=".local/bench-upload"
rm -rf "$work" && mkdir -p "$work/evidence"
jar="$work/cookies.txt"

if [ -z "${ConnectionStrings__Dti:-}" ]; then
  ConnectionStrings__Dti="$(scripts/pg-start.sh);Database=dti_bench_upload"
fi
export ConnectionStrings__Dti ASPNETCORE_ENVIRONMENT=Development
export Evidence__Directory="$PWD/$work/evidence" Evidence__MaxFileSizeMB="$size_mb" Demo__Seed=true

echo "bench-upload: build…" >&2
dotnet build src/DtiPortal.Web -nologo -v q -clp:ErrorsOnly >&2

dotnet src/DtiPortal.Web/bin/Debug/net10.0/DtiPortal.Web.dll --urls "$url" --contentRoot "$PWD/src/DtiPortal.Web" >"$work/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs "$url/health" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "bench-upload: the app stopped; see $work/server.log" >&2; exit 1; }
  sleep 1
done
curl -fs "$url/health" >/dev/null || { echo "bench-upload: the app did not answer /health" >&2; exit 1; }

rss() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; } # kB
token_of() { grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | head -n1 | sed 's/.*value="\([^"]*\)"/\1/'; }

# Sign in through the real form, then take the token the page gives the signed-in user.
login_token="$(curl -fs -c "$jar" -b "$jar" "$url/dang-nhap" | token_of)"
curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_handler=login" --data-urlencode "Input.UserName=xa.lacdao" \
  --data-urlencode "Input.Password=DtiDemo2024" --data-urlencode "__RequestVerificationToken=$login_token" "$url/dang-nhap"
token="$(curl -fs -c "$jar" -b "$jar" "$url/" | token_of)"
[ -n "$token" ] || { echo "bench-upload: sign-in failed" >&2; exit 1; }

# An assessment of Lạc Đạo that still takes figures (the demo data has one; otherwise a benchmark round is added).
psql_conn="postgresql://postgres@127.0.0.1:${DTI_PG_PORT:-55432}/dti_bench_upload"
assessment="$(psql -qtA "$psql_conn" -c "
  select a.id from assessments a join units u on u.id = a.unit_id join assessment_rounds r on r.id = a.round_id
   where u.code = '33-VL-LDA' and a.status in ('Draft', 'Returned') and r.status = 'Open' order by a.id limit 1")"
if [ -z "$assessment" ]; then
  assessment="$(psql -qtA "$psql_conn" -c "
    with r as (insert into assessment_rounds (year, name, criteria_set_version_id, province_unit_id, level_code, entry_deadline,
                 review_deadline, council_deadline, has_district_tier, status, created_at, created_by)
               select 2099, 'Benchmark', (select min(id) from criteria_set_versions), (select id from units where code = '33'),
                      (select level_code from units where code = '33-VL-LDA'), '2099-12-01', '2099-12-10', '2099-12-20', true, 'Open', now(), 'bench'
               returning id)
    insert into assessments (unit_id, round_id, status) select (select id from units where code = '33-VL-LDA'), r.id, 'Draft' from r returning id")"
fi

upload() { # file name criterion
  curl -s -b "$jar" -H "RequestVerificationToken: $token" -F "file=@$1;filename=$2;type=application/pdf" \
    -w '\n%{http_code} %{time_total}s\n' "$url/api/bang-chung?assessmentId=$assessment&criterion=$3"
}

# Warm up (JIT, connection pool, first request paths) with a small file, then measure.
head -c 1048576 /dev/urandom > "$work/warm.bin"; { printf '%%PDF-1.7\n'; cat "$work/warm.bin"; } > "$work/warm.pdf"
upload "$work/warm.pdf" warm.pdf 1.1 >/dev/null
sleep 2
before_rss="$(rss VmRSS)"; before_hwm="$(rss VmHWM)"

bytes=$((size_mb * 1024 * 1024))
{ printf '%%PDF-1.7\n'; head -c $((bytes - 9)) /dev/urandom; } > "$work/bench.pdf"
echo "bench-upload: uploading $(stat -c %s "$work/bench.pdf") bytes…" >&2
result="$(upload "$work/bench.pdf" bench.pdf 1.2)"
after_rss="$(rss VmRSS)"; after_hwm="$(rss VmHWM)"
echo "$result" | head -n1 | cut -c1-300
status="$(echo "$result" | tail -n1)"

stored="$(find "$work/evidence" -type f -size +$((size_mb - 1))M | head -n1)"
sha_local="$(sha256sum "$work/bench.pdf" | cut -d' ' -f1)"
growth=$(( (after_rss - before_rss) / 1024 ))
peak=$(( (after_hwm > before_rss ? after_hwm - before_rss : 0) / 1024 ))
cat <<MSG
bench-upload: HTTP $status
  file:              $bytes bytes, sha256 $sha_local
  stored:            ${stored:-NOT FOUND} $( [ -n "$stored" ] && sha256sum "$stored" | cut -d' ' -f1 )
  RSS before:        $((before_rss / 1024)) MB  (peak so far $((before_hwm / 1024)) MB)
  RSS after:         $((after_rss / 1024)) MB  (peak $((after_hwm / 1024)) MB)
  growth:            $growth MB (RSS after - before); peak above the starting RSS: $peak MB
MSG
case "$status" in 200*) ;; *) echo "bench-upload: upload failed" >&2; exit 1;; esac
[ "$growth" -lt 64 ] && [ "$peak" -lt 64 ] || { echo "bench-upload: memory grew by 64 MB or more" >&2; exit 1; }
