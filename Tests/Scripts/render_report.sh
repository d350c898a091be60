#!/bin/sh
# Renders a gyre report page in headless Chromium and checks the screenshot:
# big enough, content all the way down, and the plots' colours present.
#   render_report.sh REPORT.html OUT.png
# Exit 0 checked, 1 the check failed, 77 no chromium (tests skip).
set -eu
html=$1
png=$2
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    echo "chromium not found (apt-get install -y chromium)" >&2
    exit 77
fi
rm -f "$png"
# --virtual-time-budget: wait for layout; no network is needed (the page is self-contained).
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=2000 \
    --screenshot="$png" --window-size=1200,3000 "file://$(realpath "$html")" >/dev/null 2>&1 || true
[ -s "$png" ] || { echo "chromium wrote no screenshot" >&2; exit 1; }
exec python3 "$(dirname "$0")/check_report_png.py" "$png"
