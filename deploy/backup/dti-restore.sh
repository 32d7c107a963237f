#!/usr/bin/env bash
# dti-restore.sh — restores a backup made by dti-backup.sh into an EMPTY database and an empty evidence folder.
#
#   deploy/backup/dti-restore.sh [--env-file /etc/dti/dti.env] [--dbname NAME] [--evidence-dir DIR | --content-root DIR]
#                                [--force] /var/backups/dti/dti-backup-dti-20261122T020000Z
#
# Target: the app's settings (ConnectionStrings__Dti or PG*, Evidence__Directory), as for dti-backup.sh. Run it as the
# login that will own the tables (the one `dti migrate` uses, ADR-006): everything restored is owned by it (--no-owner).
#
# Order, so that nothing is touched before the backup is known to be good:
#   1. verify the backup: SHA256SUMS, the dump lists, every file of evidence.tar has its recorded checksum, and every
#      key the dump's rows point at is in the archive with the row's sha256 — a corrupt or truncated backup stops here;
#   2. check the target: the database must have no tables and the evidence folder no files (--force: restore over them);
#      a missing database is created;
#   3. create the role dti_app when the cluster lacks it (NOLOGIN NOBYPASSRLS, as migration TenancyAndAudit does);
#   4. pg_restore in ONE transaction, stopping at the first error (all or nothing): tables, data, grants to dti_app,
#      row-level security and its policies, triggers. The default privileges (grants on tables later migrations create)
#      are set again for the restoring login, which now owns the tables;
#   5. unpack the evidence files and check them against the restored rows;
#   6. compare the backup's latest migration with the app: run `dti migrate` when the app is newer.
#
# Exit codes: 0 done · 1 failure · 2 usage or settings · 3 PostgreSQL unreachable · 4 the backup is damaged (nothing
# touched) · 5 the target is not empty (nothing touched).
set -euo pipefail

DTI_TOOL="dti-restore"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/dti-backup-common.sh
. "$here/dti-backup-common.sh"

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  echo "Xem docs/operations/backup-restore.md / see docs/operations/backup-restore.md"
}

force=0
env_file=""
backup=""
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1; shift ;;
    --env-file) env_file="${2:?--env-file cần một tệp}"; shift 2 ;;
    --dbname) export DTI_DBNAME_OVERRIDE="${2:?--dbname cần tên cơ sở dữ liệu}"; shift 2 ;;
    --evidence-dir) export DTI_EVIDENCE_DIR_OVERRIDE="${2:?--evidence-dir cần một thư mục}"; shift 2 ;;
    --content-root) export DTI_CONTENT_ROOT="${2:?--content-root cần một thư mục}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; dti_die 2 "Tham số không hợp lệ: $1 / unknown argument." ;;
    *) [ -z "$backup" ] || dti_die 2 "Chỉ một bản sao lưu mỗi lần / one backup at a time."; backup="$1"; shift ;;
  esac
done
[ -n "$backup" ] || { usage >&2; dti_die 2 "Thiếu thư mục bản sao lưu / which backup?"; }
[ -z "$env_file" ] || dti_load_env_file "$env_file"
[ -d "$backup" ] || dti_die 2 "Không có thư mục bản sao lưu '$backup' / no such backup directory."
backup="$(cd "$backup" && pwd)"
damaged() { dti_die 4 "Bản sao lưu '$backup' bị hỏng hoặc không đầy đủ — KHÔNG khôi phục, chưa động vào đích. / The backup is damaged or incomplete — nothing was restored or touched." "$@"; }

# ---- 1. the backup -----------------------------------------------------------------------------------------------------
case "$(basename "$backup")" in .incomplete-*) damaged "Đây là thư mục dở dang của một lần sao lưu chưa xong / an unfinished backup." ;; esac
for f in manifest.txt SHA256SUMS database.dump; do [ -f "$backup/$f" ] || damaged "Thiếu tệp $f / $f is missing."; done
sums="$(cd "$backup" && sha256sum --strict -c SHA256SUMS 2>&1)" || damaged "Mã băm không khớp / checksums differ:" "$(printf '%s\n' "$sums" | grep -v ': OK$' | head -n 10)"
manifest() { sed -n "s/^$1=//p" "$backup/manifest.txt" | head -n 1; }
[ "$(manifest format)" = "dti-backup/1" ] || damaged "manifest.txt không phải của dti-backup (format=$(manifest format))."
store="$(manifest evidence_store)"
if [ "$store" = directory ]; then
  for f in evidence.tar evidence.sha256; do [ -f "$backup/$f" ] || damaged "Thiếu tệp $f / $f is missing."; done
  grep -q ' evidence.tar$' "$backup/SHA256SUMS" || damaged "SHA256SUMS không ghi evidence.tar."
fi
for f in database.dump manifest.txt; do grep -q " $f\$" "$backup/SHA256SUMS" || damaged "SHA256SUMS không ghi $f."; done

dti_connection_setup
target_db="$PGDATABASE"
dti_pick_bindir postgres
scratch="$(mktemp -d)"
trap 'rm -rf -- "$scratch"' EXIT
# Read the whole dump once (every table's data decompresses), not just its table of contents.
"$DTI_BINDIR/pg_restore" -f /dev/null "$backup/database.dump" 2>"$scratch/dump.err" \
  || damaged "pg_restore không đọc được database.dump: $(head -c 500 "$scratch/dump.err")"
migration="$(manifest latest_migration)"
if [ "$store" = directory ]; then
  dti_tar_checksums "$backup/evidence.tar" >"$scratch/actual.sha256" 2>"$scratch/tar.err" || damaged "evidence.tar không đọc được: $(head -c 500 "$scratch/tar.err")"
  cmp -s "$scratch/actual.sha256" "$backup/evidence.sha256" || damaged "Nội dung evidence.tar khác danh sách evidence.sha256 / the archive differs from its checksum list."
  dti_referenced_keys "$backup/database.dump" >"$scratch/refs" || damaged "Không đọc được dữ liệu trong database.dump."
  missing="$(dti_check_references "$scratch/refs" "$backup/evidence.sha256")" || damaged "Có dòng trỏ tới tệp không có trong evidence.tar:" "$(printf '%s\n' "$missing" | head -n 20)"
  evidence_dir="$(dti_evidence_dir)"
fi
dti_say "Bản sao lưu hợp lệ / backup verified: $(manifest created_at), migration $migration, $(manifest evidence_files) tệp kiểm chứng."

# ---- 2. the target -----------------------------------------------------------------------------------------------------
sql_literal() { printf "'%s'" "${1//\'/\'\'}"; }
exists="$(PGDATABASE=postgres dti_psql -c "select count(*) from pg_database where datname = $(sql_literal "$target_db")")"
if [ "$store" = directory ] && [ -d "$evidence_dir" ] && [ -n "$(find "$evidence_dir" -mindepth 1 -type f ! -path "$evidence_dir/tmp/*" -print -quit)" ] && [ $force -eq 0 ]; then
  dti_die 5 "Thư mục tài liệu kiểm chứng '$evidence_dir' đã có tệp: chỉ khôi phục vào thư mục trống (hoặc dùng --force để ghi đè). Chưa thay đổi gì." \
    "The evidence folder is not empty: restore into an empty one, or pass --force. Nothing was changed."
fi
if [ "$exists" = 1 ]; then
  tables="$(dti_psql -c "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
                        where c.relkind in ('r','p','v','m','S','f') and n.nspname not in ('pg_catalog','information_schema')
                          and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'")" \
    || dti_die 1 "Không đọc được cơ sở dữ liệu đích '$target_db'."
  if [ "$tables" != 0 ] && [ $force -eq 0 ]; then
    dti_die 5 "Cơ sở dữ liệu đích '$target_db' không trống ($tables bảng/chuỗi): chỉ khôi phục vào cơ sở dữ liệu trống. Chưa thay đổi gì." \
      "The target database is not empty ($tables relations): create an empty one (createdb), or pass --force to restore over it (objects of the backup are dropped and recreated). Nothing was changed."
  fi
else
  dti_say "Tạo cơ sở dữ liệu / creating database $target_db"
  PGDATABASE=postgres dti_psql -q -c "create database \"${target_db//\"/\"\"}\"" \
    || dti_die 1 "Không tạo được cơ sở dữ liệu '$target_db' (cần quyền CREATEDB, hoặc tạo trước: createdb -O <chủ sở hữu> $target_db)."
fi

# ---- 3. the application role -------------------------------------------------------------------------------------------
if [ "$(dti_psql -c "select count(*) from pg_roles where rolname = 'dti_app'")" = 0 ]; then
  dti_say "Tạo vai trò dti_app / creating role dti_app (NOLOGIN NOBYPASSRLS)"
  dti_psql -q -c "create role dti_app nologin nosuperuser nocreatedb nocreaterole nobypassrls" \
    || dti_die 1 "Không tạo được vai trò dti_app: người quản trị PostgreSQL cần tạo trước (CREATE ROLE dti_app NOLOGIN NOBYPASSRLS; xem docs/decisions/ADR-006-tenancy.md)."
fi

# ---- 4. the database ---------------------------------------------------------------------------------------------------
# Default privileges name the role that had them at backup time; they are set again below for the restoring login.
"$DTI_BINDIR/pg_restore" -l "$backup/database.dump" | grep -v ' DEFAULT ACL ' >"$scratch/list"
clean=()
[ $force -eq 0 ] || clean=(--clean --if-exists)
dti_say "Khôi phục cơ sở dữ liệu (một giao dịch) / restoring the database (one transaction) → $(dti_describe_target)"
if ! err="$("$DTI_BINDIR/pg_restore" -w --no-owner --exit-on-error --single-transaction "${clean[@]}" -L "$scratch/list" \
      -d "$target_db" "$backup/database.dump" 2>&1)"; then
  dti_die 1 "pg_restore thất bại — giao dịch đã huỷ, cơ sở dữ liệu đích như trước: / failed, rolled back:" "$err"
fi
dti_psql -q -c "alter default privileges in schema public grant select, insert, update, delete on tables to dti_app;
                alter default privileges in schema public grant usage, select on sequences to dti_app;"

# ---- 5. the evidence files ---------------------------------------------------------------------------------------------
if [ "$store" = directory ]; then
  mkdir -p "$evidence_dir"
  tar -C "$evidence_dir" --no-same-owner -xf "$backup/evidence.tar" || dti_die 1 "Không giải nén được evidence.tar vào '$evidence_dir'."
  [ ! -s "$backup/evidence.sha256" ] || (cd "$evidence_dir" && sha256sum --quiet --strict -c "$backup/evidence.sha256") >"$scratch/check" 2>&1 \
    || dti_die 1 "Tệp kiểm chứng sau khi giải nén không khớp mã băm:" "$(head -n 10 "$scratch/check")"
  # The restored rows against the restored files (as the database now says, not as the backup says).
  dti_psql -F '  ' -c "select sha256, storage_key from evidence_files where storage_key is not null
                       union all select '-', minutes_key from recognised_results where minutes_key is not null
                       union all select '-', decision_key from recognised_results where decision_key is not null
                       union all select '-', decision_document_key from criteria_set_versions where decision_document_key is not null
                       union all select '-', decision_document_key from criteria_set_drafts where decision_document_key is not null" >"$scratch/rows"
  missing="$(dti_check_references "$scratch/rows" "$backup/evidence.sha256")" \
    || dti_die 1 "Có dòng đã khôi phục trỏ tới tệp không có:" "$(printf '%s\n' "$missing" | head -n 20)"
  dti_say "Đã khôi phục $(manifest evidence_files) tệp kiểm chứng vào $evidence_dir ($(wc -l <"$scratch/rows" | tr -d ' ') dòng trỏ tới tệp, đều khớp)."
  [ "$(id -u)" != 0 ] || dti_say "Chạy bằng root: nhớ chown -R cho người dùng của ứng dụng / running as root: chown -R the folder to the app's user."
else
  dti_s3_note
  dti_say "Với S3: khôi phục bucket (phiên bản cùng thời điểm hoặc muộn hơn bản sao lưu này) bằng công cụ của S3."
fi

# ---- 6. the schema version ---------------------------------------------------------------------------------------------
echo "Đã khôi phục / restore complete: $backup → $(dti_describe_target)"
echo "  Migration mới nhất trong bản sao lưu / latest migration in the backup: $migration"
echo "  Nếu ứng dụng mới hơn bản sao lưu, chạy 'dti migrate' trước khi khởi động web app; kiểm tra điểm: 'dti scores export --all'."
echo "  If the app is newer than the backup, run 'dti migrate' before starting the web app; verify with 'dti scores export --all'."
