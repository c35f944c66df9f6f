/**
 * Tokenizers that read Hugging Face's {@code tokenizer.json}: WordPiece for BERT-family encoders (MiniLM) and
 * byte-level BPE for the decoders nccsim traces (Llama-3, Qwen2, SmolLM). {@link io.nccsim.tokenizer.HfTokenizer} is
 * the entry point; the other classes are the pipeline's stages, one per kind of entry in the file.
 */
package io.nccsim.tokenizer;
