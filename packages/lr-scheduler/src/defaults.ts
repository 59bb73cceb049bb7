/**
 * Every scheduler's default option values, in one place (PyTorch's defaults).
 * @internal
 */
export const DEFAULTS = {
  stepLR: { gamma: 0.1 },
  multiStepLR: { gamma: 0.1 },
  constantLR: { factor: 1 / 3, totalIters: 5 },
  linearLR: { startFactor: 1 / 3, endFactor: 1.0, totalIters: 5 },
  polynomialLR: { totalIters: 5, power: 1.0 },
  cosineAnnealingLR: { etaMin: 0 },
  cosineAnnealingWarmRestarts: { tMult: 1, etaMin: 0 },
  cyclicLR: {
    stepSizeUp: 2000,
    mode: 'triangular',
    gamma: 1.0,
    scaleMode: 'cycle',
    cycleMomentum: true,
    baseMomentum: 0.8,
    maxMomentum: 0.9,
  },
  oneCycleLR: {
    pctStart: 0.3,
    annealStrategy: 'cos',
    cycleMomentum: true,
    baseMomentum: 0.85,
    maxMomentum: 0.95,
    divFactor: 25.0,
    finalDivFactor: 1e4,
    threePhase: false,
  },
  reduceLROnPlateau: {
    mode: 'min',
    factor: 0.1,
    patience: 10,
    threshold: 1e-4,
    thresholdMode: 'rel',
    cooldown: 0,
    minLr: 0,
    eps: 1e-8,
  },
  warmup: { mode: 'linear', startFactor: 0.1 },
} as const;
