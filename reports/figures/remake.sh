#!/bin/sh
# Remakes the figure set in this folder from the shipped configs and traces:
#   boards/   traces/phi3.trace on the four boards (configs/*.yaml): bandwidth saved, speedup, energy per board
#   designs/  traces/minilm.trace on jetson_nano with a handful of NCC designs (--set): the Pareto front
# Run from the repository root after `mvn -B -ntp package -DskipTests` (phi3 takes about a minute per board, so the
# whole script takes several minutes):   sh reports/figures/remake.sh
# NCCSIM_JAR picks another build of the jar (default sim/target/nccsim.jar); RUNS keeps the run dirs somewhere
# else than a temporary folder.
set -eu
JAR=${NCCSIM_JAR:-sim/target/nccsim.jar}
HERE=reports/figures
RUNS=${RUNS:-$(mktemp -d)}
nccsim() { java -jar "$JAR" "$@"; }

for board in jetson_nano jetson_orin_nano rpi4 rpi5; do
    nccsim --config "configs/$board.yaml" --trace traces/phi3.trace --out "$RUNS/phi3-$board" --force --quiet
done
nccsim figures --runs "$RUNS/phi3-jetson_nano" "$RUNS/phi3-jetson_orin_nano" "$RUNS/phi3-rpi4" "$RUNS/phi3-rpi5" \
    --out "$HERE/boards" --force

# NCC designs on one board: decoder lanes (the datapath's width) and buffer sizes trade area against time and
# energy. Each design is one --set list; the run dir is named after it.
design() {
    name=$1; shift
    sets=""
    for s in "$@"; do sets="$sets --set $s"; done
    # shellcheck disable=SC2086
    nccsim --config configs/jetson_nano.yaml --trace traces/minilm.trace $sets --out "$RUNS/minilm-$name" \
        --force --quiet
    DESIGNS="${DESIGNS:-} $RUNS/minilm-$name"
}
design lanes32
design lanes16 ncc.decoder.lanes=16 ncc.huffman.streams=16
design lanes8 ncc.decoder.lanes=8 ncc.huffman.streams=8
design lanes4 ncc.decoder.lanes=4 ncc.huffman.streams=4
design lanes2 ncc.decoder.lanes=2 ncc.huffman.streams=2
design lanes1 ncc.decoder.lanes=1 ncc.huffman.streams=1
design lanes8-out64k ncc.decoder.lanes=8 ncc.huffman.streams=8 "ncc.buffers.output=64KiB"
design lanes32-out64k "ncc.buffers.output=64KiB"
design lanes32-tables4 ncc.tables.slots=4
# shellcheck disable=SC2086
nccsim figures --runs $DESIGNS --out "$HERE/designs" --force

# One run's own report, as every run writes it (report.html), with its figures as files.
nccsim figures --results "$RUNS/phi3-jetson_nano" --out "$HERE/run-phi3-jetson_nano" --force
