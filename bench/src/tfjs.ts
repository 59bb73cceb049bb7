import { medianMsAsync } from './timing';

type TF = typeof import('@tensorflow/tfjs');

/** The LeNet of the tutorial as a TensorFlow.js model (NHWC, as tfjs wants). */
function lenet(tf: TF) {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 6, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 120, activation: 'relu' }),
      tf.layers.dense({ units: 84, activation: 'relu' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
}

function mlp(tf: TF) {
  return tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 256, activation: 'relu' }),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
}

/** One training step (forward, softmax cross-entropy, backward, update) as TensorFlow.js runs it. */
function trainStep(tf: TF, model: ReturnType<TF['sequential']>, optimizer: any, x: any, y: any) {
  return () => {
    tf.tidy(() => {
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as any) as any);
    });
  };
}

export interface TfjsFigures {
  lenetStepMs: number | string;
  mlpStepMs: number | string;
  adamNsPerParam: number | string;
}

/**
 * Times the workloads with TensorFlow.js on the given backend ('cpu' or 'wasm').
 * A workload the backend cannot run is reported by the error it raised.
 */
export async function timeTfjs(
  backend: 'cpu' | 'wasm',
  reps: { lenet: number; mlp: number; adam: number },
): Promise<TfjsFigures> {
  const tf = await import('@tensorflow/tfjs');
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend(backend);
  await tf.ready();
  const attempt = async (fn: () => void, r: number) => {
    try {
      return await medianMsAsync(async () => fn(), 1, r);
    } catch (err) {
      return `unsupported (${(err as Error).message.split('\n')[0]!.slice(0, 60)})`;
    }
  };
  const net = lenet(tf);
  const lenetMs = await attempt(
    trainStep(
      tf,
      net,
      tf.train.momentum(1e-3, 0.9),
      tf.randomNormal([64, 32, 32, 3]),
      tf.oneHot(tf.randomUniform([64], 0, 10, 'int32') as any, 10),
    ),
    reps.lenet,
  );
  const m = mlp(tf);
  const mlpMs = await attempt(
    trainStep(
      tf,
      m,
      tf.train.adam(1e-3),
      tf.randomNormal([128, 784]),
      tf.oneHot(tf.randomUniform([128], 0, 10, 'int32') as any, 10),
    ),
    reps.mlp,
  );
  const n = 1 << 20;
  const vars = [0, 1, 2, 3].map(() => tf.variable(tf.zeros([n])));
  const grads = vars.map((v) => ({ name: v.name, tensor: tf.randomNormal([n]) }));
  const adam = tf.train.adam(1e-3);
  const adamMs = await attempt(() => adam.applyGradients(grads), reps.adam);
  return {
    lenetStepMs: lenetMs,
    mlpStepMs: mlpMs,
    adamNsPerParam: typeof adamMs === 'number' ? (adamMs * 1e6) / (4 * n) : adamMs,
  };
}
