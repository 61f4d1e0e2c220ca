#!/usr/bin/env bash
# Regenerates the chart images the README shows, from the reference scenario.
# Run from the repository root: bash docs/images/regenerate.sh
set -euo pipefail
cargo run --release -- run scenarios/reference.toml --out output/reference --quiet
cp output/reference/charts/paired_difference.png output/reference/charts/net_value_fan.png docs/images/
cargo run --release -- attribute scenarios/reference.toml --out output/reference-attribute --quiet
cp output/reference-attribute/waterfall.png docs/images/
