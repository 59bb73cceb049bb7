import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32';
import { CheckpointFormatError, CheckpointUnsupportedError, ChecksumError } from './errors';
import { ZipReader } from './zip-reader';
import { writeZip } from './zip-writer';

const enc = new TextEncoder();

describe('crc32', () => {
  it('matches the standard check values', () => {
    expect(crc32(enc.encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(enc.encode('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });
  it('agrees with the bitwise definition on random data of every length', () => {
    const bitwise = (b: Uint8Array): number => {
      let c = 0xffffffff;
      for (const x of b) {
        c ^= x;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => crc32(b) === bitwise(b)),
      { numRuns: 500, seed: 1 },
    );
  });

  it('continues a running checksum', () => {
    const a = enc.encode('hello ');
    const b = enc.encode('world');
    expect(crc32(b, crc32(a))).toBe(crc32(enc.encode('hello world')));
  });
});

describe('zip writer / reader', () => {
  const entries = [
    { name: 'archive/data.pkl', data: enc.encode('pickle') },
    { name: 'archive/data/0', data: new Uint8Array(1000).map((_, i) => i & 0xff) },
    { name: 'archive/version', data: enc.encode('3\n') },
  ];

  it('round-trips entries, each aligned to 64 bytes like torch.save', () => {
    const zip = writeZip(entries);
    const r = new ZipReader(zip, 'x.zip');
    expect(r.names()).toEqual(entries.map((e) => e.name));
    for (const e of entries) {
      const got = r.read(e.name);
      expect(got).toEqual(e.data);
      expect(got.byteOffset % 64).toBe(0);
    }
  });

  it('is a zip that Python reads (zipfile testzip checks every CRC)', () => {
    const r = spawnSync('/usr/bin/python3', ['-c', 'print(1)'], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.warn('\n*** SKIPPED: zip check with Python (no /usr/bin/python3) ***\n');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'zip-'));
    writeFileSync(join(dir, 'a.zip'), writeZip(entries));
    const out = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(z.testzip(), z.namelist(), len(z.read("archive/data/0")))',
        join(dir, 'a.zip'),
      ],
      { encoding: 'utf8' },
    );
    expect(out.stdout.trim()).toBe("None ['archive/data.pkl', 'archive/data/0', 'archive/version'] 1000");
  });

  it('detects corruption of data (entry CRC) and of headers (whole-file CRC)', () => {
    const zip = writeZip(entries);
    const r0 = new ZipReader(zip, 'x');
    const at = r0.read('archive/data/0').byteOffset - zip.byteOffset + 10;
    const bad = zip.slice();
    bad[at] ^= 1;
    expect(() => new ZipReader(bad, 'x.zip')).toThrow(ChecksumError);
    expect(() => new ZipReader(bad, 'x.zip')).toThrow(/x\.zip.*whole-file CRC-32/);
    // without the whole-file CRC comment, the entry CRC still catches it
    const plain = bad.slice(0, bad.length - 17);
    plain[plain.length - 2] = 0;
    const r = new ZipReader(plain, 'y.zip');
    expect(() => r.read('archive/data/0')).toThrow(/y\.zip.*'archive\/data\/0' is corrupted/);
  });

  it('reads zip64 end records (as PyTorch writes for archives over 4 GiB)', () => {
    const zip = writeZip(entries);
    const dv = new DataView(zip.buffer);
    const eocd = zip.length - 17 - 22;
    const count = dv.getUint16(eocd + 10, true);
    const cdSize = dv.getUint32(eocd + 12, true);
    const cdOffset = dv.getUint32(eocd + 16, true);
    // zip64 EOCD record (56 bytes) + locator (20 bytes) + classic EOCD with 0xffff.. markers
    const out = new Uint8Array(eocd + 56 + 20 + 22);
    out.set(zip.subarray(0, eocd));
    const o = new DataView(out.buffer);
    o.setUint32(eocd, 0x06064b50, true);
    o.setBigUint64(eocd + 4, 44n, true);
    o.setBigUint64(eocd + 24, BigInt(count), true);
    o.setBigUint64(eocd + 32, BigInt(count), true);
    o.setBigUint64(eocd + 40, BigInt(cdSize), true);
    o.setBigUint64(eocd + 48, BigInt(cdOffset), true);
    const loc = eocd + 56;
    o.setUint32(loc, 0x07064b50, true);
    o.setBigUint64(loc + 8, BigInt(eocd), true);
    o.setUint32(loc + 16, 1, true);
    const end = loc + 20;
    o.setUint32(end, 0x06054b50, true);
    o.setUint16(end + 8, 0xffff, true);
    o.setUint16(end + 10, 0xffff, true);
    o.setUint32(end + 12, 0xffffffff, true);
    o.setUint32(end + 16, 0xffffffff, true);
    const r = new ZipReader(out, 'z64.zip');
    expect(r.names()).toEqual(entries.map((e) => e.name));
    expect(r.read('archive/data/0')).toEqual(entries[1]!.data);
    // a zip64 record pointing outside the file
    o.setBigUint64(loc + 8, 2n ** 40n, true);
    expect(() => new ZipReader(out, 'z64.zip')).toThrow(/zip64/);
  });

  it('rejects truncation, a central directory past the end, and compressed entries', () => {
    const zip = writeZip(entries);
    expect(() => new ZipReader(zip.subarray(0, zip.length - 30), 't.zip')).toThrow(CheckpointFormatError);
    expect(() => new ZipReader(zip.subarray(0, 10), 't.zip')).toThrow(/too short/);
    const plain = zip.slice(0, zip.length - 17);
    plain[plain.length - 2] = 0;
    const eocd = plain.length - 22;
    const huge = plain.slice();
    new DataView(huge.buffer).setUint32(eocd + 16, 0xfffffff0, true);
    expect(() => new ZipReader(huge, 'h.zip')).toThrow(/central directory/);
    // mark entry 0 as deflated in the central directory
    const cd = new DataView(plain.buffer).getUint32(eocd + 16, true);
    const deflated = plain.slice();
    new DataView(deflated.buffer).setUint16(cd + 10, 8, true);
    expect(() => new ZipReader(deflated, 'd.zip').read('archive/data.pkl')).toThrow(
      CheckpointUnsupportedError,
    );
  });
});
