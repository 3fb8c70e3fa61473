#!/usr/bin/env python3
"""The continual-learning protocol of samples/ContinualMnist in PyTorch, as an independent reference.

Von Oswald et al. (ICLR 2020), task-incremental, with the settings of their code (hypercl, mnist/train_args_default.py):
a chunked hypernetwork generates an MLP with a head per task; each task gets a fresh Adam for theta (the body and the
chunk embeddings) and one for its own task embedding; from the second task on, the loss adds
beta / |S| * sum over earlier tasks of ||h(e_t'; theta + dtheta) - h(e_t'; theta*)||^2, where theta* is theta when the
task began and dtheta the step Adam would take on the task loss alone (the look-ahead). Earlier embeddings are not
trained. Pixels in [0, 1], batches drawn in shuffled epochs, as there. After the last task every task is scored on the
test set with its W regenerated from the final theta.

Written for this repository from the paper and that code's settings. It answers one question: what this protocol
gives outside HyperDsl, on the same machine and data. Needs PyTorch (Debian: apt-get install python3-torch).

    python3 continual_mnist.py --data FOLDER --benchmark split-mnist --seed 1
"""
import argparse
import gzip
import json
import math
import os
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_mnist(folder):
    def find(stem):
        for name in (stem + ".gz", stem):
            path = os.path.join(folder, "mnist", name)
            if os.path.exists(path):
                return path
        raise FileNotFoundError(os.path.join(folder, "mnist", stem))

    sets = {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        images = read_idx(find(prefix + "-images-idx3-ubyte")).astype(np.float32) / 255.0
        labels = read_idx(find(prefix + "-labels-idx1-ubyte")).astype(np.int64)
        sets[split] = (torch.from_numpy(images.reshape(len(images), 28, 28)), torch.from_numpy(labels))
    return sets


SETTINGS = {
    # target hidden layers, classes per task, tasks, padding, task embedding, chunk embedding, body, activation,
    # chunk size, beta, steps per task, learning rate
    "split-mnist": dict(hidden=(400, 400), classes=2, tasks=5, padding=0, temb=96, cemb=96, body=(10, 10),
                        act="relu", chunk=42000, beta=0.01, steps=2000, lr=1e-3),
    "permuted-mnist": dict(hidden=(1000, 1000), classes=10, tasks=10, padding=2, temb=24, cemb=8, body=(25, 25),
                           act="elu", chunk=78000, beta=0.1, steps=5000, lr=1e-4),
}


def make_tasks(name, sets, tasks, seed):
    """Each task's (train inputs, train labels, test inputs, test labels), inputs flattened."""
    s = SETTINGS[name]
    result = []
    if name == "split-mnist":
        for t in range(tasks):
            entry = []
            for split in ("train", "test"):
                images, labels = sets[split]
                keep = (labels == 2 * t) | (labels == 2 * t + 1)
                entry += [images[keep].reshape(int(keep.sum()), -1), labels[keep] - 2 * t]
            result.append(entry)
    else:
        side = 28 + 2 * s["padding"]
        rng = np.random.RandomState(seed)
        perms = [None] + [torch.from_numpy(rng.permutation(side * side)) for _ in range(tasks - 1)]
        for t in range(tasks):
            entry = []
            for split in ("train", "test"):
                images, labels = sets[split]
                padded = F.pad(images, (s["padding"],) * 4).reshape(len(images), -1)
                entry += [padded if perms[t] is None else padded[:, perms[t]], labels]
            result.append(entry)
    return result


class ChunkedHypernetwork(torch.nn.Module):
    def __init__(self, target_shapes, tasks, s):
        super().__init__()
        self.shapes = target_shapes
        self.count = sum(math.prod(shape) for shape in target_shapes)
        self.chunks = -(-self.count // s["chunk"])
        self.task_embeddings = torch.nn.ParameterList(
            [torch.nn.Parameter(torch.randn(s["temb"])) for _ in range(tasks)])
        self.chunk_embeddings = torch.nn.Parameter(torch.randn(self.chunks, s["cemb"]))
        widths = [s["temb"] + s["cemb"], *s["body"], s["chunk"]]
        self.layers = torch.nn.ModuleList(torch.nn.Linear(a, b) for a, b in zip(widths, widths[1:]))
        for layer in self.layers:
            torch.nn.init.xavier_uniform_(layer.weight)
            torch.nn.init.zeros_(layer.bias)
        self.act = F.relu if s["act"] == "relu" else F.elu

    def theta(self):
        return [self.chunk_embeddings, *[p for layer in self.layers for p in (layer.weight, layer.bias)]]

    def forward(self, embedding, theta=None):
        """Every weight of the target, as one flat vector, from a task embedding (and theta, if given)."""
        theta = theta if theta is not None else self.theta()
        chunk_embeddings, params = theta[0], theta[1:]
        h = torch.cat([embedding.expand(self.chunks, -1), chunk_embeddings], dim=1)
        for i in range(len(self.layers)):
            h = F.linear(h, params[2 * i], params[2 * i + 1])
            if i < len(self.layers) - 1:
                h = self.act(h)
        return h.reshape(-1)[:self.count]


def target_forward(shapes, flat, x, input_major=False):
    """The target MLP with its weights read from flat: each layer's weights, then its bias. Weights are output-major
    ([out, in], as torch.nn.Linear stores them) or, with input_major, [in, out] (as HyperDsl lays them out)."""
    offset = 0
    h = x
    layers = len(shapes) // 2
    for i in range(layers):
        w_shape, b_shape = shapes[2 * i], shapes[2 * i + 1]
        w = flat[offset:offset + math.prod(w_shape)]
        w = w.view(w_shape[1], w_shape[0]).t() if input_major else w.view(w_shape)
        offset += math.prod(w_shape)
        b = flat[offset:offset + math.prod(b_shape)].view(b_shape)
        offset += math.prod(b_shape)
        h = F.linear(h, w, b)
        if i < layers - 1:
            h = F.relu(h)
    return h


def adam_lookahead(optimizer, params):
    """The change Adam's next step would make from the gradients now in params, its state left untouched."""
    changes = []
    group = optimizer.param_groups[0]
    beta1, beta2 = group["betas"]
    for p in params:
        state = optimizer.state[p]
        step = int(state["step"]) + 1 if state else 1
        m = state["exp_avg"] * beta1 + (1 - beta1) * p.grad if state else (1 - beta1) * p.grad
        v = state["exp_avg_sq"] * beta2 + (1 - beta2) * p.grad * p.grad if state else (1 - beta2) * p.grad * p.grad
        step_size = group["lr"] * math.sqrt(1 - beta2 ** step) / (1 - beta1 ** step)
        changes.append(-step_size * m / (v.sqrt() + group["eps"]))
    return changes


def accuracy(hnet, shapes, task, classes, x, y, input_major):
    with torch.no_grad():
        flat = hnet(hnet.task_embeddings[task])
        logits = target_forward(shapes, flat, x, input_major)[:, task * classes:(task + 1) * classes]
        return (logits.argmax(1) == y).float().mean().item()


def run(args):
    s = dict(SETTINGS[args.benchmark])
    tasks = args.tasks or s["tasks"]
    steps = args.iterations or s["steps"]
    beta = s["beta"] if args.beta is None else args.beta
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    data = make_tasks(args.benchmark, load_mnist(args.data), tasks, args.seed)
    inputs = data[0][0].shape[1]
    widths = [inputs, *s["hidden"], s["classes"] * s["tasks"]]
    shapes = []
    for a, b in zip(widths, widths[1:]):
        shapes += [(b, a), (b,)]
    hnet = ChunkedHypernetwork(shapes, s["tasks"], s)
    rng = np.random.RandomState(args.seed)
    matrix = []
    clock = time.time()
    for task in range(tasks):
        x, y = data[task][0], data[task][1]
        theta = hnet.theta()
        optimizer = torch.optim.Adam(theta, lr=s["lr"])
        embedding_optimizer = torch.optim.Adam([hnet.task_embeddings[task]], lr=s["lr"])
        with torch.no_grad():
            anchors = [hnet(hnet.task_embeddings[t]).clone() for t in range(task)]
        order = rng.permutation(len(x))
        cursor = 0
        for step in range(steps):
            if cursor + args.batch > len(order):
                order, cursor = rng.permutation(len(x)), 0
            batch = torch.from_numpy(order[cursor:cursor + args.batch])
            cursor += args.batch
            optimizer.zero_grad()
            embedding_optimizer.zero_grad()
            flat = hnet(hnet.task_embeddings[task])
            logits = target_forward(shapes, flat, x[batch], args.input_major)[:, task * s["classes"]:(task + 1) * s["classes"]]
            loss = F.cross_entropy(logits, y[batch])
            loss.backward()
            held_penalty = 0.0
            if task > 0 and beta > 0:
                held = range(task) if args.regularized_tasks is None or args.regularized_tasks >= task \
                    else rng.choice(task, args.regularized_tasks, replace=False)
                changes = adam_lookahead(optimizer, theta) if not args.no_lookahead else None
                moved = [p + d for p, d in zip(theta, changes)] if changes else None
                penalty = sum(
                    (hnet(hnet.task_embeddings[t].detach(), moved) - anchors[t]).pow(2).sum() for t in held)
                scaled = beta * penalty / len(held)
                scaled.backward()
                held_penalty = scaled.item()
            optimizer.step()
            embedding_optimizer.step()
            if (step + 1) % args.log_every == 0:
                print(f"task {task + 1}, step {step + 1}: loss {loss.item():.3g}, penalty {held_penalty:.3g}, "
                      f"{time.time() - clock:.0f} s", flush=True)
        row = [accuracy(hnet, shapes, t, s["classes"], data[t][2], data[t][3], args.input_major) for t in range(task + 1)]
        matrix.append(row + [None] * (tasks - task - 1))
        print(f"after task {task + 1}: " + ", ".join(f"{a * 100:.2f}" for a in row), flush=True)
    mean = sum(matrix[-1]) / tasks
    result = {"benchmark": args.benchmark, "seed": args.seed, "beta": beta, "steps": steps, "tasks": tasks,
              "regularized_tasks": args.regularized_tasks, "input_major": args.input_major, "mean_accuracy": mean, "accuracy_matrix": matrix,
              "seconds": time.time() - clock}
    print(json.dumps(result))
    if args.json:
        with open(args.json + ".tmp", "w") as f:
            json.dump(result, f)
        os.replace(args.json + ".tmp", args.json)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="a folder holding mnist/ with the four IDX files")
    parser.add_argument("--benchmark", choices=sorted(SETTINGS), default="split-mnist")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tasks", type=int)
    parser.add_argument("--iterations", type=int)
    parser.add_argument("--beta", type=float)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--regularized-tasks", type=int, help="a random N of the earlier tasks per step (default all)")
    parser.add_argument("--no-lookahead", action="store_true")
    parser.add_argument("--input-major", action="store_true",
                        help="lay each generated weight matrix out [in, out], as HyperDsl does, rather than [out, in]")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--log-every", type=int, default=500)
    parser.add_argument("--json")
    run(parser.parse_args())
