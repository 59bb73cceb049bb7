/** Epochs of the resume test's training run. */
export const EPOCHS = 2;
/** Batches per epoch. */
export const BATCHES = 6;
/** Samples per batch. */
export const BATCH_SIZE = 16;
