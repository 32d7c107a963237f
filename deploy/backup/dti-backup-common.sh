# shellcheck shell=bash
# Shared by dti-backup.sh and dti-restore.sh (sourced, not run). Reads the same settings as the app:
#   ConnectionStrings__Dti   the Npgsql connection string (Host=…;Port=…;Username=…;Password=…;Database=…)
#                            → PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE for pg_dump/psql;
#                            without it the standard PG* variables (and ~/.pgpass) are used as they are.
#   Evidence__Store          Directory (default) or S3
#   Evidence__Directory      the evidence folder (default storage/evidence, relative to the app's content root)
# from the environment, or from an environment file (--env-file, the systemd EnvironmentFile format: KEY=VALUE lines).

dti_say() { echo "$DTI_TOOL: $*" >&2; }
dti_die() {
  local code="$1"; shift
  local line
  for line in "$@"; do echo "$DTI_TOOL: LỖI / ERROR: $line" >&2; done
  exit "$code"
}

# Reads KEY=VALUE lines of a systemd EnvironmentFile without running it as shell code (a connection string holds ';').
# Only the keys this tool uses are taken; a variable already set in the environment wins over the file.
dti_load_env_file() {
  local file="$1" line key value
  [ -r "$file" ] || dti_die 2 "Không đọc được tệp cấu hình '$file' / cannot read the environment file."
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line#"${line%%[![:space:]]*}"}"
    case "$line" in ''|'#'*|';'*) continue ;; esac
    line="${line#export }"
    key="${line%%=*}"
    [ "$key" != "$line" ] || continue
    value="${line#*=}"
    case "$value" in
      \"*\") value="${value#\"}"; value="${value%\"}" ;;
      \'*\') value="${value#\'}"; value="${value%\'}" ;;
    esac
    case "$key" in
      ConnectionStrings__Dti|Evidence__Store|Evidence__Directory|Database__AppRole|DTI_CONTENT_ROOT|PGHOST|PGPORT|PGUSER|PGPASSWORD|PGDATABASE|PGSSLMODE|PGPASSFILE)
        if [ -z "${!key:-}" ]; then export "$key=$value"; fi ;;
    esac
  done <"$file"
}

# ConnectionStrings__Dti → PG* variables. Values containing ';' or quotes are not supported here: put such a password in
# ~/.pgpass (or PGPASSWORD) and leave it out of the string.
dti_apply_connection_string() {
  local cs="${ConnectionStrings__Dti:-}" part key value
  [ -n "$cs" ] || return 0
  local IFS=';'
  for part in $cs; do
    [ -n "${part//[[:space:]]/}" ] || continue
    key="${part%%=*}"; value="${part#*=}"
    [ "$key" != "$part" ] || dti_die 2 "Chuỗi kết nối ConnectionStrings__Dti không đọc được ở phần '$part' / malformed connection string."
    key="$(printf '%s' "$key" | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]')"
    value="${value#"${value%%[![:space:]]*}"}"; value="${value%"${value##*[![:space:]]}"}"
    case "$key" in
      host|server) export PGHOST="$value" ;;
      port) export PGPORT="$value" ;;
      username|userid|user|uid) export PGUSER="$value" ;;
      password|pwd|psw) export PGPASSWORD="$value" ;;
      database|db|initialcatalog) export PGDATABASE="$value" ;;
      sslmode)
        value="$(printf '%s' "$value" | tr '[:upper:]' '[:lower:]')"
        case "$value" in verifyca) value=verify-ca ;; verifyfull) value=verify-full ;; esac
        export PGSSLMODE="$value" ;;
      timeout) export PGCONNECT_TIMEOUT="$value" ;;
      targetsessionattributes)
        value="$(printf '%s' "$value" | tr '[:upper:]' '[:lower:]')"
        case "$value" in readwrite|preferprimary) value=read-write ;; readonly) value=read-only ;; preferstandby) value=prefer-standby ;; esac
        export PGTARGETSESSIONATTRS="$value" ;;
      *) ;; # pooling, command timeout, … mean nothing to pg_dump
    esac
  done
}

# The owner runs under FORCEd row-level security (ADR-006): the policies let it see every row only when the session says
# dti.scope_all = true. Every session of these tools (psql, pg_dump, pg_restore) gets it; superusers bypass RLS anyway.
dti_connection_setup() {
  dti_apply_connection_string
  [ -n "${DTI_DBNAME_OVERRIDE:-}" ] && export PGDATABASE="$DTI_DBNAME_OVERRIDE"
  [ -n "${PGDATABASE:-}" ] || dti_die 2 "Chưa biết cơ sở dữ liệu nào: đặt ConnectionStrings__Dti (hoặc PGDATABASE), hoặc dùng --env-file / --dbname." \
    "No database: set ConnectionStrings__Dti (or PGDATABASE), or pass --env-file / --dbname."
  export PGOPTIONS="${PGOPTIONS:+$PGOPTIONS }-c dti.scope_all=true"
  export PGAPPNAME="$DTI_TOOL"
  export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-10}"
}

dti_describe_target() { echo "${PGUSER:-$(id -un)}@${PGHOST:-local socket}:${PGPORT:-5432}/${PGDATABASE}"; }

# psql/pg_dump/pg_restore of the server's major version (pg_dump refuses a newer server; PostgreSQL's packages install
# several side by side under /usr/lib/postgresql/<major>/bin). PG_BINDIR overrides.
dti_pick_bindir() {
  local db="${1:-$PGDATABASE}" probe num major candidate
  if [ -n "${PG_BINDIR:-}" ]; then DTI_BINDIR="$PG_BINDIR"; return 0; fi
  probe="$(command -v psql || true)"
  if [ -z "$probe" ]; then probe="$(find /usr/lib/postgresql -path '*/bin/psql' 2>/dev/null | sort -V | tail -n 1 || true)"; fi
  [ -n "$probe" ] || dti_die 2 "Không tìm thấy psql/pg_dump: cài gói postgresql-client (apt-get install -y postgresql-client)." \
    "psql/pg_dump not found: install postgresql-client."
  if ! num="$(PGDATABASE="$db" "$probe" -X -w -At -v ON_ERROR_STOP=1 -c 'show server_version_num' 2>&1)"; then
    dti_die 3 "Không kết nối được PostgreSQL ($(dti_describe_target)): $num" "Cannot connect to PostgreSQL."
  fi
  major=$((num / 10000))
  export DTI_SERVER_MAJOR="$major"
  local candidates
  mapfile -t candidates < <(echo "/usr/lib/postgresql/$major/bin"; find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V; dirname "$probe")
  for candidate in "${candidates[@]}"; do
    if [ ! -x "$candidate/pg_dump" ] || [ ! -x "$candidate/pg_restore" ] || [ ! -x "$candidate/psql" ]; then continue; fi
    local v
    v="$("$candidate/pg_dump" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)?.*/\1/')"
    if [ "$v" -ge "$major" ]; then DTI_BINDIR="$candidate"; return 0; fi
  done
  dti_die 2 "Không có pg_dump phiên bản $major trở lên cho máy chủ PostgreSQL $major: cài postgresql-client-$major." \
    "No pg_dump >= $major for this PostgreSQL $major server: install postgresql-client-$major."
}

dti_psql() { "$DTI_BINDIR/psql" -X -w -At -v ON_ERROR_STOP=1 "$@"; }

# The evidence folder as the app resolves it (EvidenceServices.CreateStore): absolute as given, else under the content root.
dti_evidence_dir() {
  local dir="${DTI_EVIDENCE_DIR_OVERRIDE:-${Evidence__Directory:-storage/evidence}}"
  case "$dir" in
    /*) ;;
    *)
      if [ -n "${DTI_EVIDENCE_DIR_OVERRIDE:-}" ]; then dir="$(pwd)/$dir"
      elif [ -n "${DTI_CONTENT_ROOT:-}" ]; then dir="$DTI_CONTENT_ROOT/$dir"
      else
        dti_die 2 "Evidence__Directory='$dir' là đường dẫn tương đối: cho biết thư mục gốc của ứng dụng (--content-root hoặc DTI_CONTENT_ROOT) hoặc dùng --evidence-dir." \
          "Evidence__Directory is relative: pass --content-root (or DTI_CONTENT_ROOT) or --evidence-dir."
      fi ;;
  esac
  printf '%s\n' "${dir%/}"
}

dti_evidence_store() {
  local s="${Evidence__Store:-Directory}"
  s="$(printf '%s' "$s" | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]')"
  case "$s" in ''|directory) echo directory ;; s3) echo s3 ;; *) dti_die 2 "Evidence__Store='$s' không hợp lệ (Directory hoặc S3)." ;; esac
}

dti_s3_note() {
  dti_say "Tài liệu kiểm chứng nằm trong S3 (Evidence__Store=S3): bản sao lưu này KHÔNG chứa các tệp đó."
  dti_say "  Hãy bật versioning/replication cho bucket, hoặc chép bằng: aws s3 sync s3://<bucket> <thư mục sao lưu> --endpoint-url <ServiceUrl>"
  dti_say "  Evidence is in S3: this backup does NOT hold the files. Use the bucket's versioning/replication, or 'aws s3 sync', taken AFTER this dump."
}

# "<sha256 or ->  <key>" for every object the dump's rows point at: evidence_files.storage_key (with its sha256), the
# recognised results' PDFs and the criteria sets' (and drafts') decision documents. Read from the dump itself (COPY text; keys are [a-z0-9/_.-], so no escapes), so it is exactly
# the snapshot the database will be restored to.
dti_referenced_keys() {
  local dump="$1"
  "$DTI_BINDIR/pg_restore" --data-only --table=evidence_files --table=recognised_results \
    --table=criteria_set_versions --table=criteria_set_drafts -f - "$dump" | awk '
    /^COPY public\.(evidence_files|recognised_results|criteria_set_versions|criteria_set_drafts) \(/ {
      table = ($2 == "public.evidence_files") ? "e" : ($2 == "public.recognised_results") ? "r" : "c"
      cols = $0; sub(/^[^(]*\(/, "", cols); sub(/\).*$/, "", cols)
      n = split(cols, names, /, /); delete at
      for (i = 1; i <= n; i++) { gsub(/"/, "", names[i]); at[names[i]] = i }
      copying = 1; next
    }
    copying && $0 == "\\." { copying = 0; next }
    copying {
      split($0, f, "\t")
      if (table == "e") { k = f[at["storage_key"]]; if (k != "\\N" && k != "") print f[at["sha256"]] "  " k }
      else if (table == "c") {
        # The scanned decision a criteria set (or its draft in the studio) was issued by.
        if ("decision_document_key" in at && f[at["decision_document_key"]] != "\\N" && f[at["decision_document_key"]] != "") print "-  " f[at["decision_document_key"]]
      }
      else {
        if ("minutes_key" in at && f[at["minutes_key"]] != "\\N") print "-  " f[at["minutes_key"]]
        if ("decision_key" in at && f[at["decision_key"]] != "\\N") print "-  " f[at["decision_key"]]
      }
    }'
}

# Checks the references against "<sha256>  ./<key>" lines of the archived files. Prints what is missing; fails if any.
dti_check_references() {
  local refs="$1" sums="$2"
  awk '
    NR == FNR { k = $2; sub(/^\.\//, "", k); have[k] = $1; next }
    { k = $2; if (!(k in have)) { print "thiếu tệp / missing: " k; bad++ }
      else if ($1 != "-" && $1 != have[k]) { print "sai mã băm / checksum differs: " k; bad++ } }
    END { exit bad > 0 }' "$sums" "$refs"
}

# "<sha256>  ./<path>" of every file inside a tar archive, computed from the archive itself, sorted.
dti_tar_checksums() {
  # shellcheck disable=SC2016 # $TAR_FILENAME is expanded by the shell tar starts for each file
  tar -xf "$1" --to-command='printf "%s  %s\n" "$(sha256sum | cut -d" " -f1)" "$TAR_FILENAME"' | LC_ALL=C sort -k2
}
