import { ByteView } from './byte-io';
import { crc32 } from './crc32';
import { CheckpointFormatError, CheckpointUnsupportedError, ChecksumError } from './errors';
import { WHOLE_FILE_CRC_TAG } from './zip-writer';

/** One entry of a zip archive, located but not yet verified (internal). */
interface ZipEntry {
  name: string;
  crc: number;
  method: number;
  flags: number;
  start: number;
  size: number;
}

const MAX_COMMENT = 0xffff;

/**
 * A read-only view of a zip archive held in memory. Every size and offset the
 * archive declares is checked against the byte length before anything is
 * sliced; entry data is CRC-checked when read. Only stored (uncompressed)
 * entries can be read, which is what `torch.save` writes.
 */
export class ZipReader {
  private readonly entries = new Map<string, ZipEntry>();

  constructor(
    private readonly bytes: Uint8Array,
    private readonly source: string,
  ) {
    this.parse();
  }

  /** `true` when `bytes` starts with a zip local-file-header signature. */
  static looksLikeZip(bytes: Uint8Array): boolean {
    return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;
  }

  /** Entry names, in central-directory order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The bytes of entry `name` (a view, not a copy), after checking its CRC-32. */
  read(name: string): Uint8Array {
    const e = this.entries.get(name);
    if (!e) throw new CheckpointFormatError(this.source, `zip archive has no entry '${name}'`);
    if (e.method !== 0) {
      throw new CheckpointUnsupportedError(
        this.source,
        `zip entry '${name}' is compressed (method ${e.method}); only stored entries, as torch.save writes, are supported`,
      );
    }
    const data = this.bytes.subarray(e.start, e.start + e.size);
    const actual = crc32(data);
    if (actual !== e.crc) {
      throw new ChecksumError(
        this.source,
        `zip entry '${name}' is corrupted: CRC-32 is ${hex(actual)}, the archive says ${hex(e.crc)}`,
      );
    }
    return data;
  }

  private fail(msg: string): never {
    throw new CheckpointFormatError(this.source, msg);
  }

  private parse(): void {
    const b = this.bytes;
    const v = new ByteView(b);
    const n = b.length;
    if (n < 22) this.fail(`file is ${n} bytes, too short for a zip archive (truncated?)`);
    let eocd = -1;
    const lowest = Math.max(0, n - 22 - MAX_COMMENT);
    for (let i = n - 22; i >= lowest; i--) {
      if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 5 && b[i + 3] === 6) {
        if (i + 22 + v.u16(i + 20) === n) {
          eocd = i;
          break;
        }
      }
    }
    if (eocd < 0)
      this.fail('no zip end-of-central-directory record found: the file is truncated or not a zip archive');
    const commentLen = v.u16(eocd + 20);
    const comment = new TextDecoder().decode(b.subarray(eocd + 22, eocd + 22 + commentLen));
    if (comment.startsWith(WHOLE_FILE_CRC_TAG)) {
      const stored = comment.slice(WHOLE_FILE_CRC_TAG.length);
      const actual = hex(crc32(b.subarray(0, eocd + 22)));
      if (stored !== actual) {
        throw new ChecksumError(
          this.source,
          `file is corrupted: whole-file CRC-32 is ${actual}, the file says ${stored}`,
        );
      }
    }
    let count = v.u16(eocd + 10);
    let cdSize = v.u32(eocd + 12);
    let cdOffset = v.u32(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || v.u32(loc) !== 0x07064b50) this.fail('zip64 archive without a zip64 locator');
      const rec = v.u64(loc + 8);
      if (!(rec + 56 <= loc)) this.fail('zip64 end-of-central-directory offset points outside the file');
      if (v.u32(rec) !== 0x06064b50) this.fail('zip64 end-of-central-directory record has a bad signature');
      count = v.u64(rec + 32);
      cdSize = v.u64(rec + 40);
      cdOffset = v.u64(rec + 48);
    }
    if (!(cdOffset + cdSize <= eocd)) {
      this.fail(
        `central directory (offset ${cdOffset}, ${cdSize} bytes) does not fit before byte ${eocd} (truncated?)`,
      );
    }
    if (count * 46 > cdSize)
      this.fail(`central directory declares ${count} entries but is only ${cdSize} bytes`);
    let p = cdOffset;
    const end = cdOffset + cdSize;
    const dec = new TextDecoder('utf-8', { fatal: false });
    for (let k = 0; k < count; k++) {
      if (p + 46 > end || v.u32(p) !== 0x02014b50) this.fail(`central directory entry ${k} is damaged`);
      const flags = v.u16(p + 8);
      const method = v.u16(p + 10);
      const crc = v.u32(p + 16);
      let csize = v.u32(p + 20);
      let usize = v.u32(p + 24);
      const nameLen = v.u16(p + 28);
      const extraLen = v.u16(p + 30);
      const commentLen2 = v.u16(p + 32);
      let local = v.u32(p + 42);
      const next = p + 46 + nameLen + extraLen + commentLen2;
      if (next > end) this.fail(`central directory entry ${k} runs past the directory`);
      const name = dec.decode(b.subarray(p + 46, p + 46 + nameLen));
      // zip64 extended information
      let x = p + 46 + nameLen;
      const xEnd = x + extraLen;
      while (x + 4 <= xEnd) {
        const id = v.u16(x);
        const len = v.u16(x + 2);
        if (x + 4 + len > xEnd) break;
        if (id === 1) {
          let q = x + 4;
          const take = (): number => {
            if (q + 8 > x + 4 + len) this.fail(`zip64 field of entry '${name}' is too short`);
            const r = v.u64(q);
            q += 8;
            return r;
          };
          if (usize === 0xffffffff) usize = take();
          if (csize === 0xffffffff) csize = take();
          if (local === 0xffffffff) local = take();
        }
        x += 4 + len;
      }
      if (flags & 1) throw new CheckpointUnsupportedError(this.source, `zip entry '${name}' is encrypted`);
      if (method === 0 && csize !== usize) {
        this.fail(`stored zip entry '${name}' has compressed size ${csize} != uncompressed size ${usize}`);
      }
      if (!(local + 30 <= cdOffset))
        this.fail(`zip entry '${name}' has a local header offset outside the file`);
      if (v.u32(local) !== 0x04034b50) this.fail(`zip entry '${name}' has a damaged local header`);
      const start = local + 30 + v.u16(local + 26) + v.u16(local + 28);
      if (!(start + csize <= cdOffset)) {
        this.fail(
          `zip entry '${name}' declares ${csize} bytes at offset ${start}, past the end of the data (truncated?)`,
        );
      }
      if (this.entries.has(name)) this.fail(`zip archive has two entries named '${name}'`);
      this.entries.set(name, { name, crc, method, flags, start, size: csize });
      p = next;
    }
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
