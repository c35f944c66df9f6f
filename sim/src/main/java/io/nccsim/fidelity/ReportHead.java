package io.nccsim.fidelity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nccsim.report.Json;

/**
 * What every fidelity report opens with, decoder's and encoder's alike: the model run (path, format, sha256,
 * parameters), what produced the numbers, and the Huffman settings of the {@code +huffman} codecs.
 *
 * @param version    nccsim's version
 * @param modelPath  the model file as the user named it
 * @param format     the model file's format
 * @param sha256     the model file's sha256
 * @param parameters weights in the model
 * @param engine     nccsim's engine that ran it, e.g. "fp32 Llama decoder"
 * @param tokenizer  the tokenizer file
 */
record ReportHead(String version, String modelPath, String format, String sha256, long parameters, String engine,
                  String tokenizer) {

    /** The title and the paragraph on where the numbers come from; {@code reference} says what they compare with. */
    String markdown(String reference) {
        return "# Fidelity of " + modelPath + "\n\n"
                + "Model sha256 `" + sha256 + "` (" + format + ", " + parameters + " weights). Every number "
                + "below is computed by running the model's own weights, passed through each codec, in nccsim's "
                + engine + ". Reference: " + reference + ".\n\n";
    }

    /**
     * The report's JSON object, opened: tool, version, command, the {@code model} object (to which a caller may add
     * fields), where the outputs come from, and the tokenizer; the caller adds its own sections, then
     * {@link #putHuffman} and its rows.
     */
    ObjectNode json() {
        ObjectNode root = Json.object();
        root.put("tool", "nccsim");
        root.put("version", version);
        root.put("command", "fidelity");
        ObjectNode model = root.putObject("model");
        model.put("path", modelPath);
        model.put("format", format);
        model.put("sha256", sha256);
        model.put("parameters", parameters);
        root.put("outputs", "computed from real weights: the model file's own weights, passed through each codec, "
                + "run in nccsim's " + engine);
        root.put("tokenizer", tokenizer);
        return root;
    }

    /** The settings the {@code +huffman} codecs were coded with. */
    static void putHuffman(ObjectNode root) {
        ObjectNode h = root.putObject("huffman");
        h.put("table_scope", HuffmanRoundTrip.SCOPE.id());
        h.put("block_symbols", HuffmanRoundTrip.BLOCK_SYMBOLS);
        h.put("max_code_length", HuffmanRoundTrip.MAX_CODE_LENGTH);
        h.put("streams", HuffmanRoundTrip.STREAMS);
    }
}
