#!/usr/bin/env bash
# Before/after of the ingest, alternated: per repetition, psql's \copy floor, then for each build (another checkout,
# built, and this one) its first ingest, re-ingest and modified re-ingest into its own fresh database, then its
# embedded first ingest. Each measurement is one child of that build's scripts/bench-ingest.mjs, with the binary's
# --max-old-space-size=160. Prints "<build> <phase> <rep> <wall s> <peak RSS MB>" lines.
#
#   git worktree add /tmp/before <rev> && (cd /tmp/before && npm ci && npm run build)
#   cp scripts/bench-ingest.mjs /tmp/before/scripts/     # the same child protocol in both builds
#   node scripts/bench-ingest.mjs --runs 1 --no-pglite   # once: generates the corpus, the modified copy, the floor file
#   scripts/bench-ingest-ab.sh /tmp/before [repetitions]
set -euo pipefail
before=${1:?usage: bench-ingest-ab.sh <built checkout of the other build> [repetitions]}
reps=${2:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
admin=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
base=${admin%/*}
dir=${STALKEER_BENCH_DIR:-${TMPDIR:-/tmp}/stalkeer-bench}
corpus=$dir/seed1-200k.m3u modified=$dir/seed1-200k-modified.m3u floor=$dir/seed1-200k-floor.tsv
for f in "$corpus" "$modified" "$floor"; do [ -f "$f" ] || { echo "missing $f: run scripts/bench-ingest.mjs once" >&2; exit 1; }; done

child() { # <checkout> <mode> <target> <file>
  node --max-old-space-size=160 "$1/scripts/bench-ingest.mjs" --child "$2" "$3" "$4" |
    node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(r.seconds.toFixed(2), r.rssMB.toFixed(0))'
}
fresh() { psql -X -q "$admin" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" 2>/dev/null; }

for i in $(seq "$reps"); do
  fresh bench_ab_floor
  psql -X -q "$base/bench_ab_floor" -c "CREATE TABLE f (url text, name text, group_title text)"
  start=$(date +%s.%N); psql -X -q "$base/bench_ab_floor" -c "\\copy f FROM '$floor'"; end=$(date +%s.%N)
  echo "floor copy $i $(echo "$end - $start" | bc)"
  for build in before after; do
    root=$here; [ "$build" = before ] && root=$before
    fresh "bench_ab_$build"
    echo "$build first $i $(child "$root" ingest "$base/bench_ab_$build" "$corpus")"
    echo "$build same $i $(child "$root" ingest "$base/bench_ab_$build" "$corpus")"
    echo "$build modified $i $(child "$root" ingest "$base/bench_ab_$build" "$modified")"
    data=$(mktemp -d); echo "$build embedded $i $(child "$root" pglite "$data/data" "$corpus")"; rm -rf "$data"
  done
done
psql -X -q "$admin" -c "DROP DATABASE IF EXISTS bench_ab_floor" -c "DROP DATABASE IF EXISTS bench_ab_before" -c "DROP DATABASE IF EXISTS bench_ab_after" 2>/dev/null
