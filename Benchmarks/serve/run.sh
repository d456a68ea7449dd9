#!/usr/bin/env bash
# Benchmarks lede serve (issue #4): reload latency and requests per second.
#
#   bash Benchmarks/serve/run.sh [SITE_DIR] [N]
#
# With no SITE_DIR, generates an N-article corpus (default 10,000) with
# Benchmarks/gen_corpus.py into a temporary folder (never into the repo).
# Needs wrk (apt-get install wrk) and a release build (swift build -c release).
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${2:-10000}"
SITE="${1:-}"
if [ -z "$SITE" ]; then
  SITE="$(mktemp -d)/site"
  python3 Benchmarks/gen_corpus.py "$SITE" "$N" >/dev/null
fi
LEDE="${LEDE:-.build/release/lede}"
[ -x "$LEDE" ] || { echo "no $LEDE; run: swift build -c release --product lede" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing; run: apt-get install wrk" >&2; exit 2; }
PORT="${PORT:-8765}"
LOG="$(mktemp)"
"$LEDE" serve --source "$SITE" --port "$PORT" >"$LOG" 2>&1 &
PID=$!
trap 'kill -INT $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
until grep -q "^serving " "$LOG"; do
  kill -0 $PID 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 0.2
done
head -1 "$LOG"
URL="http://127.0.0.1:$PORT"
ARTICLE="$(cd "$SITE/content" && ls | grep '\.md$' | grep -v '^_index.md$' | sort | sed -n '42p;' )"
ARTICLE="${ARTICLE:-$(cd "$SITE/content" && ls | grep '\.md$' | grep -v '^_index.md$' | sort | head -1)}"
SLUG="${ARTICLE%.md}"
echo "== article page: $URL/$SLUG/ ($(curl -s "$URL/$SLUG/" | wc -c) bytes)"
curl -s -o /dev/null "$URL/$SLUG/"
echo "== wrk -t1 -c32 -d10s $URL/$SLUG/"
wrk -t1 -c32 -d10s "$URL/$SLUG/"
echo "== wrk -t2 -c64 -d10s $URL/$SLUG/"
wrk -t2 -c64 -d10s "$URL/$SLUG/"
echo "== reload latency, ${EDITS:-20} edits of content/$ARTICLE"
python3 Benchmarks/serve/reload_latency.py "$URL" "$SITE" --article "content/$ARTICLE" --edits "${EDITS:-20}"
echo "== server log (last lines)"
tail -3 "$LOG"
