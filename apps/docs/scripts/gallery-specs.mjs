// The schedules the gallery draws: the tutorials' settings, 200 epochs from lr 0.1.
/** @type {Array<{ name: string, title: string, make: (m: any, opt: any) => any, metric?: (epoch: number) => number }>} */
export const gallerySpecs = [
  {
    name: 'StepLR',
    title: 'StepLR(stepSize 50, gamma 0.1)',
    make: (m, o) => new m.StepLR(o, { stepSize: 50, gamma: 0.1 }),
  },
  {
    name: 'MultiStepLR',
    title: 'MultiStepLR(milestones [50, 125, 160], gamma 0.1)',
    make: (m, o) => new m.MultiStepLR(o, { milestones: [50, 125, 160], gamma: 0.1 }),
  },
  {
    name: 'ExponentialLR',
    title: 'ExponentialLR(gamma 0.95)',
    make: (m, o) => new m.ExponentialLR(o, { gamma: 0.95 }),
  },
  {
    name: 'CosineAnnealingLR',
    title: 'CosineAnnealingLR(tMax 50)',
    make: (m, o) => new m.CosineAnnealingLR(o, { tMax: 50 }),
  },
  {
    name: 'LambdaLR',
    title: 'LambdaLR(0.1 ** (epoch // 20))',
    make: (m, o) => new m.LambdaLR(o, { lrLambda: (e) => 0.1 ** Math.floor(e / 20) }),
  },
  {
    name: 'MultiplicativeLR',
    title: 'MultiplicativeLR(0.98 per epoch)',
    make: (m, o) => new m.MultiplicativeLR(o, { lrLambda: () => 0.98 }),
  },
  {
    name: 'ConstantLR',
    title: 'ConstantLR(factor 1/3, totalIters 50)',
    make: (m, o) => new m.ConstantLR(o, { factor: 1 / 3, totalIters: 50 }),
  },
  {
    name: 'LinearLR',
    title: 'LinearLR(startFactor 0.1, totalIters 50)',
    make: (m, o) => new m.LinearLR(o, { startFactor: 0.1, totalIters: 50 }),
  },
  {
    name: 'PolynomialLR',
    title: 'PolynomialLR(totalIters 150, power 2)',
    make: (m, o) => new m.PolynomialLR(o, { totalIters: 150, power: 2 }),
  },
  {
    name: 'CosineAnnealingWarmRestarts',
    title: 'CosineAnnealingWarmRestarts(t0 20, tMult 2)',
    make: (m, o) => new m.CosineAnnealingWarmRestarts(o, { t0: 20, tMult: 2 }),
  },
  {
    name: 'CyclicLR',
    title: 'CyclicLR(0.01 → 0.1, stepSizeUp 25, triangular2)',
    make: (m, o) =>
      new m.CyclicLR(o, {
        baseLr: 0.01,
        maxLr: 0.1,
        stepSizeUp: 25,
        mode: 'triangular2',
        cycleMomentum: false,
      }),
  },
  {
    name: 'OneCycleLR',
    title: 'OneCycleLR(maxLr 0.1, totalSteps 201)',
    make: (m, o) => new m.OneCycleLR(o, { maxLr: 0.1, totalSteps: 201 }),
  },
  {
    name: 'ReduceLROnPlateau',
    title: 'ReduceLROnPlateau(factor 0.1, patience 10, cooldown 10, minLr 1e-4), loss flat after epoch 30',
    make: (m, o) => new m.ReduceLROnPlateau(o, { factor: 0.1, patience: 10, cooldown: 10, minLr: 1e-4 }),
    metric: (epoch) => (epoch < 30 ? 1 / (epoch + 1) : 1 / 31),
  },
  {
    name: 'SequentialLR',
    title: 'SequentialLR(LinearLR warmup 10, then ExponentialLR 0.97)',
    make: (m, o) =>
      new m.SequentialLR(o, {
        schedulers: [
          new m.LinearLR(o, { startFactor: 0.1, totalIters: 10 }),
          new m.ExponentialLR(o, { gamma: 0.97 }),
        ],
        milestones: [10],
      }),
  },
];
