#!/usr/bin/env python3
"""PyTorch side of tools/bench/bench.mjs (`npm run bench`): one worker process that trains the reference VAE-1.

Started by the driver as
    /usr/bin/python3 tools/bench/bench_torch.py CONFIG_JSON
with OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS set to the thread count (torch.set_num_threads does
not reach Debian's OpenBLAS, which does the GEMMs) and OMP_WAIT_POLICY=PASSIVE (torch's OpenMP threads otherwise
spin between kernels and, on a loaded 2-core machine, make 2 threads far slower than 1). CONFIG_JSON gives
dataDim, latentDim, hidden, batch, learningRate, epsilon, threads, warmupSeconds, warmupSteps and dataFile
(row-major float32 rows x dataDim, written by the driver from @trientropy/data's Fashion-MNIST loader).

The model is the project's VAE-1 (packages/models/src/vae1.ts) op for op:
  encoder  D -> hidden... -> 2H (ReLU after hidden layers; linear head: mean = first H, log tau^2 = last H)
  decoder  H -> reversed hidden... -> D (ReLU, linear output mu(z))
  log sigma^2: one learnable scalar, initially 0
  Glorot-uniform weights, zero biases (the same law as packages/models/src/dense.ts; different draws)
  loss = -ELBO, one reparameterised sample, closed-form KL:
    R = mean_n ||x_n - mu(z_n)||^2;  ELL = -(D/2)(log 2pi + log sigma^2) - R / (2 sigma^2)
  Adam(lr, betas 0.9/0.999, eps = the tfjs backend's float32 epsilon 1e-7, stated in the table).
A minibatch is index_select of a slice of a fixed permutation (torch's own fast row gather).

Protocol, one JSON object per line: after warm-up {"ready": true, ...}; "run SECONDS" trains for SECONDS (>= 2
steps) and answers {"steps", "seconds", "cpuSeconds" (process CPU time, all threads), "loss"}; "phases SECONDS" times steps phase by phase and answers median
ms of batch, forward, backward and optimizer; "quit" answers {"maxRssKb"} and exits. Without a working torch it
prints {"ready": false, "error"} and exits 0.
"""
import json
import math
import os
import resource
import statistics
import sys
import time


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def blas_library():
    """Path of the BLAS library loaded into this process and its thread count (OpenBLAS), or (None, None)."""
    import ctypes

    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "blas" in line and line.split()[-1].startswith("/")})
    except OSError:
        return None, None
    for path in paths:
        try:
            library = ctypes.CDLL(path)
            config = ""
            try:
                library.openblas_get_config.restype = ctypes.c_char_p
                config = library.openblas_get_config().decode()
            except AttributeError:
                pass
            return f"{os.path.realpath(path)}{f' ({config})' if config else ''}", int(library.openblas_get_num_threads())
        except (OSError, AttributeError):
            continue
    return (paths[0] if paths else None), None


def main():
    config = json.loads(sys.argv[1])
    try:
        import torch

        torch.zeros(1).add_(1)
    except Exception as error:  # noqa: BLE001 - any failure means "no working PyTorch here"
        emit({"ready": False, "error": f"no working torch for {sys.executable}: {type(error).__name__}: {error}"})
        return

    torch.set_num_threads(int(config["threads"]))
    torch.manual_seed(0)
    d = int(config["dataDim"])
    h = int(config["latentDim"])
    hidden = [int(s) for s in config["hidden"]]
    batch = int(config["batch"])
    with open(config["dataFile"], "rb") as f:
        raw = bytearray(f.read())
    data = torch.frombuffer(raw, dtype=torch.float32).reshape(-1, d).clone()
    rows = data.shape[0]
    order = torch.randperm(rows)

    def mlp(sizes):
        layers = []
        for i in range(len(sizes) - 1):
            linear = torch.nn.Linear(sizes[i], sizes[i + 1])
            torch.nn.init.xavier_uniform_(linear.weight)
            torch.nn.init.zeros_(linear.bias)
            layers.append(linear)
            if i < len(sizes) - 2:
                layers.append(torch.nn.ReLU())
        return torch.nn.Sequential(*layers)

    encoder = mlp([d, *hidden, 2 * h])
    decoder = mlp([h, *reversed(hidden), d])
    log_decoder_variance = torch.nn.Parameter(torch.zeros(()))
    parameters = [*encoder.parameters(), *decoder.parameters(), log_decoder_variance]
    optimizer = torch.optim.Adam(parameters, lr=float(config["learningRate"]), betas=(0.9, 0.999), eps=float(config["epsilon"]))
    log_2pi = math.log(2 * math.pi)
    position = [0]

    def next_batch():
        start = (position[0] * batch) % (rows - batch + 1)
        position[0] += 1
        return data.index_select(0, order[start:start + batch])

    def loss_of(x):
        out = encoder(x)
        mean, log_variance = out[:, :h], out[:, h:]
        z = mean + torch.exp(0.5 * log_variance) * torch.randn_like(mean)
        mu = decoder(z)
        squared_error = ((x - mu) ** 2).sum(-1).mean()
        expected_log_likelihood = -0.5 * d * (log_decoder_variance + log_2pi) - 0.5 * torch.exp(-log_decoder_variance) * squared_error
        kl = (0.5 * (torch.exp(log_variance) + mean ** 2 - 1 - log_variance)).sum(1).mean()
        return -(expected_log_likelihood - kl)

    def step():
        loss = loss_of(next_batch())
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss

    done = 0
    initial_loss = None
    warm_start = time.perf_counter()
    while done < int(config["warmupSteps"]) or time.perf_counter() - warm_start < float(config["warmupSeconds"]):
        loss = step()
        if done == 0:
            initial_loss = loss.item()
        done += 1
    blas, blas_threads = blas_library()
    emit({
        "ready": True,
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "threads": torch.get_num_threads(),
        "blas": blas,
        "blasThreads": blas_threads,
        "ompWaitPolicy": os.environ.get("OMP_WAIT_POLICY"),
        "warmupSteps": done,
        "initialLoss": initial_loss,
    })

    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            emit({"maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss})
            break
        seconds = float(words[1]) if len(words) > 1 else 1.0
        if words[0] == "run":
            count = 0
            start = time.perf_counter()
            cpu_start = time.process_time()
            loss = None
            while count < 2 or time.perf_counter() - start < seconds:
                loss = step()
                count += 1
            value = loss.item()  # CPU autograd is synchronous; .item() also makes sure the step is finished
            emit({"steps": count, "seconds": time.perf_counter() - start, "cpuSeconds": time.process_time() - cpu_start, "loss": value})
        elif words[0] == "phases":
            # CPU kernels run synchronously, so each phase can be timed inside one step.
            times = {"batch": [], "forward": [], "backward": [], "optimizer": []}
            start = time.perf_counter()
            while len(times["batch"]) < 3 or time.perf_counter() - start < seconds:
                t0 = time.perf_counter()
                x = next_batch()
                t1 = time.perf_counter()
                loss = loss_of(x)
                t2 = time.perf_counter()
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                t3 = time.perf_counter()
                optimizer.step()
                t4 = time.perf_counter()
                for key, value in (("batch", t1 - t0), ("forward", t2 - t1), ("backward", t3 - t2), ("optimizer", t4 - t3)):
                    times[key].append(value * 1000)
            emit({f"{key}Ms": statistics.median(values) for key, values in times.items()} | {"steps": len(times["batch"])})
        else:
            emit({"error": f"unknown command {line.strip()!r}"})


if __name__ == "__main__":
    main()
