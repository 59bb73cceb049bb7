"""Checks, in real PyTorch, files that @opt/checkpoint wrote.

Usage: /usr/bin/python3 check.py <job.json>; prints one JSON object.
Job kinds ({"kind": "batch", "jobs": [...]} runs several and prints a list):
  {"kind": "same", "ours": path, "theirs": path}
      torch.load(weights_only=True) both; compare with exact Python types
      (ours may have float16/bfloat16 widened to float32 and int64/16/8/uint8
      narrowed or widened to int32, as @opt/tensor stores them).
  {"kind": "describe", "path": path}
      torch.load it and describe the value with its Python types.
  {"kind": "optimizer", "path": path, "optimizer": "SGD"|"Adam", "shapes": [[...], ...]}
      load the state dict into a fresh torch.optim optimizer over parameters
      of those shapes, take one step, and report the loaded state and group.
"""
import json
import sys

import torch

WIDENED = {torch.float16: torch.float32, torch.bfloat16: torch.float32, torch.int64: torch.int32,
           torch.int16: torch.int32, torch.int8: torch.int32, torch.uint8: torch.int32}


def same(a, b, path, out):
    if isinstance(b, torch.Tensor):
        if not isinstance(a, torch.Tensor):
            out.append(f'{path}: expected a tensor, got {type(a).__name__}')
            return
        want = WIDENED.get(b.dtype, b.dtype)
        if a.dtype != want:
            out.append(f'{path}: dtype {a.dtype} != {want}')
        elif a.shape != b.shape:
            out.append(f'{path}: shape {tuple(a.shape)} != {tuple(b.shape)}')
        elif not torch.equal(a, b.to(want)):
            out.append(f'{path}: values differ')
        return
    if isinstance(b, dict):
        if not isinstance(a, dict):
            out.append(f'{path}: expected a dict, got {type(a).__name__}')
            return
        if list(map(repr, sorted(a.keys(), key=repr))) != list(map(repr, sorted(b.keys(), key=repr))):
            out.append(f'{path}: keys {sorted(map(repr, a))} != {sorted(map(repr, b))}')
            return
        for k in b:
            same(a[k], b[k], f'{path}[{k!r}]', out)
        return
    if type(a) is not type(b):
        out.append(f'{path}: type {type(a).__name__} != {type(b).__name__} ({a!r} vs {b!r})')
        return
    if isinstance(b, (list, tuple)):
        if len(a) != len(b):
            out.append(f'{path}: length {len(a)} != {len(b)}')
            return
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f'{path}[{i}]', out)
        return
    if isinstance(b, float) and b != b:
        if a == a:
            out.append(f'{path}: {a!r} != nan')
        return
    if a != b or (isinstance(b, float) and str(a) != str(b)):
        out.append(f'{path}: {a!r} != {b!r}')


def torch_load(path, theirs=False):
    """torch.load(weights_only=True); PyTorch 1.13's weights-only unpickler
    lacks BINFLOAT (its own torch.save files with floats fail it too), so a
    file it refuses for that reason only is read with the full unpickler."""
    try:
        return torch.load(path, weights_only=True)
    except Exception as e:  # noqa: BLE001
        # a file torch.save wrote may use opcodes (FRAME, ...) 1.13's weights-only reader lacks;
        # a file we wrote may only trip on BINFLOAT
        if ('Unsupported operand' if theirs else 'Unsupported operand 71') not in str(e):
            raise
        return torch.load(path)


def describe(v):
    if isinstance(v, torch.Tensor):
        return {'dtype': str(v.dtype), 'shape': list(v.shape), 'values': v.reshape(-1).tolist()}
    if isinstance(v, dict):
        return {repr(k): describe(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return {type(v).__name__: [describe(x) for x in v]}
    return {type(v).__name__: v}


def run(job):
    if job['kind'] == 'batch':
        return [run(j) for j in job['jobs']]
    if job['kind'] == 'same':
        ours = torch_load(job['ours'])
        theirs = torch_load(job['theirs'], theirs=True)
        out = []
        same(ours, theirs, 'root', out)
        return {'problems': out}
    elif job['kind'] == 'describe':
        return describe(torch_load(job['path']))
    elif job['kind'] == 'safetensors':
        try:
            from safetensors.torch import load_file, safe_open
            tensors = load_file(job['path'])
            with safe_open(job['path'], framework='pt') as f:
                metadata = f.metadata()
            reader = 'safetensors'
        except ImportError:
            import struct
            raw = open(job['path'], 'rb').read()
            (n,) = struct.unpack('<Q', raw[:8])
            header = json.loads(raw[8:8 + n])
            metadata = header.pop('__metadata__', {})
            dt = {'F32': torch.float32, 'F64': torch.float64, 'I32': torch.int32, 'BOOL': torch.bool}
            data = bytearray(raw[8 + n:])
            tensors = {k: torch.frombuffer(data[e['data_offsets'][0]:e['data_offsets'][1]] or bytearray(1),
                                           dtype=dt[e['dtype']])[:0 if e['data_offsets'][0] == e['data_offsets'][1] else None]
                       .reshape(e['shape']) for k, e in header.items()}
            reader = 'struct+json'
        return {'reader': reader, 'metadata': metadata, 'tensors': {k: describe(v) for k, v in tensors.items()}}
    elif job['kind'] == 'optimizer':
        sd = torch_load(job['path'])
        params = [torch.nn.Parameter(torch.ones(s)) for s in job['shapes']]
        opt = getattr(torch.optim, job['optimizer'])(params, lr=123.0)
        opt.load_state_dict(sd)
        for p in params:
            p.grad = torch.full_like(p, 0.5)
        before = describe(opt.state_dict())
        opt.step()
        return {'loaded': before, 'after_step': [p.reshape(-1).tolist() for p in params]}
    raise ValueError(f"unknown job kind {job['kind']!r}")


print(json.dumps(run(json.load(open(sys.argv[1])))))
