#!/usr/bin/env bash
# Runs the portal with demo data: starts a local PostgreSQL unless ConnectionStrings__Dti is set,
# migrates, loads the demo data, prints the URL and starts the web app. Ctrl+C stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/ensure-deps.sh run # PostgreSQL, Chromium and the Noto fonts, installed when missing (or one line saying what to run)
url="${DTI_URL:-http://127.0.0.1:5080}"
if [ -z "${ConnectionStrings__Dti:-}" ]; then
  ConnectionStrings__Dti="$(scripts/pg-start.sh);Database=dti"
  export ConnectionStrings__Dti
fi
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

port="${url##*:}"; port="${port%%/*}"
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "run: cổng $port đang được dùng. Dừng chương trình đang chạy ở đó hoặc chọn cổng khác: DTI_URL=http://127.0.0.1:5090 scripts/run.sh" >&2
  exit 1
fi

echo "run: build…" >&2
dotnet build src/DtiPortal.Web -nologo -v q -clp:ErrorsOnly
dotnet build src/DtiPortal.Cli -nologo -v q -clp:ErrorsOnly
dti() { dotnet src/DtiPortal.Cli/bin/Debug/net10.0/dti.dll "$@"; }
dti migrate
dti demo seed

cat <<MSG

  DtiPortal đang chạy tại: $url
    Đơn vị hành chính:   $url/don-vi
    Tình trạng hệ thống: $url/health
    Kết quả công bố:     $url/ket-qua   (đợt 2023 đã kết thúc và công bố; đợt 2024, 2025 đang mở)
  Cơ sở dữ liệu: ${ConnectionStrings__Dti}
  Tài khoản dùng thử (mật khẩu chung: DtiDemo2024):
    xa.lacdao          Cán bộ xã Lạc Đạo (đợt 2024, bộ chỉ số 1000 điểm; đợt 2023 đã công bố để xem lại)
    xa.lacdao2025      Cán bộ xã Lạc Đạo sau sắp xếp (đợt 2025, mức độ chuyển đổi số theo QĐ 2361)
    vanphong.lacdao    Cán bộ phòng/ban (Văn phòng - Thống kê, xã Lạc Đạo)
    thamtra.vanlam     Thẩm tra cấp huyện (Phòng Văn hóa và Thông tin, Văn Lâm)
    hoidong.hungyen    Thành viên Hội đồng thẩm định tỉnh Hưng Yên     (*)
    chutich.hungyen    Chủ tịch Hội đồng thẩm định                      (*)
    thuky.hungyen      Thư ký Hội đồng thẩm định                        (*)
    quantri.hungyen    Quản trị cấp tỉnh Hưng Yên                        (*)
    quantri            Quản trị hệ thống                                 (*)
  (*) bắt buộc xác thực hai bước: thêm khóa DTIDEMOQ2F5ANOIRT5YJMXP6Q3GAZ7LW vào ứng dụng
      xác thực, hoặc lấy mã hiện tại bằng: dotnet src/DtiPortal.Cli/bin/Debug/net10.0/dti.dll demo totp
  Dừng: Ctrl+C. Dừng PostgreSQL cục bộ: scripts/pg-stop.sh

MSG
exec dotnet src/DtiPortal.Web/bin/Debug/net10.0/DtiPortal.Web.dll --urls "$url" --contentRoot "$PWD/src/DtiPortal.Web"
