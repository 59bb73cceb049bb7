import { CheckpointFormatError } from './errors';

/**
 * Node-only file access, loaded with a dynamic `import()` so that bundles for
 * the browser never pull in `node:fs` (internal).
 */
async function fsModules() {
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  return { fs, path };
}

/**
 * Writes `bytes` to `file` atomically: a temporary file in the same folder is
 * written and fsynced, renamed over `file`, and the folder is fsynced. A
 * process killed at any moment leaves either the old file or the new one,
 * never a mix (internal).
 */
export async function writeFileAtomic(file: string, bytes: Uint8Array): Promise<void> {
  const { fs, path } = await fsModules();
  const dir = path.dirname(file);
  const tmp = path.join(
    dir,
    `.${path.basename(file)}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`,
  );
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => {});
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  const { fs } = await fsModules();
  let h: Awaited<ReturnType<typeof fs.open>> | undefined;
  try {
    h = await fs.open(dir, 'r');
    await h.sync();
  } catch {
    // some platforms (Windows) cannot fsync a directory; the rename is still atomic
  } finally {
    await h?.close().catch(() => {});
  }
}

/** Reads a whole file, turning a missing file into a CheckpointFormatError naming it (internal). */
export async function readFileBytes(file: string): Promise<Uint8Array> {
  const { fs } = await fsModules();
  try {
    const b = await fs.readFile(file);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new CheckpointFormatError(file, 'file does not exist');
    if (code === 'EISDIR') throw new CheckpointFormatError(file, 'is a directory, not a checkpoint file');
    throw e;
  }
}

/** Lists a folder, or `[]` if it does not exist (internal). */
export async function listDir(dir: string): Promise<string[]> {
  const { fs } = await fsModules();
  try {
    return await fs.readdir(dir);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return [];
    throw e;
  }
}

/** Creates a folder and its parents (internal). */
export async function makeDir(dir: string): Promise<void> {
  const { fs } = await fsModules();
  await fs.mkdir(dir, { recursive: true });
}

/** Removes a file if it exists (internal). */
export async function removeFile(file: string): Promise<void> {
  const { fs } = await fsModules();
  await fs.rm(file, { force: true });
}

/** Joins path segments (internal). */
export async function joinPath(...parts: string[]): Promise<string> {
  const { path } = await fsModules();
  return path.join(...parts);
}
