package io.nccsim.codec.learned;

import io.nccsim.capture.Llama2cTokenizer;
import io.nccsim.capture.LlamaConfig;
import io.nccsim.common.BadInputException;
import io.nccsim.model.ModelFile;
import io.nccsim.trace.TensorRole;
import io.nccsim.trace.TensorRole.DataClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The real tensors a learned codec is trained and evaluated on, from one model file: its weight matrices
 * ({@link TensorSources}), or the activation or KV-cache vectors of a run of it ({@link ActivationCapture}, llama2.c
 * decoders only, on {@link ActivationCapture#DEFAULT_TEXT}); optionally the input-channel statistics of its weights
 * from such a run.
 */
public final class CodecSources {
    /**
     * What one model gave.
     *
     * @param file           the model file as loaded
     * @param tensors        the tensors of the requested class and roles, in file or capture order
     * @param channelWeights input-channel statistics of its weight matrices, or {@link ChannelWeights#NONE}
     * @param layers         its layers (highest layer index + 1 over the tensors taken)
     */
    public record Loaded(ModelFile file, List<SourceTensor> tensors, ChannelWeights channelWeights, int layers) {
        public Loaded {
            tensors = List.copyOf(tensors);
        }

        public String label() {
            return TensorSources.modelLabel(file.name());
        }
    }

    private CodecSources() {
    }

    /**
     * The tensors of {@code dataClass} with one of {@code roles} (empty: every role of the class) of {@code file}.
     *
     * @param path              the model's path as given, to find its tokenizer beside it for a capture run
     * @param activationWeights also capture the input-channel statistics of the weights (a capture run)
     * @throws BadInputException if a capture is needed and the model is not a llama2.c decoder or its tokenizer is
     *                           missing, or no tensor of the class and roles exists
     */
    public static Loaded load(ModelFile file, Path path, DataClass dataClass, List<TensorRole> roles,
                              boolean activationWeights) {
        Set<TensorRole> wanted = roles.isEmpty() ? EnumSet.noneOf(TensorRole.class) : EnumSet.copyOf(roles);
        ActivationCapture.Captured captured = null;
        if (dataClass != DataClass.WEIGHTS || activationWeights) {
            captured = capture(file, path, dataClass != DataClass.WEIGHTS ? "--roles " + dataClass.name()
                    .toLowerCase(java.util.Locale.ROOT) : "--activation-weights");
        }
        List<SourceTensor> all = dataClass == DataClass.WEIGHTS ? TensorSources.weights(file) : captured.tensors();
        List<SourceTensor> out = new ArrayList<>();
        int layers = 0;
        for (SourceTensor t : all) {
            boolean classMatches = t.role() == null ? dataClass == DataClass.WEIGHTS
                    : t.role().dataClass() == dataClass;
            if (classMatches && (wanted.isEmpty() || (t.role() != null && wanted.contains(t.role())))) {
                out.add(t);
                layers = Math.max(layers, t.layer() + 1);
            }
        }
        if (out.isEmpty()) {
            throw new BadInputException(path + ": holds no " + dataClass.name().toLowerCase(java.util.Locale.ROOT)
                    + " tensor of roles " + (roles.isEmpty() ? "(any)" : roles.toString().toLowerCase(
                    java.util.Locale.ROOT)) + "; expected roles the model has");
        }
        ChannelWeights weights = activationWeights ? captured.channelWeights() : ChannelWeights.NONE;
        return new Loaded(file, out, weights, layers);
    }

    private static ActivationCapture.Captured capture(ModelFile file, Path path, String why) {
        if (!file.format().equals("llama2c")) {
            throw new BadInputException(why + ": needs a run of the model to capture activations, which nccsim does "
                    + "for llama2.c decoders (.bin) only; " + path + " is " + file.format());
        }
        int vocab = LlamaConfig.of(file).vocabSize();
        Path sized = path.resolveSibling("tok" + vocab + ".bin");
        Path plain = path.resolveSibling("tokenizer.bin");
        Path tokenizer = Files.isRegularFile(sized) ? sized : plain;
        if (!Files.isRegularFile(tokenizer)) {
            throw new BadInputException(why + ": the capture run needs the model's llama2.c tokenizer beside it; "
                    + "neither " + sized + " nor " + plain + " exists");
        }
        return ActivationCapture.run(file, Llama2cTokenizer.load(tokenizer, vocab), ActivationCapture.DEFAULT_TEXT);
    }

    /** The tensors of {@code tensors} in layers the split holds out for evaluation, for a model of {@code layers}. */
    public static List<SourceTensor> heldOut(List<SourceTensor> tensors, LayerSplit split, int layers, String model) {
        List<SourceTensor> out = new ArrayList<>();
        for (SourceTensor t : tensors) {
            if (split.partOf(t.layer(), layers, model) == LayerSplit.Part.EVALUATION) {
                out.add(t);
            }
        }
        return out;
    }
}
