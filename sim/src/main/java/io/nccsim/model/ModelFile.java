package io.nccsim.model;

import java.util.List;
import java.util.Map;

/**
 * A model file as loaded: its tensors in file order and its metadata.
 *
 * @param name     the file name (for a model inside a jar or zip, {@code archive!/entry})
 * @param format   the loader's format id: {@code llama2c}, {@code gguf}, {@code safetensors} or {@code onnx}
 * @param sha256   hex sha256 of the model's bytes (the entry's bytes for a model inside an archive)
 * @param metadata what the file says about the model besides its tensors (llama2.c header fields, GGUF key/values,
 *                 the safetensors {@code __metadata__}, ONNX producer and opset), values as strings, numbers,
 *                 booleans or lists of these
 * @param tensors  every tensor, in the order the file stores them
 * @param graph    the operator graph's nodes in file order, for formats that store one (ONNX); empty otherwise
 */
public record ModelFile(String name, String format, String sha256, Map<String, Object> metadata,
                        List<TensorData> tensors, List<GraphNode> graph) {
    public ModelFile {
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
        graph = List.copyOf(graph);
    }

    /** A model file with no operator graph: every format but ONNX. */
    public ModelFile(String name, String format, String sha256, Map<String, Object> metadata,
                     List<TensorData> tensors) {
        this(name, format, sha256, metadata, tensors, List.of());
    }

    public long parameters() {
        long n = 0;
        for (TensorData t : tensors) {
            n += t.elements();
        }
        return n;
    }

    /** The tensor called {@code name}, or null. */
    public TensorData tensor(String name) {
        for (TensorData t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
