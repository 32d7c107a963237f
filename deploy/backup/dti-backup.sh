#!/usr/bin/env bash
# dti-backup.sh — one backup of DtiPortal: the PostgreSQL database (pg_dump -Fc) and the evidence store.
#
#   deploy/backup/dti-backup.sh [--env-file /etc/dti/dti.env] [--dest /var/backups/dti] [--keep 14]
#                               [--dbname NAME] [--evidence-dir DIR | --content-root DIR]
#
# Settings are the app's own (deploy/backup/dti-backup-common.sh): ConnectionStrings__Dti (or the standard PG* variables),
# Evidence__Store, Evidence__Directory — from the environment or --env-file. Run it with the OWNER's connection string (the
# login that runs `dti migrate`, ADR-006), not the web app's: the web app's login sees only what row-level security allows.
#
# One backup is a DIRECTORY dti-backup-<database>-<UTC time>/ holding
#   database.dump     pg_dump -Fc (custom format: compressed; pg_restore reads it directly, lists it, restores parts)
#   evidence.tar      the Evidence directory (without tmp/, the uploads still in progress); absent with Evidence__Store=S3
#   evidence.sha256   "<sha256>  ./<key>" of every file in evidence.tar, computed from the archive itself
#   manifest.txt      time, host, database, server version, latest applied migration, app commit, counts, sizes
#   SHA256SUMS        checksums of the four files above (sha256sum -c SHA256SUMS)
# A directory rather than one .tar: the dump and the archive are read in place (no second copy to unpack, pg_restore can
# list the dump), and `sha256sum -c` checks it where it lies; to ship it off the machine, copy the directory (rsync -a)
# or tar it once — it is compressed already. It is written as .incomplete-… and renamed at the very end, so a directory
# named dti-backup-… is always complete; a failed run removes its .incomplete-… directory and exits non-zero.
#
# Consistency between the database and the files (no lock, no downtime): the database is dumped FIRST, the files AFTER.
# pg_dump reads one snapshot; the app writes a file before the row that points at it commits (an upload goes to tmp/<guid>,
# is moved to u<unit>/<month>/<guid>, and only then is its evidence_files row inserted; a decision's PDF is written before
# recognised_results.minutes_key/decision_key are set). So every row in the dump points at a file that already existed when
# the dump began, and is therefore in the archive taken after it. The archive may hold extra files (uploads committed
# after the snapshot, soft-deleted evidence): harmless, the restored rows never point at them. The script checks this
# before it names the backup complete: every key the dump's rows hold must be in the archive, with the row's sha256.
#
# Exit codes: 0 done · 1 failure while backing up · 2 usage or settings · 3 PostgreSQL unreachable.
set -euo pipefail

DTI_TOOL="dti-backup"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/dti-backup-common.sh
. "$here/dti-backup-common.sh"

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  echo "Xem docs/operations/backup-restore.md / see docs/operations/backup-restore.md"
}

dest="${DTI_BACKUP_DIR:-/var/backups/dti}"
keep=0
env_file=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dest) dest="${2:?--dest cần một thư mục}"; shift 2 ;;
    --keep) keep="${2:?--keep cần một số}"; shift 2 ;;
    --env-file) env_file="${2:?--env-file cần một tệp}"; shift 2 ;;
    --dbname) export DTI_DBNAME_OVERRIDE="${2:?--dbname cần tên cơ sở dữ liệu}"; shift 2 ;;
    --evidence-dir) export DTI_EVIDENCE_DIR_OVERRIDE="${2:?--evidence-dir cần một thư mục}"; shift 2 ;;
    --content-root) export DTI_CONTENT_ROOT="${2:?--content-root cần một thư mục}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; dti_die 2 "Tham số không hợp lệ: $1 / unknown argument." ;;
  esac
done
case "$keep" in ''|*[!0-9]*) dti_die 2 "--keep phải là số nguyên ≥ 0 (0 = giữ tất cả)." ;; esac
[ -z "$env_file" ] || dti_load_env_file "$env_file"

dti_connection_setup
dti_pick_bindir "$PGDATABASE"
store="$(dti_evidence_store)"
evidence_dir=""
if [ "$store" = directory ]; then evidence_dir="$(dti_evidence_dir)"; fi

mkdir -p "$dest" || dti_die 1 "Không tạo được thư mục sao lưu '$dest' / cannot create the backup folder."
dest="$(cd "$dest" && pwd)"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
name="dti-backup-${PGDATABASE}-${stamp}"
final="$dest/$name"
work="$dest/.incomplete-$name"
[ ! -e "$final" ] || dti_die 1 "Đã có bản sao lưu '$final' / a backup of that name exists."
mkdir "$work"
cleanup() {
  local rc=$?
  if [ $rc -ne 0 ] && [ -d "$work" ]; then
    rm -rf -- "$work"
    echo "$DTI_TOOL: THẤT BẠI — không có bản sao lưu nào được tạo (đã xoá phần dở dang). / FAILED — no backup was made (partial files removed)." >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

dti_say "Sao lưu $(dti_describe_target) (PostgreSQL $DTI_SERVER_MAJOR, công cụ $DTI_BINDIR) → $final"

# The session must see every row: a superuser, or the owner with dti.scope_all (set in PGOPTIONS by the common part).
check="$(dti_psql -c "select (select rolsuper or rolbypassrls from pg_roles where rolname = current_user)::text
                              || ' ' || coalesce((select dti_scope_unrestricted()), false)::text" 2>&1)" \
  || dti_die 1 "Không đọc được cơ sở dữ liệu '$PGDATABASE' (đã chạy dti migrate chưa?): $check"
case "$check" in
  "true "*|*" true") ;;
  *) dti_die 1 "Phiên của '${PGUSER:-$(id -un)}' không thấy mọi dòng (row-level security): hãy sao lưu bằng tài khoản chủ sở hữu (chạy dti migrate), không phải tài khoản của web app." \
       "This login does not see every row under row-level security: back up as the owner, not the web app's login." ;;
esac

# 1. The database, first (see the header).
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
if ! err="$("$DTI_BINDIR/pg_dump" -w -Fc --enable-row-security -f "$work/database.dump" 2>&1)"; then
  dti_die 1 "pg_dump thất bại / failed: $err"
fi
[ -z "$err" ] || dti_say "pg_dump: $err"
# Read back: the dump must list, and its migration history tells the schema version (from the dump itself: the same snapshot).
"$DTI_BINDIR/pg_restore" -l "$work/database.dump" >"$work/.toc" || dti_die 1 "Tệp dump vừa tạo không đọc lại được / the new dump does not read back."
migration="$("$DTI_BINDIR/pg_restore" --data-only --table=__ef_migrations -f - "$work/database.dump" \
  | awk '/^COPY public\.__ef_migrations /{c=1; next} c && $0=="\\."{c=0} c {split($0,f,"\t"); print f[1]}' | LC_ALL=C sort | tail -n 1)"
[ -n "$migration" ] || dti_die 1 "Cơ sở dữ liệu '$PGDATABASE' chưa có lược đồ của ứng dụng (bảng __ef_migrations trống) — có đúng cơ sở dữ liệu không?" \
  "The database holds no applied migration: is it the right database?"
tables="$(grep -c ' TABLE DATA ' "$work/.toc" || true)"
rm -f "$work/.toc"

# 2. The evidence files, after the dump.
evidence_files=0
if [ "$store" = directory ]; then
  if [ -d "$evidence_dir" ]; then
    set +e
    err="$(tar -C "$evidence_dir" --exclude=./tmp --warning=no-file-changed -cf "$work/evidence.tar" . 2>&1)"; rc=$?
    set -e
    if [ $rc -eq 1 ]; then dti_say "tar: một số tệp đổi trong lúc chép (được bỏ qua nếu không dòng nào trỏ tới): $err"
    elif [ $rc -ne 0 ]; then dti_die 1 "Không đóng gói được thư mục tài liệu kiểm chứng '$evidence_dir': $err"; fi
  else
    dti_say "Chưa có thư mục tài liệu kiểm chứng '$evidence_dir' — lưu một kho trống. / No evidence folder yet: archiving an empty store."
    tar -cf "$work/evidence.tar" -T /dev/null
  fi
  dti_tar_checksums "$work/evidence.tar" >"$work/evidence.sha256" || dti_die 1 "Không đọc lại được evidence.tar / the archive does not read back."
  evidence_files="$(wc -l <"$work/evidence.sha256" | tr -d ' ')"
  dti_referenced_keys "$work/database.dump" >"$work/.refs"
  if ! missing="$(dti_check_references "$work/.refs" "$work/evidence.sha256")"; then
    dti_die 1 "Có dòng trong cơ sở dữ liệu trỏ tới tệp không có trong kho '$evidence_dir' (kho đặt sai chỗ, hoặc tệp đã bị xoá ngoài ứng dụng):" \
      "$(printf '%s\n' "$missing" | head -n 20)" "Rows of the database point at files missing from the evidence folder."
  fi
  referenced="$(wc -l <"$work/.refs" | tr -d ' ')"
  rm -f "$work/.refs"
else
  dti_s3_note
  referenced="n/a"
fi

# 3. The manifest and the checksums.
commit="${DTI_APP_COMMIT:-}"
if [ -z "$commit" ] && command -v git >/dev/null 2>&1; then commit="$(git -C "$here" rev-parse --short=12 HEAD 2>/dev/null || true)"; fi
server_version="$(dti_psql -c 'show server_version')"
{
  echo "format=dti-backup/1"
  echo "created_at=$started"
  echo "finished_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host=$(hostname)"
  echo "database=$PGDATABASE"
  echo "database_user=${PGUSER:-$(id -un)}"
  echo "server_version=$server_version"
  echo "pg_dump_version=$("$DTI_BINDIR/pg_dump" --version)"
  echo "latest_migration=$migration"
  echo "app_commit=${commit:-unknown}"
  echo "tables_with_data=$tables"
  echo "evidence_store=$store"
  if [ "$store" = directory ]; then
    echo "evidence_dir=$evidence_dir"
    echo "evidence_files=$evidence_files"
    echo "evidence_referenced=$referenced"
  fi
  echo "database_dump_bytes=$(stat -c %s "$work/database.dump")"
} >"$work/manifest.txt"
summed=(database.dump manifest.txt)
[ "$store" != directory ] || summed+=(evidence.tar evidence.sha256)
(cd "$work" && sha256sum -- "${summed[@]}" >SHA256SUMS)
sync -f "$work/SHA256SUMS" 2>/dev/null || sync

# 4. Complete: the rename is what makes it a backup.
mv -- "$work" "$final"
trap - EXIT
size="$(du -sh "$final" | cut -f1)"
echo "Đã sao lưu / backup complete: $final ($size; migration $migration; $evidence_files tệp kiểm chứng)"

# 5. Retention: keep the newest N complete backups of this database.
if [ "$keep" -gt 0 ]; then
  mine=()
  while IFS= read -r d; do
    stamp_of="${d##*/dti-backup-"${PGDATABASE}"-}"
    [[ "$stamp_of" =~ ^[0-9]{8}T[0-9]{6}Z$ ]] && [ -f "$d/manifest.txt" ] && mine+=("$d")
  done < <(find "$dest" -maxdepth 1 -type d -name "dti-backup-${PGDATABASE}-*" | LC_ALL=C sort -r)
  for d in "${mine[@]:keep}"; do
    rm -rf -- "$d" && echo "Đã xoá bản sao lưu cũ / removed old backup: $d"
  done
fi
stale="$(find "$dest" -maxdepth 1 -type d -name '.incomplete-*' -mmin +1440 | head -n 5)"
[ -z "$stale" ] || dti_say "Có thư mục dở dang từ lần chạy bị ngắt (có thể xoá): / leftovers of interrupted runs (safe to delete): $stale"
