import { readFileBytes, writeFileAtomic } from './node-files';
import type { LoadOptions, SaveOptions } from './options';
import { loadSafetensors, saveSafetensors } from './safetensors';
import type { TensorLike } from './tensor-like';
import { fromBytes, toBytes } from './torch-format';

const isSafetensorsPath = (path: string): boolean => path.toLowerCase().endsWith('.safetensors');

/**
 * Saves `obj` to `path` in `torch.save`'s format (any extension but
 * `.safetensors`; `.pt` and `.pth` are the usual ones), so `torch.load(path)`
 * reads it. A `.safetensors` path writes a safetensors file instead (`obj`
 * must then be a flat map of tensors; see {@link saveSafetensors} for metadata). The write is
 * atomic: temporary file, fsync, rename, fsync of the folder. Node only (use
 * {@link toBytes} in a browser). See {@link toBytes} for how values map to
 * Python.
 *
 * @example
 * ```ts
 * await save({ model: net.stateDict(), optimizer: opt.stateDict(), epoch: 3 }, 'ckpt.pt');
 * ```
 */
export async function save(obj: unknown, path: string, options: SaveOptions = {}): Promise<void> {
  if (isSafetensorsPath(path)) {
    await saveSafetensors(path, obj as Record<string, TensorLike>);
    return;
  }
  const bytes = toBytes(obj, { ...options, name: options.name ?? path });
  await writeFileAtomic(path, bytes);
}

/**
 * Loads a file written by {@link save} or by `torch.save` (or, for a
 * `.safetensors` path, the tensor map of a safetensors file), returning
 * `@opt/tensor` tensors for tensors. Never executes anything from the file;
 * errors are {@link CheckpointError}s naming `path`. Node only (use
 * {@link fromBytes} in a browser).
 *
 * @example
 * ```ts
 * const ckpt = await load('ckpt.pt');
 * net.loadStateDict(ckpt.model);
 * ```
 */
export async function load(path: string, options: LoadOptions = {}): Promise<any> {
  if (isSafetensorsPath(path)) return (await loadSafetensors(path, options)).tensors;
  const bytes = await readFileBytes(path);
  return fromBytes(bytes, { ...options, name: options.name ?? path });
}
