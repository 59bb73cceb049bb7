import { OptError } from '../errors';
import type { Backend } from './backend';
import { jsBackend } from './js-backend';
import { createWasmBackend } from './wasm-backend';

let current: Backend | null = null;

/**
 * The backend the heavy ops (matmul, conv2d) run on: `'wasm'` (SIMD, the
 * default where WebAssembly SIMD is available) or `'js'` (the reference).
 *
 * @example
 * ```ts
 * getBackend().name; // 'wasm' on Node 20
 * ```
 */
export function getBackend(): Backend {
  if (current === null) current = createWasmBackend() ?? jsBackend;
  return current;
}

/**
 * Selects the backend by name or installs a custom one; returns the previous one.
 *
 * @example
 * ```ts
 * const previous = setBackend('js');
 * // … run with the reference kernels …
 * setBackend(previous);
 * ```
 */
export function setBackend(backend: 'js' | 'wasm' | Backend): Backend {
  const previous = getBackend();
  if (backend === 'js') current = jsBackend;
  else if (backend === 'wasm') {
    const wasm = createWasmBackend();
    if (wasm === null)
      throw new OptError("setBackend: the 'wasm' backend needs WebAssembly SIMD, which this runtime lacks");
    current = wasm;
  } else current = backend;
  return previous;
}
