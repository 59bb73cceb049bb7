// Saves `{ version: 1 }`, then saves `{ version: 2 }` with a SIGKILL injected at one point of
// the atomic write (argv[3]): 'mid-write' (half the bytes written to the temporary file) or
// 'before-rename' (temporary file complete and fsynced). Used by crash.test.ts.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { save } from '../src/save-load';

const [path, phase] = process.argv.slice(2) as [string, string];
const require = createRequire(import.meta.url);
const fsp = require('node:fs/promises');

await save({ version: 1, payload: new Uint8Array(1 << 16).fill(1) }, path);
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};
if (phase === 'before-rename') {
  fsp.rename = async () => die();
} else {
  const open = fsp.open;
  fsp.open = async (...args: unknown[]) => {
    const h = await open(...args);
    h.writeFile = async (bytes: Uint8Array) => {
      await h.write(bytes.subarray(0, bytes.length >> 1));
      await h.sync();
      die();
    };
    return h;
  };
}
syncBuiltinESMExports();
await save({ version: 2, payload: new Uint8Array(1 << 16).fill(2) }, path);
process.stdout.write('not killed\n');
