package io.nccsim.codec.learned;

import io.nccsim.common.BadInputException;

/**
 * Which layers a codec is trained on, validated on, and evaluated on: the last {@code evaluationLayers} layers of
 * each model are held out for evaluation, the {@code validationLayers} before them are for validation (early
 * stopping, choosing a size), the rest train. Splitting by layer, not by block, keeps the evaluation honest:
 * blocks of one matrix are alike, so blocks of a held-out layer are data the codec has never seen anything of.
 *
 * <p>Tensors outside the layers (embeddings, the classifier, the final norm's output) always train: "held out"
 * means held-out layers. Captured activations carry their layer, so they split with the weights of their model.
 *
 * <p>ASSUMPTION: the last layers, as the issue suggests, rather than interleaved ones. Last layers are often the
 * least typical (larger magnitudes near the output), which makes the evaluation harder, not easier, for a codec
 * trained on the first ones.
 *
 * @param validationLayers layers before the evaluation layers used for validation, 0 or more
 * @param evaluationLayers last layers held out for evaluation, 1 or more
 */
public record LayerSplit(int validationLayers, int evaluationLayers) {
    /** stories260K (5 layers): train 0-2, validate 3, evaluate 4; all-MiniLM-L6-v2 (6): train 0-3, 4, 5. */
    public static final LayerSplit LAST_LAYER_HELD_OUT = new LayerSplit(1, 1);

    /** Which part of the data a block belongs to. */
    public enum Part { TRAIN, VALIDATION, EVALUATION }

    public LayerSplit {
        if (validationLayers < 0 || evaluationLayers < 1) {
            throw new BadInputException("layer split: expected validation_layers >= 0 and evaluation_layers >= 1, "
                    + "found " + validationLayers + " and " + evaluationLayers);
        }
    }

    /**
     * The part of layer {@code layer} (-1 for tensors outside the layers) in a model of {@code layers} layers.
     *
     * @throws BadInputException if the model has too few layers to leave one for training
     */
    public Part partOf(int layer, int layers, String model) {
        if (layer < 0) {
            return Part.TRAIN;
        }
        check(layers, model);
        if (layer >= layers - evaluationLayers) {
            return Part.EVALUATION;
        }
        if (layer >= layers - evaluationLayers - validationLayers) {
            return Part.VALIDATION;
        }
        return Part.TRAIN;
    }

    /** Says which layers go where, e.g. "train layers 0-2, validation 3, evaluation 4". */
    public String describe(int layers, String model) {
        check(layers, model);
        int firstVal = layers - evaluationLayers - validationLayers;
        int firstEval = layers - evaluationLayers;
        return "train layers " + range(0, firstVal - 1) + " (and tensors outside the layers), validation "
                + (validationLayers == 0 ? "none" : range(firstVal, firstEval - 1)) + ", evaluation "
                + range(firstEval, layers - 1);
    }

    private void check(int layers, String model) {
        if (layers - validationLayers - evaluationLayers < 1) {
            throw new BadInputException("layer split: " + model + " has " + layers + " layers; holding out "
                    + validationLayers + " for validation and " + evaluationLayers + " for evaluation leaves none "
                    + "to train on; expected fewer held-out layers");
        }
    }

    private static String range(int from, int to) {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
