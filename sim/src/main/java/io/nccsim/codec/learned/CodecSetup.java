package io.nccsim.codec.learned;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nccsim.common.BadInputException;
import io.nccsim.trace.TensorRole;
import io.nccsim.trace.TensorRole.DataClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a family of learned levels was trained on and how, as {@code nccsim codec train} records it: enough for
 * {@code nccsim codec eval} to cut the same kind of blocks from the held-out layers of a model, and for a reader to
 * trace every number back to the model files (by sha256).
 *
 * @param models              the model files trained on, in the order given
 * @param dataClass           weights, activations or KV cache: one class per family
 * @param roles               tensor roles taken; empty for every tensor of the class
 * @param blockSize           n, values per block
 * @param split               which layers trained, validated and were held out
 * @param maxTrainBlocks      the cap on training blocks (0: none)
 * @param trainBlocksBeforeCap training blocks the training layers gave before the cap
 * @param trainBlocks         training blocks used
 * @param validationBlocks    validation-layer blocks the levels were selected and measured on
 * @param seed                seeds the levels' training and the draw under the cap
 * @param activationWeights   true if the loss weighed each position by its input channel's mean squared activation
 * @param levels              the level family ("default": {@link LevelFamily#defaultLevels})
 * @param normalisation       how blocks are scaled before the codec sees them
 * @param residualOf          empty, or the base quantizer ({@link ResidualTensorCoder#parseBase}) whose residual
 *                            the levels code
 */
public record CodecSetup(List<ModelRef> models, DataClass dataClass, List<TensorRole> roles, int blockSize,
                         LayerSplit split, int maxTrainBlocks, long trainBlocksBeforeCap, int trainBlocks,
                         int validationBlocks, long seed, boolean activationWeights, String levels,
                         String normalisation, String residualOf) {
    /**
     * Per-tensor RMS normalisation: every tensor (weight matrix, or matrix of captured vectors) is divided by the
     * RMS of its own values, stored as one fp32 number per tensor (32 bits, counted in the evaluated rate), before
     * its blocks are cut. The codec then sees data of one scale whatever the tensor, and applies to a tensor it
     * was not trained on as it does to the training tensors.
     */
    public static final String PER_TENSOR_RMS = "per-tensor RMS, fp32 scale per tensor";

    /**
     * One model file.
     *
     * @param path   as given on the command line
     * @param sha256 hex sha256 of its bytes
     * @param label  the model's short name ({@link TensorSources#modelLabel})
     * @param layers its layers (highest layer index + 1)
     */
    public record ModelRef(String path, String sha256, String label, int layers) {
        public ModelRef {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(label, "label");
        }
    }

    public CodecSetup {
        models = List.copyOf(models);
        roles = List.copyOf(roles);
        Objects.requireNonNull(dataClass, "dataClass");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(levels, "levels");
        Objects.requireNonNull(normalisation, "normalisation");
        Objects.requireNonNull(residualOf, "residualOf");
        if (models.isEmpty()) {
            throw new IllegalArgumentException("a codec is trained on at least one model");
        }
        for (TensorRole r : roles) {
            if (r.dataClass() != dataClass) {
                throw new IllegalArgumentException("role " + r.id() + " is not of class " + dataClass);
            }
        }
    }

    /** The data class's name in files and reports: weights, activations, kv_cache. */
    public String dataClassId() {
        return dataClass.name().toLowerCase(Locale.ROOT);
    }

    /** "all" or the role ids joined by commas. */
    public String rolesText() {
        if (roles.isEmpty()) {
            return "all";
        }
        List<String> ids = new ArrayList<>();
        roles.forEach(r -> ids.add(r.id()));
        return String.join(",", ids);
    }

    /** What the data is, in one sentence, e.g. for a profile's provenance. */
    public String describe() {
        StringBuilder b = new StringBuilder("trained by nccsim codec train on ");
        b.append(switch (dataClass) {
            case WEIGHTS -> "the weight matrices";
            case ACTIVATIONS -> "captured activation vectors";
            case KV_CACHE -> "captured KV-cache key and value vectors";
        });
        b.append(" (roles ").append(rolesText()).append(")");
        if (!residualOf.isEmpty()) {
            b.append(", as residuals after ").append(residualOf).append(" quantization");
        }
        b.append(" of ");
        for (int i = 0; i < models.size(); i++) {
            ModelRef m = models.get(i);
            b.append(i == 0 ? "" : ", ").append(m.path()).append(" (sha256 ").append(m.sha256()).append("; ")
                    .append(m.layers() == 0 ? "no layers" : split.describe(m.layers(), m.label())).append(')');
        }
        b.append(String.format(Locale.ROOT, "; blocks of %d values along rows, %s (so MSE in the profile is in "
                        + "units of each tensor's RMS squared); %d training blocks (of %d in the "
                        + "training layers, cap %s, seed %d)%s; levels %s selected and measured on the %d "
                        + "validation-layer blocks; the evaluation layers were not used",
                blockSize, normalisation, trainBlocks, trainBlocksBeforeCap,
                maxTrainBlocks == 0 ? "none" : Integer.toString(maxTrainBlocks), seed,
                activationWeights ? ", positions weighted by their input channel's mean squared activation" : "",
                levels, validationBlocks));
        return b.toString();
    }

    void write(ObjectNode o) {
        ArrayNode ms = o.putArray("models");
        for (ModelRef m : models) {
            ObjectNode j = ms.addObject();
            j.put("path", m.path());
            j.put("sha256", m.sha256());
            j.put("label", m.label());
            j.put("layers", m.layers());
        }
        o.put("data_class", dataClassId());
        ArrayNode rs = o.putArray("roles");
        roles.forEach(r -> rs.add(r.id()));
        o.put("block_size", blockSize);
        o.put("validation_layers", split.validationLayers());
        o.put("evaluation_layers", split.evaluationLayers());
        o.put("max_train_blocks", maxTrainBlocks);
        o.put("train_blocks_before_cap", trainBlocksBeforeCap);
        o.put("train_blocks", trainBlocks);
        o.put("validation_blocks", validationBlocks);
        o.put("seed", seed);
        o.put("activation_weights", activationWeights);
        o.put("levels", levels);
        o.put("normalisation", normalisation);
        o.put("residual_of", residualOf);
    }

    static CodecSetup read(JsonFields o) {
        List<ModelRef> models = new ArrayList<>();
        for (JsonFields m : o.objects("models")) {
            models.add(new ModelRef(m.text("path"), m.text("sha256"), m.text("label"),
                    m.integer("layers", 0, 1 << 20)));
            m.finish();
        }
        if (models.isEmpty()) {
            throw o.bad("models", "expected at least one model");
        }
        String dc = o.text("data_class");
        DataClass dataClass = null;
        for (DataClass d : DataClass.values()) {
            if (d.name().toLowerCase(Locale.ROOT).equals(dc)) {
                dataClass = d;
            }
        }
        if (dataClass == null) {
            throw o.bad("data_class", "expected weights, activations or kv_cache, found '" + dc + "'");
        }
        List<TensorRole> roles = new ArrayList<>();
        for (String id : o.texts("roles")) {
            TensorRole r;
            try {
                r = TensorRole.fromId(id);
            } catch (IllegalArgumentException e) {
                throw o.bad("roles", "unknown role '" + id + "'");
            }
            if (r.dataClass() != dataClass) {
                throw o.bad("roles", "role '" + id + "' is not of data class " + dc);
            }
            roles.add(r);
        }
        int blockSize = o.integer("block_size", 2, 4096);
        LayerSplit split;
        try {
            split = new LayerSplit(o.integer("validation_layers", 0, 1 << 16),
                    o.integer("evaluation_layers", 1, 1 << 16));
        } catch (BadInputException e) {
            throw o.bad("evaluation_layers", e.getMessage());
        }
        CodecSetup s = new CodecSetup(models, dataClass, roles, blockSize, split,
                o.integer("max_train_blocks", 0, Integer.MAX_VALUE),
                o.longValue("train_blocks_before_cap", 0, Long.MAX_VALUE),
                o.integer("train_blocks", 1, Integer.MAX_VALUE),
                o.integer("validation_blocks", 0, Integer.MAX_VALUE),
                o.longValue("seed", Long.MIN_VALUE, Long.MAX_VALUE),
                o.bool("activation_weights"), o.text("levels"), o.text("normalisation"), o.text("residual_of"));
        if (!s.residualOf().isEmpty()) {
            ResidualTensorCoder.parseBase(s.residualOf(), "setup.residual_of");
        }
        o.finish();
        return s;
    }
}
