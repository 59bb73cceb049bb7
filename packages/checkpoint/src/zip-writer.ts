import { ByteWriter } from './byte-io';
import { crc32 } from './crc32';

/** One file to store in a zip archive (internal). */
export interface ZipEntryInput {
  name: string;
  data: Uint8Array;
}

/** Prefix of the zip comment holding the CRC-32 of everything before it. */
export const WHOLE_FILE_CRC_TAG = 'OPTCRC32:';

const ALIGN = 64;
const LIMIT = 0xffffffff;

/**
 * Writes an uncompressed ("stored") zip archive the way `torch.save` does:
 * every entry's data starts on a 64-byte boundary (padding in an extra field
 * with id `FB`), each entry carries its CRC-32, and the zip comment carries a
 * CRC-32 of the whole archive before it (`OPTCRC32:xxxxxxxx`), so that a
 * corrupted header is caught too. Zip64 is not written: archives over 4 GiB
 * are refused.
 */
export function writeZip(entries: ZipEntryInput[]): Uint8Array {
  const w = new ByteWriter();
  const enc = new TextEncoder();
  const central: { name: Uint8Array; crc: number; size: number; offset: number }[] = [];
  for (const e of entries) {
    const name = enc.encode(e.name);
    const offset = w.length;
    const crc = crc32(e.data);
    let pad = (ALIGN - ((offset + 30 + name.length) % ALIGN)) % ALIGN;
    if (pad > 0 && pad < 4) pad += ALIGN;
    w.u32(0x04034b50);
    w.u16(20); // version needed
    w.u16(0); // flags
    w.u16(0); // stored
    w.u16(0); // time
    w.u16(0x21); // date: 1980-01-01
    w.u32(crc);
    w.u32(e.data.length);
    w.u32(e.data.length);
    w.u16(name.length);
    w.u16(pad);
    w.bytes(name);
    if (pad > 0) {
      w.u16(0x4246); // 'FB'
      w.u16(pad - 4);
      w.bytes(new Uint8Array(pad - 4).fill(0x5a));
    }
    w.bytes(e.data);
    if (w.length > LIMIT) throw new RangeError('zip archive larger than 4 GiB is not supported');
    central.push({ name, crc, size: e.data.length, offset });
  }
  const cdStart = w.length;
  for (const c of central) {
    w.u32(0x02014b50);
    w.u16(0x031e); // made by: unix, 3.0
    w.u16(20);
    w.u16(0);
    w.u16(0);
    w.u16(0);
    w.u16(0x21);
    w.u32(c.crc);
    w.u32(c.size);
    w.u32(c.size);
    w.u16(c.name.length);
    w.u16(0); // extra
    w.u16(0); // comment
    w.u16(0); // disk
    w.u16(0); // internal attrs
    w.u32(0o100644 << 16); // external attrs: regular file 0644
    w.u32(c.offset);
    w.bytes(c.name);
  }
  if (central.length > 0xffff)
    throw new RangeError('zip archive with more than 65535 entries is not supported');
  const cdSize = w.length - cdStart;
  const comment = enc.encode(`${WHOLE_FILE_CRC_TAG}00000000`);
  w.u32(0x06054b50);
  w.u16(0);
  w.u16(0);
  w.u16(central.length);
  w.u16(central.length);
  w.u32(cdSize);
  w.u32(cdStart);
  w.u16(comment.length);
  const out = new Uint8Array(w.length + comment.length);
  const head = w.finish();
  out.set(head);
  const crc = crc32(head).toString(16).padStart(8, '0');
  out.set(enc.encode(`${WHOLE_FILE_CRC_TAG}${crc}`), head.length);
  return out;
}
