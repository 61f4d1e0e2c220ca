#!/usr/bin/env bash
# Writes every output file of every bundled scenario into DEST, so that two builds can be
# compared byte for byte (`diff -r A B`): each scenario at two seeds on 1 and 2 threads
# (5,000 paths, above the 4,096 whose monthly series are kept exactly), in point mode, and
# the reference scenario's sweep, sensitivity and break-even; what --dump-scenario, validate
# and params print. The lines of run.json that
# differ between any two runs (timings, thread count) are removed.
#
#   cargo build --release && cp target/release/tokensim /tmp/before
#   ... change the code ...
#   cargo build --release
#   scripts/snapshot_outputs.sh /tmp/before /tmp/a
#   scripts/snapshot_outputs.sh target/release/tokensim /tmp/b
#   diff -r /tmp/a /tmp/b && echo identical
set -euo pipefail
bin=$(realpath "$1")
dest=$2
cd "$(dirname "$0")/.."
rm -rf "$dest"
mkdir -p "$dest"
paths=${SNAPSHOT_PATHS:-5000}
run() {
    local out=$1
    shift
    "$bin" "$@" --out "$dest/$out" --quiet --no-progress
    sed -i -E '/"(threads|[a-z_]*seconds)":/d' "$dest/$out/run.json"
}
for file in scenarios/*.toml scenarios/calibration/*.toml; do
    name=$(echo "${file#scenarios/}" | sed 's/\.toml$//; s#/#-#g')
    for seed in 2026 7; do
        for threads in 1 2; do
            run "$name-s$seed-t$threads" run "$file" --paths "$paths" --seed "$seed" --threads "$threads"
        done
    done
    run "$name-point" run "$file" --point
    run "$name-point-mc" run "$file" --point --paths 301 --threads 2
    "$bin" run "$file" --dump-scenario >"$dest/$name-dump.toml"
    "$bin" validate "$file" >"$dest/$name-validate.txt"
done
"$bin" params >"$dest/params.txt"
run reference-sweep sweep scenarios/reference.toml --paths 1000 \
    --vary world.subsidy.m_api=1:3:3 --vary world.demand.elasticity=0.6:1.8:3
run reference-sensitivity sensitivity scenarios/reference.toml --paths 5000
run reference-breakeven breakeven scenarios/reference.toml --paths 1000 \
    --param world.production.uplift --tolerance 0.05
