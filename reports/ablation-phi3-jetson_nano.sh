#!/usr/bin/env bash
# Remakes reports/ablation-phi3-jetson_nano.md: the NCC run on traces/phi3.trace with each block switched off or
# resized in turn (nccsim ablate). About 3-5 minutes on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q package -DskipTests
java -jar sim/target/nccsim.jar ablate --config configs/jetson_nano.yaml --trace traces/phi3.trace \
    -o reports/ablation-phi3-jetson_nano.md --force
