// Loading the generated WASM binaries (`*-binary.ts`, base64 strings written by scripts/build-wasm.mjs).

/** The bytes of a base64-encoded WASM binary. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * The exports of a base64-encoded module instantiated with its own memory (it imports only
 * `env.abort`), or `null` where the runtime has no WebAssembly or cannot validate the module (a
 * runtime without SIMD).
 */
export function instantiateOwnMemory<E>(base64: string): E | null {
  if (typeof WebAssembly === 'undefined') return null;
  const bytes = decodeBase64(base64);
  if (!WebAssembly.validate(bytes)) return null;
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { abort: () => {} } })
    .exports as unknown as E;
}
