#!/usr/bin/env python3
"""PyTorch side of tools/bench/train-vs-pytorch.mjs: one worker process that trains VAE-1 and answers timing requests.

Started by the .mjs driver as
    /usr/bin/python3 tools/bench/train_vs_pytorch_torch.py CONFIG_JSON
(with OMP_NUM_THREADS/OPENBLAS_NUM_THREADS/MKL_NUM_THREADS set to the thread count for pinned runs) where CONFIG_JSON gives dataDim, latentDim, hidden, batch, learningRate, epsilon, warmupSeconds, warmupSteps,
threads ("default" or an integer) and dataFile (row-major float32 of rows x dataDim, written by the driver so
that both sides train on the same numbers).

The model is the project's VAE-1 (packages/models/src/vae1.ts) written out in torch, op for op:
  encoder  D -> hidden... -> 2H  (ReLU after every hidden layer, linear head: mean = first H, log tau^2 = last H)
  decoder  H -> reversed hidden... -> D  (ReLU, linear output: the decoder mean mu(z))
  log sigma^2: one learnable scalar, initially 0
  Glorot-uniform weights, zero biases (packages/models/src/dense.ts)
  loss = -ELBO with one reparameterised sample:
    R   = mean_n sum_d (x_nd - mu_d(z_n))^2
    ELL = -(D/2)(log 2pi + log sigma^2) - R / (2 sigma^2)
    KL  = mean_n sum_h KL(N(nu, tau^2) || N(0, 1))
  Adam(lr, betas 0.9/0.999, eps = tfjs's float32 epsilon 1e-7) on every parameter.
A minibatch is gathered from the data tensor with a fixed permutation, as trainVae does (tf.gather).

Protocol (one JSON object per line): after warm-up the worker prints {"ready": true, ...}; then for every
line "run SECONDS" on stdin it trains until SECONDS have passed (at least 2 steps) and prints
{"steps", "seconds", "loss"}; "quit" ends it. If torch cannot be imported it prints {"ready": false, "error"}
and exits 0, so the driver can say so.
"""
import json
import math
import sys
import time


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def openblas_threads():
    """Threads of the OpenBLAS loaded into this process (Debian's torch does its GEMMs there), or None.

    torch.set_num_threads does not reach Debian's OpenBLAS (pthread build, linked as the generic libblas), which
    runs on every core unless OPENBLAS_NUM_THREADS says otherwise; the driver sets that variable for the pinned
    workers, and this reports what the library actually uses.
    """
    import ctypes

    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line and line.split()[-1].startswith("/")}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            library = ctypes.CDLL(path)
            return int(library.openblas_get_num_threads())
        except (OSError, AttributeError):
            continue
    return None


def main():
    config = json.loads(sys.argv[1])
    try:
        import torch

        torch.zeros(1).add_(1)  # a half-installed package can import as an empty namespace package
    except Exception as error:  # noqa: BLE001 - any failure here means "no working PyTorch here"
        emit({"ready": False, "error": f"no working torch for {sys.executable}: {type(error).__name__}: {error}"})
        return

    if config["threads"] != "default":
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
            torch.nn.init.xavier_uniform_(linear.weight)  # Glorot uniform, as Dense
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

    def step(i):
        start = (i * batch) % (rows - batch + 1)
        x = data.index_select(0, order[start:start + batch])
        out = encoder(x)
        mean, log_variance = out[:, :h], out[:, h:]
        z = mean + torch.exp(0.5 * log_variance) * torch.randn_like(mean)
        mu = decoder(z)
        squared_error = ((x - mu) ** 2).sum(-1).mean()
        expected_log_likelihood = -0.5 * d * (log_decoder_variance + log_2pi) - 0.5 * torch.exp(-log_decoder_variance) * squared_error
        kl = (0.5 * (torch.exp(log_variance) + mean ** 2 - 1 - log_variance)).sum(1).mean()
        loss = -(expected_log_likelihood - kl)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss

    steps_done = 0
    initial_loss = None
    warm_start = time.perf_counter()
    while steps_done < int(config["warmupSteps"]) or time.perf_counter() - warm_start < float(config["warmupSeconds"]):
        loss = step(steps_done)
        if steps_done == 0:
            initial_loss = loss.item()  # a cross-check of the objective against tfjs's (same data, same init law)
        steps_done += 1
    emit({
        "ready": True,
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "threads": torch.get_num_threads(),
        "interopThreads": torch.get_num_interop_threads(),
        "blasThreads": openblas_threads(),
        "parallel": [line.strip() for line in torch.__config__.parallel_info().splitlines() if any(k in line for k in ("OpenMP", "MKL not", "Intel(R) MKL", "parallel backend", "hardware_concurrency"))],
        "warmupSteps": steps_done,
        "initialLoss": initial_loss,
    })

    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        if words[0] != "run":
            emit({"error": f"unknown command {line.strip()!r}"})
            continue
        seconds = float(words[1])
        count = 0
        start = time.perf_counter()
        loss = None
        while count < 2 or time.perf_counter() - start < seconds:
            loss = step(steps_done)
            steps_done += 1
            count += 1
        value = loss.item()  # CPU autograd is synchronous; .item() also makes sure the step is finished
        elapsed = time.perf_counter() - start
        emit({"steps": count, "seconds": elapsed, "loss": value})


if __name__ == "__main__":
    main()
