package io.nccsim.codec.learned;

/**
 * How a codec's training went.
 *
 * @param epochsRun          epochs trained before early stopping or the epoch limit
 * @param bestEpoch          the epoch (0-based) whose parameters were kept: the lowest validation loss
 * @param bestValidationLoss that loss: normalised weighted MSE + lambdaRate x ideal bits per value, rounded latents
 * @param trainingBlocks     blocks trained on
 * @param validationBlocks   blocks held out for early stopping (0: the training blocks were used)
 */
public record TrainingSummary(int epochsRun, int bestEpoch, double bestValidationLoss, int trainingBlocks,
                              int validationBlocks) {
}
