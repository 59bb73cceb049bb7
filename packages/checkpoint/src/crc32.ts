let tables: Uint32Array[] | undefined;

/** Four 256-entry tables for slicing-by-4 (table 0 is the classic byte table). */
function crcTables(): Uint32Array[] {
  if (tables) return tables;
  const t = [0, 1, 2, 3].map(() => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[0]![n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 4; k++) t[k]![n] = (t[0]![t[k - 1]![n]! & 0xff]! ^ (t[k - 1]![n]! >>> 8)) >>> 0;
  }
  tables = t;
  return t;
}

/**
 * CRC-32 (the zip / PNG / IEEE 802.3 polynomial, reflected, `0xEDB88320`) of
 * `bytes`, as an unsigned 32-bit number. Pass a previous result as `seed` to
 * continue a running checksum over several chunks.
 *
 * @example
 * ```ts
 * crc32(new TextEncoder().encode('123456789')); // 0xcbf43926
 * ```
 */
export function crc32(bytes: Uint8Array, seed = 0): number {
  const [t0, t1, t2, t3] = crcTables() as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let c = (seed ^ 0xffffffff) >>> 0;
  const n = bytes.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    c = t3[c & 0xff]! ^ t2[(c >>> 8) & 0xff]! ^ t1[(c >>> 16) & 0xff]! ^ t0[c >>> 24]!;
  }
  for (; i < n; i++) c = t0[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
