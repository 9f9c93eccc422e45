#!/usr/bin/env bash
# Checks that a ringside HTML report is self-contained and renders in headless Chromium.
#
#   client-bench/scripts/check-report.sh [REPORT.html [SCREENSHOT.png]]
#
# Without a report it makes one first: a short in-process demo (loopback, ~5 s). Needs Debian's chromium
# (apt-get install -y chromium). Exits non-zero, with one line saying why, when a check fails.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
if [[ -z "$CHROMIUM" ]]; then
    echo "check-report: chromium not found (apt-get install -y chromium)" >&2
    exit 2
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
REPORT="${1:-}"
if [[ -z "$REPORT" ]]; then
    "$ROOT/ringside" demo --in-process --connections 50 --rate 1000 --duration 2s --warmup 1s --no-progress \
        --out "$WORK/demo" >"$WORK/demo.out"
    REPORT="$WORK/demo/demo.html"
fi
SHOT="${2:-$WORK/report.png}"
[[ -s "$REPORT" ]] || { echo "check-report: $REPORT is missing or empty" >&2; exit 1; }

# Self-contained: nothing the browser would fetch (the SVG namespace URI is an identifier, never fetched).
if grep -Eio '(src|href)=|url\(|<script[^>]+src|<link' "$REPORT" | head -1 | grep -q .; then
    echo "check-report: $REPORT references external resources" >&2
    exit 1
fi

FLAGS=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
    --disable-sync --no-first-run --user-data-dir="$WORK/profile" --hide-scrollbars)
"$CHROMIUM" "${FLAGS[@]}" --window-size=1100,1800 --screenshot="$SHOT" "file://$(realpath "$REPORT")" \
    >"$WORK/chromium.log" 2>&1 || { echo "check-report: chromium failed; see below" >&2; cat "$WORK/chromium.log" >&2; exit 1; }
"$CHROMIUM" "${FLAGS[@]}" --dump-dom "file://$(realpath "$REPORT")" >"$WORK/dom.html" 2>>"$WORK/chromium.log"

[[ -s "$SHOT" ]] || { echo "check-report: no screenshot was written" >&2; exit 1; }
size=$(stat -c %s "$SHOT")
(( size > 20000 )) || { echo "check-report: screenshot is only $size bytes: nothing was drawn" >&2; exit 1; }
charts=$(grep -o '<svg' "$WORK/dom.html" | wc -l)
(( charts == 3 )) || { echo "check-report: expected 3 charts in the rendered page, found $charts" >&2; exit 1; }
for title in "Latency by percentile" "Latency over time" "Throughput over time"; do
    grep -q "$title" "$WORK/dom.html" || { echo "check-report: '$title' missing from the rendered page" >&2; exit 1; }
done
lines=$(grep -c '<polyline' "$WORK/dom.html")
(( lines >= 5 )) || { echo "check-report: only $lines data lines were drawn" >&2; exit 1; }
echo "check-report: ok: $REPORT renders ($charts charts, $lines data lines); screenshot $SHOT ($size bytes)"
