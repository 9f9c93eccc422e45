#!/usr/bin/env bash
# Renders ringside HTML reports (bench, compare, sweep) to PNGs with headless Chromium, so a person (or a
# reviewer without a browser) can check the charts at a glance: tick units, log axes, colours, legends.
#
#   perf/scripts/report-pngs.sh run.html cmp.html sweep.html     # writes run.png, cmp.png, sweep.png beside them
#   OUT=/tmp/pngs HEIGHT=4000 perf/scripts/report-pngs.sh *.html
#
# Needs the Debian package 'chromium' (apt-get install chromium). The page is captured at 1300 px wide and
# HEIGHT px tall (default 3600: every chart of a compare report); a taller page is cut at HEIGHT.
set -euo pipefail
if [ "$#" -eq 0 ]; then
    echo "usage: $0 REPORT.html [REPORT.html ...]" >&2
    exit 2
fi
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    echo "report-pngs: no chromium on PATH; install the Debian package: apt-get install chromium" >&2
    exit 1
fi
HEIGHT=${HEIGHT:-3600}
for html in "$@"; do
    dir=${OUT:-$(dirname "$html")}
    mkdir -p "$dir"
    png="$dir/$(basename "${html%.html}").png"
    # --no-sandbox: runs as root in containers; the page is local and has no script.
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="1300,$HEIGHT" \
        --screenshot="$png" "file://$(realpath "$html")" >/dev/null 2>&1
    echo "$png"
done
