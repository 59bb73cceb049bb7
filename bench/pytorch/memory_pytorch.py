"""The memory run of `pnpm bench -- --memory` in PyTorch, on this machine; writes pytorch-memory.json.

Run with Debian's PyTorch (1.13): /usr/bin/python3 bench/pytorch/memory_pytorch.py [steps]  (default 1000)
Same workload as bench/src/memory-child.mjs: a CIFAR-10-sized dataset held as torchvision holds it
(50,000 uint8 images of 3x32x32 in one array, 146.5 MiB, plus labels), shuffled batches of 64
normalised to float32 ((x/255 - 0.5)/0.5), the tutorial's LeNet with SGD momentum 0.9 over two
groups; one run reads loss.item() as the tutorial's loop does ("item"), one keeps every loss tensor
in a list ("keep"), which holds each step's autograd nodes. Each run is its own process. Resident memory is read from /proc/self/statm after
import torch, after the data exists and after every step (the peak; getrusage's maxrss would carry the
parent's high-water mark into a child).
Nothing here differs between PyTorch 1.13 and 2.x that changes what is measured.
"""
import json
import os
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn

from time_pytorch import LeNet  # the same model as the timing script

MIB = 2 ** 20


def rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MIB


def run(steps, mode):
    runtime = rss_mib()
    rng = np.random.default_rng(0)
    n, batch = 50_000, 64
    images = rng.integers(0, 256, size=(n, 3, 32, 32), dtype=np.uint8)
    labels = rng.integers(0, 10, size=n, dtype=np.uint8)
    with_data = rss_mib()

    torch.manual_seed(0)
    net = LeNet()
    opt = torch.optim.SGD([{"params": net.features.parameters()},
                           {"params": net.classifier.parameters(), "lr": 1e-2}], lr=1e-3, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    params = sum(p.numel() for p in net.parameters())
    order, cursor = None, n
    losses, samples, peak = [], [], 0.0
    for s in range(steps):
        if cursor + batch > n:
            order, cursor = rng.permutation(n), 0
        idx = order[cursor:cursor + batch]
        cursor += batch
        x = torch.from_numpy(images[idx]).float().div_(127.5).sub_(1)
        y = torch.from_numpy(labels[idx].astype(np.int64))
        opt.zero_grad()
        loss = criterion(net(x), y)
        loss.backward()
        opt.step()
        if mode == "keep":
            losses.append(loss)
        else:
            loss.item()
        now = rss_mib()
        peak = max(peak, now)
        if (s + 1) % (steps // 10) == 0:
            samples.append(now)
    out = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "steps": steps,
        "runtimeMiB": runtime,
        "withDataMiB": with_data,
        "samplesMiB": samples,
        "peakMiB": peak,
        "dataMiB": (images.nbytes + labels.nbytes) / MIB,
        "modelAndStateMiB": params * 4 * 3 / MIB,
        "paramCount": params,
        "keptLosses": len(losses),
    }
    print(json.dumps(out))


def main():
    if len(sys.argv) > 2:  # a child: steps, mode
        run(int(sys.argv[1]), sys.argv[2])
        return
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    out = {}
    for mode in ("item", "keep"):
        child = subprocess.run([sys.executable, os.path.abspath(__file__), str(steps), mode],
                               check=True, capture_output=True, text=True)
        out[mode] = json.loads(child.stdout.strip().splitlines()[-1])
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pytorch-memory.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
