"""Times the benchmark workloads in PyTorch on this machine and writes pytorch-timings.json.

Run with Debian's PyTorch (1.13): /usr/bin/python3 bench/pytorch/time_pytorch.py
The @opt benchmark (pnpm bench) reads the JSON and prints the figures side by side.
Workloads (same as bench/src/workloads):
  lenet: the tutorial's LeNet (features/classifier), input 64x3x32x32, CrossEntropy, SGD momentum 0.9 with two groups.
  mlp: 784-256-128-10 ReLU MLP, batch 128, CrossEntropy, Adam.
  sgd/adam/adamw: optimizer step alone over 4M float32 parameters (4 tensors of 1M), in ns per parameter.
Each figure is the median over repeated runs after warm-up, single thread and two threads.

Debian's python3-torch is built with BLAS_INFO=generic (a reference BLAS, about 6 GFLOP/s here), so its
Linear layers are slow while its convolutions go through oneDNN; the JSON records the BLAS in use and
the matmul rate measured, so the comparison says which PyTorch it was.
"""
import json
import os
import re
import platform
import statistics
import sys
import time

import torch
import torch.nn as nn

REPEATS = 3


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 6, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2, 2))
        self.classifier = nn.Sequential(
            nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


def median_ms(fn, warmup, reps):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def train_step_fn(model, opt, x, y):
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    return step


def measure():
    """One pass over every workload on the current thread count: a dict of figures."""
    r = {}
    net = LeNet()
    opt = torch.optim.SGD([{"params": net.features.parameters()},
                           {"params": net.classifier.parameters(), "lr": 1e-2}], lr=1e-3, momentum=0.9)
    r["lenet_step_ms"] = median_ms(train_step_fn(net, opt, torch.randn(64, 3, 32, 32),
                                                 torch.randint(0, 10, (64,))), 5, 30)
    mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(mlp.parameters(), lr=1e-3)
    r["mlp_step_ms"] = median_ms(train_step_fn(mlp, opt, torch.randn(128, 784),
                                               torch.randint(0, 10, (128,))), 5, 50)
    params = [torch.zeros(1 << 20, requires_grad=True) for _ in range(4)]
    for p in params:
        p.grad = torch.randn(1 << 20)
    n = 4 << 20
    for name, make in (("sgd_momentum", lambda: torch.optim.SGD(params, lr=1e-3, momentum=0.9)),
                       ("adam", lambda: torch.optim.Adam(params, lr=1e-3)),
                       ("adamw", lambda: torch.optim.AdamW(params, lr=1e-3))):
        opt = make()
        r[f"{name}_ns_per_param"] = median_ms(opt.step, 3, 20) * 1e6 / n
    a, b = torch.randn(512, 512), torch.randn(512, 512)
    r["matmul512_gflops"] = 2 * 512 ** 3 / (median_ms(lambda: a @ b, 3, 10) * 1e6)
    return r


def main():
    torch.manual_seed(0)
    blas = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), cpu)
    except OSError:
        pass
    # when and on what CPU: figures from another day or host are not comparable (the bench prints both)
    out = {"torch": torch.__version__, "python": platform.python_version(),
           "blas": blas.group(1) if blas else "unknown", "cpu": cpu, "cores": os.cpu_count(),
           "taken": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "repeats": REPEATS,
           "results": {}}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        # each figure is the median of REPEATS whole passes, each itself a median over steps: on a
        # shared VM a neighbour can slow one workload's whole pass several-fold
        passes = [measure() for _ in range(REPEATS)]
        r = {k: statistics.median(p[k] for p in passes) for k in passes[0]}
        out["results"][f"threads_{threads}"] = r
        print(threads, r, file=sys.stderr)
    with open(__file__.replace("time_pytorch.py", "pytorch-timings.json"), "w") as f:
        json.dump(out, f, indent=2)


if __name__ == "__main__":
    main()
