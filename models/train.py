#!/usr/bin/python3
"""Retrain and re-export every model and sample image of OnePixel.Testing.

One command, run from anywhere:

    /usr/bin/python3 models/train.py

Needs Debian packages python3-torch (1.13), python3-onnx (1.12), python3-numpy and
dataset-fashion-mnist (IDX files in /usr/share/datasets/fashion-mnist/). Everything is seeded,
torch runs deterministic algorithms on 2 threads, so a re-run on the same software gives the same
.onnx bytes and the same PNG bytes (the model cards also carry the measured wall times, which vary).

It writes:
  samples/images/fashion-mnist/           test images 0..99 (grayscale PNG), labels.csv, classes.txt
  samples/images/fashion-mnist-holdout/   test images 100..199
  samples/images/fashion-mnist-colour/    colour renderings of test images 0..99
  samples/images/testing-8x8/             tiny synthetic 8x8 images for models/testing/
  models/fashion-cnn-v1.onnx (+ .onnx.json, .md)   sturdier release (one-pixel noise augmentation)
  models/fashion-cnn-v2.onnx (+ .onnx.json, .md)   compressed release, plain training
  models/fashion-cnn-v3.onnx (+ .onnx.json, .md)   v1 retrained with adversarial examples the attack found on v1
  models/fashion-colour-cnn.onnx (+ .onnx.json, .md)
  samples/images/fashion-mnist-colour32/  the same colour renderings padded to 32x32 (the CIFAR-10 size)
  models/fashion-colour32-cnn.onnx, -resnet.onnx, -fire.onnx (+ .onnx.json, .md)   32x32 RGB networks for exact verification
  models/variants/*.onnx (+ .onnx.json), expected.json, README.md
  models/testing/*.onnx (+ .onnx.json)   (tiny-rgb*.onnx and their images only with --verification-test-models)
  models/SHA256SUMS
"""
import argparse
import gzip
import hashlib
import json
import os
import re
import struct
import sys
import time
import zlib

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import onnx
from onnx import helper, TensorProto

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SAMPLES = os.path.join(ROOT, "samples", "images")
DATA = "/usr/share/datasets/fashion-mnist"

SEED = 20190101
OPSET = 17
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
# Fashion-MNIST training-set pixel statistics after scaling to 0..1 (computed: 0.28604, 0.35302).
GRAY_MEAN = 0.2860
GRAY_STD = 0.3530
COLOUR_TEST_SEED = 7          # colours of the colour-rendered test set (and its sample images)
COLOUR_TRAIN_SEED = 11        # colours of the colour-rendered training set (re-drawn each epoch)
MIN_CONTRAST = 96             # sum over R,G,B of |fg - bg| must be at least this
QUICK_VALUES = [0, 64, 128, 192, 255]
COLOUR32_MODELS = ["fashion-colour32-cnn", "fashion-colour32-resnet", "fashion-colour32-fire"]
TOOL_SECTION = "## One-pixel robustness (measured by onepixel)"
# Adversarial training examples for v3: training images the tool's attack fooled v1 on (see adversarial_examples).
ADVERSARIAL = os.path.join(HERE, "training", "fashion-cnn-v1-adversarial.json")
ADVERSARIAL_PER_BATCH = 32    # adversarial examples added to every batch of 128 clean images


def log(*a):
    print(*a, flush=True)


# ----------------------------------------------------------------------------- data

def read_idx(name):
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        raw = f.read()
    magic, = struct.unpack(">I", raw[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_fashion():
    xtr = read_idx("train-images-idx3-ubyte.gz")
    ytr = read_idx("train-labels-idx1-ubyte.gz")
    xte = read_idx("t10k-images-idx3-ubyte.gz")
    yte = read_idx("t10k-labels-idx1-ubyte.gz")
    return xtr, ytr.astype(np.int64), xte, yte.astype(np.int64)


def draw_colours(rng, n):
    """n foreground and n background RGB colours (uint8), with a minimum contrast."""
    fg = rng.randint(0, 256, size=(n, 3))
    bg = rng.randint(0, 256, size=(n, 3))
    while True:
        bad = np.abs(fg - bg).sum(axis=1) < MIN_CONTRAST
        k = int(bad.sum())
        if k == 0:
            return fg.astype(np.uint8), bg.astype(np.uint8)
        fg[bad] = rng.randint(0, 256, size=(k, 3))
        bg[bad] = rng.randint(0, 256, size=(k, 3))


def render_colour(gray, fg, bg):
    """gray [N,28,28] uint8, fg/bg [N,3] uint8 -> [N,28,28,3] uint8; pixel = bg*(1-a) + fg*a."""
    a = gray.astype(np.float64)[..., None] / 255.0
    img = bg[:, None, None, :].astype(np.float64) * (1.0 - a) + fg[:, None, None, :].astype(np.float64) * a
    return np.clip(np.floor(img + 0.5), 0, 255).astype(np.uint8)


def colour_test_set(xte, pad=0):
    fg, bg = draw_colours(np.random.RandomState(COLOUR_TEST_SEED), len(xte))
    return render_colour(pad_gray(xte, pad), fg, bg)


def pad_gray(gray, pad):
    """[N,28,28] -> [N,28+2*pad,28+2*pad] with background (0) around: rendered, the border is the background colour."""
    return gray if pad == 0 else np.pad(gray, ((0, 0), (pad, pad), (pad, pad)))


# ----------------------------------------------------------------------------- PNG

def png_bytes(img):
    """Deterministic PNG: img uint8 [H,W] (grayscale) or [H,W,3] (RGB), filter 0, zlib level 9."""
    img = np.ascontiguousarray(img, dtype=np.uint8)
    h, w = img.shape[:2]
    ctype = 0 if img.ndim == 2 else 2
    raw = b"".join(b"\x00" + img[y].tobytes() for y in range(h))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, ctype, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def write_sample_set(folder, images, labels, indices, classes=CLASSES):
    os.makedirs(folder, exist_ok=True)
    for f in os.listdir(folder):
        if f.endswith(".png"):
            os.remove(os.path.join(folder, f))
    rows = ["file,label,sourceIndex"]
    files = []
    for img, lab, idx in zip(images, labels, indices):
        fn = "test-%05d-%s.png" % (idx, slug(classes[lab]))
        with open(os.path.join(folder, fn), "wb") as f:
            f.write(png_bytes(img))
        rows.append("%s,%d,%d" % (fn, lab, idx))
        files.append(fn)
    write_text(os.path.join(folder, "labels.csv"), "\n".join(rows) + "\n")
    write_text(os.path.join(folder, "classes.txt"), "\n".join(classes) + "\n")
    return files


def write_text(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_json(path, obj):
    write_text(path, json.dumps(obj, indent=2, ensure_ascii=False) + "\n")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# ----------------------------------------------------------------------------- networks

class Normalize(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).view(1, -1, 1, 1))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).view(1, -1, 1, 1))

    def forward(self, x):
        return (x - self.mean) / self.std


class SmallCnn(nn.Module):
    """conv3x3(c1)-ReLU-maxpool2 -> conv3x3(c2)-ReLU-maxpool2 -> fc(hidden)-ReLU -> fc(10)."""

    def __init__(self, in_ch, c1, c2, hidden, denoise=False):
        super().__init__()
        self.denoise = denoise
        self.conv1 = nn.Conv2d(in_ch, c1, 3, padding=1)
        self.conv2 = nn.Conv2d(c1, c2, 3, padding=1)
        self.fc1 = nn.Linear(c2 * 7 * 7, hidden)
        self.fc2 = nn.Linear(hidden, 10)

    def features(self, x):
        if self.denoise:
            x = open_close(x)
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return F.relu(self.fc1(torch.flatten(x, 1)))

    def forward(self, x):
        return self.fc2(self.features(x))


def open_close(x):
    """Morphological opening then closing with a 2x2 square (stride-1 min/max pools): removes isolated
    bright and dark single pixels, keeps the image size. Exported as Neg/MaxPool nodes."""
    x = F.max_pool2d(-F.max_pool2d(-x, 2, stride=1), 2, stride=1, padding=1)     # opening: erode, dilate
    x = -F.max_pool2d(-F.max_pool2d(x, 2, stride=1), 2, stride=1, padding=1)      # closing: dilate, erode
    return x


class Classifier(nn.Module):
    """Input 0..1 NCHW, normalisation inside, raw logits out."""

    def __init__(self, net, mean, std):
        super().__init__()
        self.norm = Normalize(mean, std)
        self.net = net

    def forward(self, x):
        return self.net(self.norm(x))


def n_params(m):
    return sum(p.numel() for p in m.parameters())


# ----------------------------------------------------------------------------- training

def pixel_noise(x, gen, max_pixels, colour=False):
    """Set 0..max_pixels random pixels of each image (each with probability 0.75) to 0 or 1 (all channels of a
    pixel alike), or with colour=True to a random corner of the colour cube (each channel 0 or 1); teaches the
    network that no single pixel decides the class."""
    n, c, h, w = x.shape
    x = x.clone()
    flat = x.view(n, c, h * w)
    for _ in range(max_pixels):
        use = torch.rand(n, generator=gen) < 0.75
        pos = torch.randint(0, h * w, (n,), generator=gen)
        val = (torch.rand(n, c, generator=gen) < 0.5).float() if colour else \
            (torch.rand(n, generator=gen) < 0.5).float().unsqueeze(1).expand(-1, c)
        rows = torch.nonzero(use).flatten()
        flat[rows, :, pos[rows]] = val[rows]
    return x


def gradient_pixels(model, x, y, gen, k=2):
    """Single-step, gradient-guided pixel 'hardening' (what v2 used, and why it backfired): for each image,
    set the pixel(s) whose first-order loss increase is largest when set to 0 or 1 (the first always, the
    second with probability 1/2). Training on these teaches the network to flatten its input gradient at
    those pixels (gradient masking) rather than to become robust; a black-box search is not fooled."""
    model.eval()
    x = x.clone().requires_grad_(True)
    g, = torch.autograd.grad(F.cross_entropy(model(x), y), x)
    model.train()
    x = x.detach()
    n = len(x)
    gain0 = (g * (0 - x)).view(n, -1)
    gain1 = (g * (1 - x)).view(n, -1)
    best = torch.maximum(gain0, gain1)
    val = (gain1 > gain0).float()
    top = best.topk(k, dim=1).indices
    xf = x.view(n, -1).clone()
    rows = torch.arange(n)
    for j in range(k):
        use = torch.ones(n, dtype=torch.bool) if j == 0 else torch.rand(n, generator=gen) < 0.5
        cols = top[:, j]
        xf[rows, cols] = torch.where(use, val[rows, cols], xf[rows, cols])
    return xf.view_as(x)


def adversarial_examples(xtr, ytr, report=None):
    """v3's adversarial training examples: Fashion-MNIST training images that the tool's one-pixel attack fooled v1
    on, with the pixels it set. Kept small in ADVERSARIAL (index, label, pixels per fooled image); rebuilt from a
    JSON report of `onepixel attack --json` when one is given. Returns images [M,1,28,28] 0..1, labels, and facts."""
    if report is not None:
        with open(report, encoding="utf-8") as f:
            r = json.load(f)
        summary = r["summary"]
        if not summary.get("imageSource", "").endswith("train-images-idx3-ubyte.gz"):
            sys.exit("%s: expected an attack on the Fashion-MNIST training images, found imageSource %r"
                     % (report, summary.get("imageSource")))
        examples = [{"index": x["index"], "label": x["label"],
                     "pixels": [[p["x"], p["y"], p["value"][0]] for p in x["pixels"]]}
                    for x in r["results"] if x["fooled"]]
        os.makedirs(os.path.dirname(ADVERSARIAL), exist_ok=True)
        write_text(ADVERSARIAL, json.dumps({
            "about": "Training images of Fashion-MNIST that onepixel's attack fooled fashion-cnn-v1 on, with the pixels "
                     "(x, y, value) it set: v3's adversarial training examples (models/train.py).",
            "model": summary["model"]["path"], "modelSha256": summary["model"]["sha256"],
            "images": summary["imageSource"], "attacked": summary["attacked"], "fooled": summary["fooled"],
            "budget": summary["budget"], "pixels": summary["pixels"], "search": summary["search"], "seed": summary["seed"],
            "examples": examples}, separators=(",", ":")).replace('{"index"', '\n{"index"') + "\n")
    with open(ADVERSARIAL, encoding="utf-8") as f:
        data = json.load(f)
    xs, ys = [], []
    for e in data["examples"]:
        if int(ytr[e["index"]]) != e["label"]:
            sys.exit("%s: training image %d has label %d, the file says %d" % (ADVERSARIAL, e["index"], ytr[e["index"]], e["label"]))
        img = xtr[e["index"]].copy()
        for x, y, v in e["pixels"]:
            img[y, x] = v
        xs.append(img)
        ys.append(e["label"])
    log("  %d adversarial examples of v1 (%d of %d attacked training images fooled)" % (len(xs), data["fooled"], data["attacked"]))
    info = {"count": len(xs), "made": "%d of %d attacked training images fooled at budget %d, %d pixels, search %s, seed %d"
            % (data["fooled"], data["attacked"], data["budget"], data["pixels"], data["search"], data["seed"])}
    return (torch.from_numpy(np.stack(xs).astype(np.float32) / 255.0).unsqueeze(1),
            torch.tensor(ys, dtype=torch.int64), info)


def with_adversarial(x, y, adv_x, adv_y, gen):
    """The batch plus ADVERSARIAL_PER_BATCH adversarial examples drawn at random (with replacement)."""
    pick = torch.randint(0, len(adv_y), (ADVERSARIAL_PER_BATCH,), generator=gen)
    return torch.cat([x, adv_x[pick]]), torch.cat([y, adv_y[pick]])


def train(model, make_batch, n_train, epochs, lr, seed, augment=None, batch=128):
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    steps = epochs * ((n_train + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    model.train()
    t0 = time.time()
    for ep in range(epochs):
        perm = torch.randperm(n_train, generator=gen)
        total, correct, loss_sum = 0, 0, 0.0
        for i in range(0, n_train, batch):
            idx = perm[i:i + batch]
            x, y = make_batch(idx, ep)
            if augment is not None:
                x, y = augment(model, x, y, ep, gen)
            opt.zero_grad()
            out = model(x)
            loss = F.cross_entropy(out, y)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item() * len(y)
            correct += (out.argmax(1) == y).sum().item()
            total += len(y)
        log("  epoch %d: loss %.4f train-acc %.4f (%.0f s)" % (ep + 1, loss_sum / total, correct / total, time.time() - t0))
    model.eval()
    return time.time() - t0


@torch.inference_mode()
def predict(model, x, batch=2000):
    return torch.cat([model(x[i:i + batch]) for i in range(0, len(x), batch)])


@torch.inference_mode()
def one_pixel_scan(model, images, labels, values):
    """Exhaustive one-pixel search over every position and the given values.
    images uint8 [N,H,W] (grayscale) or [N,H,W,3] (colour, all three channels set to v).
    Returns (correct, vulnerable) counts and the vulnerable image indices."""
    vals = torch.tensor(values, dtype=torch.float32) / 255.0
    correct, vulnerable, which = 0, 0, []
    for i in range(len(images)):
        img = torch.from_numpy(images[i].astype(np.float32) / 255.0)
        x = img.unsqueeze(0) if img.ndim == 2 else img.permute(2, 0, 1)
        c, h, w = x.shape
        if model(x.unsqueeze(0)).argmax(1).item() != labels[i]:
            continue
        correct += 1
        batch = x.unsqueeze(0).repeat(h * w * len(values), 1, 1, 1).view(len(values), h * w, c, h * w)
        pos = torch.arange(h * w)
        for k in range(len(values)):
            batch[k, pos, :, pos] = vals[k]
        preds = predict(model, batch.view(-1, c, h, w), batch=4000).argmax(1)
        if (preds != labels[i]).any():
            vulnerable += 1
            which.append(i)
    return correct, vulnerable, which


# ----------------------------------------------------------------------------- export

def clean_and_save(path, model_proto, input_names=None):
    for n in model_proto.graph.node:
        n.doc_string = ""
    model_proto.doc_string = ""
    model_proto.producer_name = "OnePixel.Testing models/train.py"
    model_proto.producer_version = "1"
    onnx.checker.check_model(model_proto)
    data = model_proto.SerializeToString()
    with open(path, "wb") as f:
        f.write(data)


def export(module, path, example, input_name="image", output_names=("logits",), dynamic=True):
    module.eval()
    tmp = path + ".tmp"
    dyn = None
    if dynamic:
        dyn = {input_name: {0: "N"}}
        for o in output_names:
            dyn[o] = {0: "N"}
    with torch.no_grad():
        torch.onnx.export(module, example, tmp, opset_version=OPSET, input_names=[input_name],
                          output_names=list(output_names), dynamic_axes=dyn, do_constant_folding=True)
    m = onnx.load(tmp)
    os.remove(tmp)
    clean_and_save(path, m)
    return describe(path)


def describe(path):
    m = onnx.load(path)

    def shp(v):
        dims = []
        for d in v.type.tensor_type.shape.dim:
            dims.append(d.dim_param if d.dim_param else str(d.dim_value))
        return "[" + ",".join(dims) + "]"

    ins = [(v.name, shp(v)) for v in m.graph.input]
    outs = [(v.name, shp(v)) for v in m.graph.output]
    return ins, outs


def sidecar(path, description, layout="nchw", width=28, height=28, channels=1, scale=255.0, mean=None,
            std=None, output_kind="logits", classes=CLASSES, sample_images="../samples/images/fashion-mnist",
            input_name=None, output_name=None):
    d = {"schema": 1, "description": description}
    if input_name is not None:
        d["inputName"] = input_name
    if output_name is not None:
        d["outputName"] = output_name
    d.update({"layout": layout, "width": width, "height": height, "channels": channels, "scale": scale})
    if mean is not None and any(v != 0.0 for v in mean):
        d["mean"] = mean
    if std is not None and any(v != 1.0 for v in std):
        d["std"] = std
    d["outputKind"] = output_kind
    d["classes"] = classes
    if sample_images is not None:
        d["sampleImages"] = sample_images
    write_json(path + ".json", d)


# ----------------------------------------------------------------------------- model cards

def keep_tool_section(card_path):
    default = TOOL_SECTION + "\n\nto be filled by the tool\n"
    if not os.path.exists(card_path):
        return default
    text = open(card_path, encoding="utf-8").read()
    i = text.find(TOOL_SECTION)
    if i < 0:
        return default
    rest = text[i:]
    j = rest.find("\n## ", len(TOOL_SECTION))
    return rest if j < 0 else rest[:j + 1]


def write_card(path, title, summary, facts, body):
    tool = keep_tool_section(path)
    lines = ["# " + title, "", summary, "", "## Facts (machine-readable)", ""]
    lines += ["- %s: %s" % (k, v) for k, v in facts]
    lines += ["", body.rstrip("\n"), "", tool.rstrip("\n"), ""]
    write_text(path, "\n".join(lines))


# ----------------------------------------------------------------------------- tiny test models

def make_testing_models(outdir, v1_path):
    os.makedirs(outdir, exist_ok=True)
    N = "N"
    img = helper.make_tensor_value_info("image", TensorProto.FLOAT, [N, 1, 8, 8])
    opset = [helper.make_opsetid("", OPSET)]

    def save(graph, name):
        m = helper.make_model(graph, opset_imports=opset, producer_name="OnePixel.Testing models/train.py",
                              producer_version="1")
        m.ir_version = 8
        clean_and_save(os.path.join(outdir, name), m)

    classes_trigger = ["off", "on"]
    # single-pixel-trigger: logits = [0.5, image[:,0,2,5]] -> class 1 iff pixel (x=5, y=2) > 0.5
    g = helper.make_graph(
        [helper.make_node("Flatten", ["image"], ["flat"], axis=1),
         helper.make_node("Gather", ["flat", "idx"], ["pixel"], axis=1),          # [N,1]
         helper.make_node("Mul", ["pixel", "zero"], ["zeros"]),
         helper.make_node("Add", ["zeros", "half"], ["c0"]),
         helper.make_node("Concat", ["c0", "pixel"], ["logits"], axis=1)],
        "single_pixel_trigger", [img],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [N, 2])],
        initializer=[helper.make_tensor("idx", TensorProto.INT64, [1], [2 * 8 + 5]),
                     helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0]),
                     helper.make_tensor("half", TensorProto.FLOAT, [], [0.5])])
    save(g, "single-pixel-trigger.onnx")
    sidecar(os.path.join(outdir, "single-pixel-trigger.onnx"),
            "Hand-made 8x8 model: class 0 (off) wins unless pixel x=5, y=2 is above 0.5 (raw value 128 or more), then class 1 (on).",
            width=8, height=8, classes=classes_trigger, sample_images="../../samples/images/testing-8x8")

    def reduce_sum_zero():
        return [helper.make_node("ReduceSum", ["image", "axes"], ["s"], keepdims=0),   # [N]
                helper.make_node("Unsqueeze", ["s", "ax1"], ["s1"]),                   # [N,1]
                helper.make_node("Mul", ["s1", "zero"], ["z"])]                        # [N,1] zeros

    common_init = [helper.make_tensor("axes", TensorProto.INT64, [3], [1, 2, 3]),
                   helper.make_tensor("ax1", TensorProto.INT64, [1], [1]),
                   helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0])]
    g = helper.make_graph(
        reduce_sum_zero() + [helper.make_node("Add", ["z", "const"], ["logits"])],
        "constant", [img], [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [N, 3])],
        initializer=common_init + [helper.make_tensor("const", TensorProto.FLOAT, [3], [0.1, 2.0, 0.3])])
    save(g, "constant.onnx")
    sidecar(os.path.join(outdir, "constant.onnx"),
            "Hand-made 8x8 model that ignores its input: logits are always [0.1, 2.0, 0.3], so class 1 always wins and no pixel can change it.",
            width=8, height=8, classes=["a", "b", "c"], sample_images="../../samples/images/testing-8x8")

    g = helper.make_graph(
        reduce_sum_zero() + [helper.make_node("Add", ["z", "const"], ["logits"])],
        "nan", [img], [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [N, 3])],
        initializer=common_init + [helper.make_tensor("const", TensorProto.FLOAT, [3],
                                                      [float("nan"), float("nan"), float("nan")])])
    save(g, "nan.onnx")
    sidecar(os.path.join(outdir, "nan.onnx"),
            "Hand-made 8x8 model whose logits are always NaN, to check that the tool reports unusable outputs.",
            width=8, height=8, classes=["a", "b", "c"], sample_images="../../samples/images/testing-8x8")

    # not-a-classifier: x [N,3] -> outer product [N,3,3]
    g = helper.make_graph(
        [helper.make_node("Unsqueeze", ["x", "ax2"], ["col"]),   # [N,3,1]
         helper.make_node("Unsqueeze", ["x", "ax1"], ["row"]),   # [N,1,3]
         helper.make_node("Mul", ["col", "row"], ["outer"])],
        "not_a_classifier", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [N, 3])],
        [helper.make_tensor_value_info("outer", TensorProto.FLOAT, [N, 3, 3])],
        initializer=[helper.make_tensor("ax1", TensorProto.INT64, [1], [1]),
                     helper.make_tensor("ax2", TensorProto.INT64, [1], [2])])
    save(g, "not-a-classifier.onnx")
    sidecar(os.path.join(outdir, "not-a-classifier.onnx"),
            "Hand-made model that is not an image classifier: input x [N,3], output outer [N,3,3] (outer product); the tool must refuse it.",
            layout="flat", width=3, height=1, channels=1, classes=["a", "b", "c"], sample_images=None)

    with open(v1_path, "rb") as f:
        head = f.read(300)
    with open(os.path.join(outdir, "corrupt.onnx"), "wb") as f:
        f.write(head)
    sidecar(os.path.join(outdir, "corrupt.onnx"),
            "The first 300 bytes of fashion-cnn-v1.onnx (truncated, cannot be loaded); the sidecar itself is valid.",
            sample_images="../../samples/images/fashion-mnist")


def make_testing_samples(folder):
    """Five 8x8 grayscale images for the hand-made test models."""
    rng = np.random.RandomState(8)
    imgs = [np.zeros((8, 8), np.uint8),
            np.full((8, 8), 100, np.uint8),
            rng.randint(0, 120, size=(8, 8)).astype(np.uint8),
            rng.randint(0, 256, size=(8, 8)).astype(np.uint8),
            np.zeros((8, 8), np.uint8)]
    imgs[3][2, 5] = 40       # keep the trigger pixel off
    imgs[4][2, 5] = 255      # trigger pixel on: single-pixel-trigger says class 1 (on)
    labels = [0, 0, 0, 0, 1]
    os.makedirs(folder, exist_ok=True)
    rows = ["file,label,sourceIndex"]
    names = ["black", "gray100", "dim-noise", "noise", "trigger-on"]
    for i, (im, lab, nm) in enumerate(zip(imgs, labels, names)):
        fn = "synthetic-%02d-%s.png" % (i, nm)
        with open(os.path.join(folder, fn), "wb") as f:
            f.write(png_bytes(im))
        rows.append("%s,%d,%d" % (fn, lab, i))
    write_text(os.path.join(folder, "labels.csv"), "\n".join(rows) + "\n")
    write_text(os.path.join(folder, "classes.txt"), "off\non\n")


# ----------------------------------------------------------------------------- tiny RGB networks for the verifier's tests

class TinyRgb(nn.Module):
    """4x4 RGB: conv2x2 stride 2 (3->4) -> ReLU -> Flatten (16) -> Linear(8) -> ReLU -> Linear(3). One pixel reaches
    exactly one convolution window, so a test can score every one of its 16.7 million colours quickly."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 2, stride=2)
        self.fc1 = nn.Linear(16, 8)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(torch.flatten(F.relu(self.conv(x)), 1))))


class TinyGraph(nn.Module):
    """8x8 RGB through most operators the verifier reads: normalisation (Sub, Div), Conv, BatchNormalization, ReLU,
    a 1x1 branch joined by Concat, AveragePool, a residual Add, MaxPool with ceil_mode, the old
    x.view(x.size(0), -1) flatten (Shape -> Gather -> Unsqueeze -> Concat -> Reshape), Gemm and a final Softmax."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.5, 0.4, 0.3]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.25, 0.3, 0.2]).view(1, 3, 1, 1))
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.branch = nn.Conv2d(4, 4, 1)
        self.mix = nn.Conv2d(8, 8, 3, padding=1, groups=2)
        self.fc = nn.Linear(8 * 2 * 2, 3)

    def forward(self, x):
        x = (x - self.mean) / self.std
        x = F.relu(self.bn(self.conv(x)))
        x = torch.cat([x, F.relu(self.branch(x))], 1)
        x = F.avg_pool2d(x, 2)
        x = x + F.relu(self.mix(x))
        x = F.max_pool2d(x, 3, stride=2, ceil_mode=True)
        x = x.contiguous()
        return F.softmax(self.fc(x.view(x.size(0), -1)), dim=1)


def make_verification_test_models():
    """models/testing/tiny-rgb.onnx and tiny-rgb-graph.onnx with seeded random weights, and images they classify
    (samples/images/testing-rgb-4x4, testing-rgb-8x8), labelled with the networks' own classes."""
    outdir = os.path.join(HERE, "testing")
    torch.manual_seed(SEED + 17)
    tiny = TinyRgb().eval()
    with torch.no_grad():
        for p in tiny.parameters():
            p.mul_(3.0)
    graph = TinyGraph().eval()
    with torch.no_grad():
        graph.bn.running_mean.uniform_(-0.2, 0.2)
        graph.bn.running_var.uniform_(0.5, 1.5)
        graph.bn.weight.uniform_(0.5, 1.5)
        graph.bn.bias.uniform_(-0.2, 0.2)
        for p in graph.fc.parameters():
            p.mul_(4.0)
    rng = np.random.RandomState(SEED + 17)
    for name, net, size, n in [("tiny-rgb", tiny, 4, 6), ("tiny-rgb-graph", graph, 8, 6)]:
        export(net, os.path.join(outdir, name + ".onnx"), torch.zeros(2, 3, size, size))
        imgs = rng.randint(0, 256, size=(n, size, size, 3)).astype(np.uint8)
        with torch.no_grad():
            labels = net(torch.from_numpy(imgs.astype(np.float32) / 255.0).permute(0, 3, 1, 2)).argmax(1).tolist()
        folder = os.path.join(SAMPLES, "testing-rgb-%dx%d" % (size, size))
        write_sample_set(folder, imgs, labels, range(n), classes=["a", "b", "c"])
        sidecar(os.path.join(outdir, name + ".onnx"),
                ("Seeded random 4x4 RGB network (Conv 2x2 stride 2, ReLU, Gemm, ReLU, Gemm: 3 classes) whose pixels are small "
                 "enough to score every colour of, for the verifier's brute-force tests." if name == "tiny-rgb" else
                 "Seeded random 8x8 RGB network through most operators the verifier reads (Sub, Div, Conv, BatchNormalization, "
                 "Concat, AveragePool, Add, MaxPool ceil_mode, Shape/Gather/Unsqueeze/Concat/Reshape, Gemm, Softmax)."),
                width=size, height=size, channels=3, classes=["a", "b", "c"],
                output_kind="logits" if name == "tiny-rgb" else "probabilities",
                sample_images="../../samples/images/testing-rgb-%dx%d" % (size, size))
        log("  %s: labels %s" % (name, labels))
    write_sums(HERE)


# ----------------------------------------------------------------------------- variants of v1

class Nhwc(nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return self.inner(x.permute(0, 3, 1, 2))


class Scale(nn.Module):
    def __init__(self, inner, s):
        super().__init__()
        self.inner = inner
        self.s = s

    def forward(self, x):
        return self.inner(x / self.s)


class Flat(nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return self.inner(x.reshape(-1, 1, 28, 28))


class Softmax(nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return F.softmax(self.inner(x), dim=1)


class MultiOutput(nn.Module):
    def __init__(self, clf):
        super().__init__()
        self.clf = clf

    def forward(self, x):
        feats = self.clf.net.features(self.clf.norm(x))
        logits = self.clf.net.fc2(feats)
        return feats, logits, F.softmax(logits, dim=1)


def make_variants(outdir, v1, sample_imgs, sample_files, sample_labels):
    os.makedirs(outdir, exist_ok=True)
    si = "../../samples/images/fashion-mnist"
    x4 = torch.zeros(2, 1, 28, 28)
    shapes = {}

    def side(name, desc, **kw):
        sidecar(os.path.join(outdir, name), desc, sample_images=si, **kw)

    shapes["nhwc.onnx"] = export(Nhwc(v1), os.path.join(outdir, "nhwc.onnx"), torch.zeros(2, 28, 28, 1))
    side("nhwc.onnx", "fashion-cnn-v1 with an NHWC input [N,28,28,1] (values 0..1, normalisation inside).", layout="nhwc")

    shapes["batch1.onnx"] = export(v1, os.path.join(outdir, "batch1.onnx"), torch.zeros(1, 1, 28, 28), dynamic=False)
    side("batch1.onnx", "fashion-cnn-v1 with a fixed batch of one: input [1,1,28,28], output [1,10].")

    shapes["probabilities.onnx"] = export(Softmax(v1), os.path.join(outdir, "probabilities.onnx"), x4,
                                          output_names=("probabilities",))
    side("probabilities.onnx", "fashion-cnn-v1 with softmax inside the graph: output probabilities [N,10].",
         output_kind="probabilities")

    shapes["external-norm.onnx"] = export(v1.net, os.path.join(outdir, "external-norm.onnx"), x4)
    side("external-norm.onnx", "fashion-cnn-v1 without its normalisation: the input must already be (raw/255 - 0.2860)/0.3530.",
         mean=[GRAY_MEAN], std=[GRAY_STD])

    shapes["raw255-nhwc.onnx"] = export(Nhwc(Scale(v1, 255.0)), os.path.join(outdir, "raw255-nhwc.onnx"),
                                        torch.zeros(2, 28, 28, 1))
    side("raw255-nhwc.onnx", "fashion-cnn-v1, Keras style: NHWC input [N,28,28,1] with raw values 0..255 (scale 1), scaling and normalisation inside.",
         layout="nhwc", scale=1.0)

    shapes["flat.onnx"] = export(Flat(v1), os.path.join(outdir, "flat.onnx"), torch.zeros(2, 784))
    side("flat.onnx", "fashion-cnn-v1 with a flat input [N,784] (row-major 28x28, values 0..1).", layout="flat")

    shapes["flat3d.onnx"] = export(Flat(v1), os.path.join(outdir, "flat3d.onnx"), torch.zeros(2, 784, 1))
    side("flat3d.onnx", "fashion-cnn-v1 with a flat input [N,784,1] (row-major 28x28, values 0..1).", layout="flat")

    shapes["punctuated.onnx"] = export(v1, os.path.join(outdir, "punctuated.onnx"), x4, input_name="input.1",
                                       output_names=("x:0",))
    side("punctuated.onnx", "fashion-cnn-v1 with punctuated tensor names: input 'input.1', output 'x:0'.",
         input_name="input.1", output_name="x:0")

    shapes["multi-output.onnx"] = export(MultiOutput(v1), os.path.join(outdir, "multi-output.onnx"), x4,
                                         output_names=("features", "logits", "probabilities"))
    side("multi-output.onnx", "fashion-cnn-v1 with three outputs: features [N,64], logits [N,10], probabilities [N,10]; the sidecar picks logits.",
         output_name="logits")

    # expected probabilities from PyTorch for the first 10 sample images
    x = torch.from_numpy(sample_imgs[:10].astype(np.float32) / 255.0).unsqueeze(1)
    with torch.inference_mode():
        logits = v1(x)
        probs = F.softmax(logits, dim=1)
    items = []
    for i in range(10):
        items.append({"file": sample_files[i], "label": int(sample_labels[i]),
                      "predicted": int(probs[i].argmax().item()),
                      "probabilities": [float(v) for v in probs[i].tolist()],
                      "logits": [float(v) for v in logits[i].tolist()]})
    write_json(os.path.join(outdir, "expected.json"), {
        "model": "../fashion-cnn-v1.onnx",
        "source": "PyTorch float32 forward pass of the v1 network on the PNG pixels / 255 (softmax of the logits)",
        "sampleImages": si,
        "images": items})
    return shapes


# ----------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--verification-test-models", action="store_true",
                    help="only (re)make the tiny RGB networks of models/testing for the verifier's tests, and their images")
    ap.add_argument("--skip-scan", action="store_true", help="skip the Python one-pixel scan (saves ~2 minutes)")
    ap.add_argument("--only", action="append", choices=["fashion-cnn-v1", "fashion-cnn-v2", "fashion-cnn-v3", "fashion-colour-cnn"] + COLOUR32_MODELS,
                    help="retrain only this model (repeatable); the others, the samples and (unless v1 is named) "
                         "the variants and test models are left as they are")
    ap.add_argument("--adversarial-report", metavar="REPORT.json",
                    help="rebuild %s (v3's adversarial training examples) from this JSON report of "
                         "`onepixel attack --json` on v1 and Fashion-MNIST training images (see models/README.md)"
                         % os.path.relpath(ADVERSARIAL, ROOT))
    args = ap.parse_args()

    if args.verification_test_models:
        torch.set_num_threads(2)
        torch.use_deterministic_algorithms(True)
        make_verification_test_models()
        return
    t_all = time.time()
    torch.set_num_threads(2)
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.use_deterministic_algorithms(True)

    xtr, ytr, xte, yte = load_fashion()
    log("Fashion-MNIST: train %s, test %s" % (xtr.shape, xte.shape))

    only = set(args.only or ["fashion-cnn-v1", "fashion-cnn-v2", "fashion-cnn-v3", "fashion-colour-cnn"] + COLOUR32_MODELS)
    everything = args.only is None
    # ---- sample images
    files = write_sample_set(os.path.join(SAMPLES, "fashion-mnist"), xte[:100], yte[:100], range(100))
    write_sample_set(os.path.join(SAMPLES, "fashion-mnist-holdout"), xte[100:200], yte[100:200], range(100, 200))
    cte = colour_test_set(xte)
    write_sample_set(os.path.join(SAMPLES, "fashion-mnist-colour"), cte[:100], yte[:100], range(100))
    cte32 = colour_test_set(xte, pad=2)
    write_sample_set(os.path.join(SAMPLES, "fashion-mnist-colour32"), cte32[:100], yte[:100], range(100))
    make_testing_samples(os.path.join(SAMPLES, "testing-8x8"))
    log("sample images written")

    xtr_t = torch.from_numpy(xtr.astype(np.float32) / 255.0).unsqueeze(1)
    ytr_t = torch.from_numpy(ytr)
    xte_t = torch.from_numpy(xte.astype(np.float32) / 255.0).unsqueeze(1)
    yte_t = torch.from_numpy(yte)

    def gray_batch(idx, ep):
        return xtr_t[idx], ytr_t[idx]

    results = {}

    specs = {
        "fashion-cnn-v1": dict(widths=(16, 32, 64), denoise=True, epochs=3, lr=3e-3,
                               augment=lambda m, x, y, ep, g: (pixel_noise(x, g, 3), y),
                               seed=SEED + 1),
        "fashion-cnn-v2": dict(widths=(8, 16, 32), denoise=False, epochs=3, lr=3e-3, seed=SEED + 2,
                               augment=lambda m, x, y, ep, g: (x, y) if ep == 0 else
                               (torch.cat([x, gradient_pixels(m, x, y, g)]), torch.cat([y, y]))),
    }
    if "fashion-cnn-v3" in only:
        # v1's network, recipe and seed, with adversarial examples of v1 added to every batch: what changes is the data.
        adv_x, adv_y, adv_info = adversarial_examples(xtr, ytr, args.adversarial_report)
        specs["fashion-cnn-v3"] = dict(widths=(16, 32, 64), denoise=True, epochs=3, lr=3e-3, seed=SEED + 1,
                                       augment=lambda m, x, y, ep, g: with_adversarial(pixel_noise(x, g, 3), y, adv_x, adv_y, g))
    models = {}
    for name, s in specs.items():
        if name not in only:
            continue
        log("training %s" % name)
        torch.manual_seed(s["seed"])
        net = SmallCnn(1, *s["widths"], denoise=s["denoise"])
        clf = Classifier(net, [GRAY_MEAN], [GRAY_STD])
        wall = train(clf, gray_batch, len(xtr_t), s["epochs"], s["lr"], s["seed"], augment=s["augment"])
        acc, sacc = evaluate(name, clf, xte_t, yte_t, xte_t[:100], yte_t[:100])
        models[name] = clf
        results[name] = dict(wall=wall, acc=acc, sacc=sacc, params=n_params(clf), epochs=s["epochs"], seed=s["seed"],
                             widths=s["widths"], lr=s["lr"], denoise=s["denoise"])
        if name == "fashion-cnn-v3":
            results[name]["adversarial"] = adv_info

    if "fashion-colour-cnn" in only:
        colour_model(xtr, ytr_t, cte, yte_t, models, results)
    for name in COLOUR32_MODELS:
        if name in only:
            colour32_model(name, xtr, ytr_t, cte32, yte_t, models, results)
    # ---- export
    md = HERE
    for name in ["fashion-cnn-v1", "fashion-cnn-v2", "fashion-cnn-v3"]:
        if name not in models:
            continue
        p = os.path.join(md, name + ".onnx")
        results[name]["io"] = export(models[name], p, torch.zeros(2, 1, 28, 28))
        results[name]["sha"] = sha256(p)
    if "fashion-colour-cnn" in models:
        p = os.path.join(md, "fashion-colour-cnn.onnx")
        results["fashion-colour-cnn"]["io"] = export(models["fashion-colour-cnn"], p, torch.zeros(2, 3, 28, 28))
        results["fashion-colour-cnn"]["sha"] = sha256(p)
    for name in COLOUR32_MODELS:
        if name in models:
            p = os.path.join(md, name + ".onnx")
            results[name]["io"] = export(models[name], p, torch.zeros(2, 3, 32, 32))
            results[name]["sha"] = sha256(p)
            sidecar(p, COLOUR32_SPECS[name]["description"], width=32, height=32, channels=3,
                    sample_images="../samples/images/fashion-mnist-colour32")
    sidecar(os.path.join(md, "fashion-cnn-v1.onnx"),
            "Fashion-MNIST classifier v1: small CNN with a denoising front end, trained with random-pixel noise (the sturdier release).")
    sidecar(os.path.join(md, "fashion-cnn-v2.onnx"),
            "Fashion-MNIST classifier v2: narrower 'compressed' CNN with gradient-guided pixel 'hardening' (easier to fool with one pixel).")
    if os.path.exists(os.path.join(md, "fashion-cnn-v3.onnx")):
        sidecar(os.path.join(md, "fashion-cnn-v3.onnx"),
                "Fashion-MNIST classifier v3: v1's network and recipe retrained with adversarial examples that the one-pixel attack found on v1.")
    sidecar(os.path.join(md, "fashion-colour-cnn.onnx"),
            "Colour-rendered Fashion-MNIST classifier: RGB 28x28, garment and background in random colours.",
            channels=3, sample_images="../samples/images/fashion-mnist-colour")
    variant_io = None
    if "fashion-cnn-v1" in models:
        variant_io = make_variants(os.path.join(md, "variants"), models["fashion-cnn-v1"], xte[:100], files, yte[:100])
        make_testing_models(os.path.join(md, "testing"), os.path.join(md, "fashion-cnn-v1.onnx"))
    log("exported")

    # ---- Python one-pixel scan over the 100 sample images (all positions x QUICK_VALUES)
    if not args.skip_scan:
        for name, imgs in [("fashion-cnn-v1", xte[:100]), ("fashion-cnn-v2", xte[:100]), ("fashion-cnn-v3", xte[:100]),
                           ("fashion-colour-cnn", cte[:100])]:
            if name not in models:
                continue
            t0 = time.time()
            c, v, which = one_pixel_scan(models[name], imgs, yte[:100], QUICK_VALUES)
            results[name]["scan"] = (c, v, which, time.time() - t0)
            log("  one-pixel scan %s: %d of %d correctly classified sample images fooled (%.0f s) %s" %
                (name, v, c, time.time() - t0, which))

    total = time.time() - t_all
    write_cards(results, variant_io, total, everything)
    write_sums(md)
    log("done in %.0f s" % total)


def evaluate(name, model, xs, ys, sample_x, sample_y):
    acc = (predict(model, xs).argmax(1) == ys).float().mean().item()
    sacc = (predict(model, sample_x).argmax(1) == sample_y).float().mean().item()
    log("  %s: test-accuracy %.4f, sample-accuracy %.2f" % (name, acc, sacc))
    return acc, sacc


def colour_model(xtr, ytr_t, cte, yte_t, models, results):
    log("training fashion-colour-cnn")
    rng_tr = np.random.RandomState(COLOUR_TRAIN_SEED)
    fg0, bg0 = draw_colours(np.random.RandomState(COLOUR_TRAIN_SEED + 1000), len(xtr))
    ctr0 = render_colour(xtr, fg0, bg0).astype(np.float64) / 255.0
    cmean = [round(float(ctr0[..., c].mean()), 4) for c in range(3)]
    cstd = [round(float(ctr0[..., c].std()), 4) for c in range(3)]
    del ctr0
    log("  colour mean %s std %s" % (cmean, cstd))
    colour_epoch = {}

    def colour_batch(idx, ep):
        if colour_epoch.get("ep") != ep:
            fg, bg = draw_colours(rng_tr, len(xtr))
            colour_epoch["ep"] = ep
            colour_epoch["x"] = torch.from_numpy(render_colour(xtr, fg, bg)).permute(0, 3, 1, 2).contiguous()
        return colour_epoch["x"][idx].float() / 255.0, ytr_t[idx]

    cseed = SEED + 3
    torch.manual_seed(cseed)
    cnet = SmallCnn(3, 24, 32, 64)
    cclf = Classifier(cnet, cmean, cstd)
    cepochs = 4
    wall = train(cclf, colour_batch, len(xtr), cepochs, 3e-3, cseed)
    del colour_epoch["x"]
    cte_t = torch.from_numpy(cte.astype(np.float32) / 255.0).permute(0, 3, 1, 2).contiguous()
    acc, sacc = evaluate("fashion-colour-cnn", cclf, cte_t, yte_t, cte_t[:100], yte_t[:100])
    # every channel must matter: replace one channel by its mean value and watch the accuracy drop
    ablation = []
    for c in range(3):
        xa = cte_t.clone()
        xa[:, c] = cmean[c]
        ablation.append((predict(cclf, xa).argmax(1) == yte_t).float().mean().item())
    log("  accuracy with channel R/G/B replaced by its mean: %s" % ["%.4f" % a for a in ablation])
    models["fashion-colour-cnn"] = cclf
    results["fashion-colour-cnn"] = dict(wall=wall, acc=acc, sacc=sacc, params=n_params(cclf), epochs=cepochs,
                                         seed=cseed, widths=(24, 32, 64), lr=3e-3, ablation=ablation,
                                         mean=cmean, std=cstd)


# ----------------------------------------------------------------------------- 32x32 colour networks
# Small RGB networks at the CIFAR-10 size, one per kind of graph an exact verifier must read: a plain CNN
# with average pooling, a residual network (BatchNormalization, Add between branches, global average
# pooling) and a SqueezeNet-style network of "fire" modules (Concat of 1x1 and 3x3 branches, max pooling).
# Each is trained with random one-pixel colour noise, so that some images are provably robust and others
# are not: the verifier's measurements need both verdicts.

class PlainCnn32(nn.Module):
    """conv3x3(16)-ReLU-avgpool2 -> conv3x3(24)-ReLU-avgpool2 -> fc(32)-ReLU -> fc(10)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 24, 3, padding=1)
        self.fc1 = nn.Linear(24 * 8 * 8, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = F.avg_pool2d(F.relu(self.conv1(x)), 2)
        x = F.avg_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


class Residual(nn.Module):
    """x + BN(conv3x3(ReLU(BN(conv3x3(x))))), then ReLU."""

    def __init__(self, ch):
        super().__init__()
        self.conv1 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(ch)
        self.conv2 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(ch)

    def forward(self, x):
        return F.relu(x + self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))


class ResNet32(nn.Module):
    """conv3x3(8)-BN-ReLU-maxpool2 -> residual block(8) -> conv3x3(16, stride 2)-BN-ReLU -> residual block(16)
    -> global average pool -> fc(10)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.block1 = Residual(8)
        self.down = nn.Conv2d(8, 16, 3, stride=2, padding=1, bias=False)
        self.bn_down = nn.BatchNorm2d(16)
        self.block2 = Residual(16)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn(self.stem(x))), 2)
        x = self.block1(x)
        x = self.block2(F.relu(self.bn_down(self.down(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class Fire(nn.Module):
    """SqueezeNet's fire module: squeeze 1x1 -> ReLU -> Concat(expand 1x1, expand 3x3) -> ReLU."""

    def __init__(self, cin, squeeze, expand):
        super().__init__()
        self.squeeze = nn.Conv2d(cin, squeeze, 1)
        self.e1 = nn.Conv2d(squeeze, expand, 1)
        self.e3 = nn.Conv2d(squeeze, expand, 3, padding=1)

    def forward(self, x):
        s = F.relu(self.squeeze(x))
        return F.relu(torch.cat([self.e1(s), self.e3(s)], 1))


class FireNet32(nn.Module):
    """conv3x3(16)-ReLU-maxpool2 -> fire(8, 16+16) -> maxpool2 -> fire(12, 24+24) -> conv1x1(10) -> global average pool."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, padding=1)
        self.fire1 = Fire(16, 8, 16)
        self.fire2 = Fire(32, 12, 24)
        self.head = nn.Conv2d(48, 10, 1)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        x = F.max_pool2d(self.fire1(x), 2)
        x = self.head(self.fire2(x))
        return torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)


COLOUR32_SPECS = {
    "fashion-colour32-cnn": dict(
        make=PlainCnn32, seed=SEED + 4, epochs=2, lr=3e-3,
        architecture="Normalise (per channel) -> Conv3x3(16, pad 1) -> ReLU -> AvgPool2 -> Conv3x3(24, pad 1) -> ReLU -> AvgPool2 -> Flatten (1536) -> Linear(32) -> ReLU -> Linear(10).",
        description="Colour-rendered Fashion-MNIST padded to 32x32 (RGB): plain CNN with average pooling.",
        story="A plain RGB CNN with average pooling at the CIFAR-10 size (32x32x3): Fashion-MNIST padded by 2 pixels and rendered in random garment and background colours."),
    "fashion-colour32-resnet": dict(
        make=ResNet32, seed=SEED + 5, epochs=1, lr=3e-3,
        architecture="Normalise (per channel) -> Conv3x3(8) -> BatchNorm -> ReLU -> MaxPool2 -> residual block(8) -> Conv3x3(16, stride 2) -> BatchNorm -> ReLU -> residual block(16) -> GlobalAveragePool -> Linear(10); a residual block is x + BN(Conv3x3(ReLU(BN(Conv3x3(x))))) followed by ReLU (convolutions without bias, BatchNorm kept as its own operator in the graph).",
        description="Colour-rendered Fashion-MNIST padded to 32x32 (RGB): small residual network (BatchNorm, skip connections, global average pooling).",
        story="A small residual network at the CIFAR-10 size (32x32x3): skip connections (Add between branches), BatchNormalization and global average pooling, the kind of graph ResNets export."),
    "fashion-colour32-fire": dict(
        make=FireNet32, seed=SEED + 6, epochs=2, lr=3e-3,
        architecture="Normalise (per channel) -> Conv3x3(16) -> ReLU -> MaxPool2 -> fire(squeeze 8, expand 16 + 16) -> MaxPool2 -> fire(squeeze 12, expand 24 + 24) -> Conv1x1(10) -> GlobalAveragePool; a fire module is Conv1x1(squeeze) -> ReLU -> Concat(Conv1x1(expand), Conv3x3(expand)) -> ReLU (SqueezeNet).",
        description="Colour-rendered Fashion-MNIST padded to 32x32 (RGB): SqueezeNet-style network of fire modules (Concat of 1x1 and 3x3 branches, max pooling).",
        story="A SqueezeNet-style network at the CIFAR-10 size (32x32x3): fire modules whose 1x1 and 3x3 branches are joined by Concat, max pooling, and a 1x1 convolution to the classes followed by global average pooling."),
}


def colour_stats(xtr, pad):
    fg0, bg0 = draw_colours(np.random.RandomState(COLOUR_TRAIN_SEED + 1000), len(xtr))
    c0 = render_colour(pad_gray(xtr, pad), fg0, bg0).astype(np.float64) / 255.0
    return [round(float(c0[..., c].mean()), 4) for c in range(3)], [round(float(c0[..., c].std()), 4) for c in range(3)]


def colour32_model(name, xtr, ytr_t, cte32, yte_t, models, results):
    spec = COLOUR32_SPECS[name]
    log("training %s" % name)
    mean, std = colour_stats(xtr, 2)
    rng_tr = np.random.RandomState(COLOUR_TRAIN_SEED)
    epoch_data = {}

    def batch(idx, ep):
        if epoch_data.get("ep") != ep:
            fg, bg = draw_colours(rng_tr, len(xtr))
            epoch_data["ep"] = ep
            epoch_data["x"] = torch.from_numpy(render_colour(pad_gray(xtr, 2), fg, bg)).permute(0, 3, 1, 2).contiguous()
        return epoch_data["x"][idx].float() / 255.0, ytr_t[idx]

    torch.manual_seed(spec["seed"])
    clf = Classifier(spec["make"](), mean, std)
    wall = train(clf, batch, len(xtr), spec["epochs"], spec["lr"], spec["seed"],
                 augment=lambda m, x, y, ep, g: (pixel_noise(x, g, 2, colour=True), y))
    del epoch_data["x"]
    xs = torch.from_numpy(cte32.astype(np.float32) / 255.0).permute(0, 3, 1, 2).contiguous()
    acc, sacc = evaluate(name, clf, xs, yte_t, xs[:100], yte_t[:100])
    models[name] = clf
    results[name] = dict(wall=wall, acc=acc, sacc=sacc, params=n_params(clf), epochs=spec["epochs"], seed=spec["seed"],
                         lr=spec["lr"], mean=mean, std=std)


def write_colour32_card(name, r):
    spec = COLOUR32_SPECS[name]
    body = f"""## Architecture

{spec['architecture']}
Parameters: {r['params']:,}.

## Colour rendering

As fashion-colour-cnn (pixel = bg * (1 - a) + fg * a, a = gray / 255, two random colours per image with a
contrast of at least {MIN_CONTRAST}), after padding each 28x28 Fashion-MNIST image with 2 pixels of background on
every side: 32x32x3, the CIFAR-10 size. The test set uses numpy RandomState({COLOUR_TEST_SEED}) for its colours
(samples/images/fashion-mnist-colour32 holds its first 100 images, the same garments and colours as
samples/images/fashion-mnist-colour); training draws fresh colours every epoch (RandomState({COLOUR_TRAIN_SEED})).

## Preprocessing contract

Input `image`: float32 [N,3,32,32] (NCHW, RGB, dynamic batch N), raw 8-bit values divided by 255 (0..1).
Normalisation inside the graph, per channel: (x - mean) / std with mean = {r['mean']}, std = {r['std']}.
Output `logits`: float32 [N,10], raw logits. Classes in Fashion-MNIST order.

ONNX: opset {OPSET}, {io_text(r['io'])}.

## Training

- command: `/usr/bin/python3 models/train.py --only {name}`
- seed: {r['seed']}; batch 128, Adam one-cycle (max {r['lr']}), {r['epochs']} epochs, fresh colours each epoch
- augmentation: up to 2 random pixels per image set to a random corner of the colour cube (each with probability 0.75)
- training wall time: {r['wall']:.0f} s on 2 CPU cores

## Accuracy

- 10,000 colour-rendered test images padded to 32x32 (colour seed {COLOUR_TEST_SEED}): {r['acc']:.4f}
- 100 sample images (samples/images/fashion-mnist-colour32): {r['sacc']:.2f}
"""
    write_card(os.path.join(HERE, name + ".md"), "%s (32x32 colour Fashion-MNIST classifier)" % name, spec["story"],
               [("sha256", r["sha"]), ("test-accuracy", "%.4f" % r["acc"]), ("sample-accuracy", "%.2f" % r["sacc"])], body)


def write_sums(md):
    lines = []
    for dirpath, dirnames, filenames in os.walk(md):
        dirnames.sort()
        for f in sorted(filenames):
            if f.endswith(".onnx"):
                p = os.path.join(dirpath, f)
                lines.append("%s  %s" % (sha256(p), os.path.relpath(p, md).replace(os.sep, "/")))
    write_text(os.path.join(md, "SHA256SUMS"), "\n".join(sorted(lines, key=lambda l: l[66:])) + "\n")


def io_text(io):
    ins, outs = io
    return "; ".join("input `%s` %s" % x for x in ins) + "; " + "; ".join("output `%s` %s" % x for x in outs)


def scan_text(r):
    if "scan" not in r:
        return "not run (train.py --skip-scan)"
    c, v, which, secs = r["scan"]
    return ("%d of the %d correctly classified sample images (of 100) can be misclassified by changing one pixel "
            "(every position x values %s; all three channels set to the value for colour) - a lower bound on the "
            "true one-pixel vulnerability. Fooled images (sample indices): %s" %
            (v, c, "{" + ", ".join(map(str, QUICK_VALUES)) + "}", ", ".join(map(str, which)) or "none"))


AUGMENTATION = {
    "fashion-cnn-v1": lambda r: "up to 3 random pixels per image set to 0 or 1 (each with probability 0.75)",
    "fashion-cnn-v2": lambda r: ("epoch 1 plain; epochs 2-3 on each batch plus a copy with its 1-2 most harmful pixels "
                                 "by the input gradient set to 0 or 1 (gradient_pixels in train.py)"),
    "fashion-cnn-v3": lambda r: ("v1's (up to 3 random pixels per image set to 0 or 1), plus %d adversarial examples per "
                                 "batch drawn from the %d in %s (%s)" % (ADVERSARIAL_PER_BATCH, r["adversarial"]["count"],
                                                                         os.path.relpath(ADVERSARIAL, ROOT),
                                                                         r["adversarial"]["made"])),
}


def write_cards(results, variant_io, total, everything):
    md = HERE
    contract_gray = ("Input `image`: float32 [N,1,28,28] (NCHW, dynamic batch N), raw 8-bit pixel values divided by 255 "
                     "(0..1). Normalisation inside the graph: (x - %.4f) / %.4f. Output `logits`: float32 [N,10], raw "
                     "logits (no softmax). Classes in Fashion-MNIST order: %s." % (GRAY_MEAN, GRAY_STD, ", ".join(CLASSES)))
    for name, title, story in [
        ("fashion-cnn-v1", "fashion-cnn-v1 (Fashion-MNIST classifier, sturdier release)",
         "The first release. A small CNN with a fixed morphological denoising front end (2x2 opening then closing, "
         "which wipes out isolated bright or dark pixels) trained with random pixel noise: in every training batch "
         "each image gets up to three random pixels set to black or white (each with probability 0.75). Together "
         "they make single pixels matter less."),
        ("fashion-cnn-v2", "fashion-cnn-v2 (Fashion-MNIST classifier, compressed release)",
         "The newer, 'compressed' release: half the channels and a quarter of the parameters of v1, the denoising "
         "front end dropped, and a cheap 'hardening' step instead of v1's pixel noise: from "
         "its second epoch on, every batch is doubled with copies whose most harmful pixel(s) by the input gradient are "
         "set to black or white (a single-step, gradient-guided attack). That step backfires (gradient masking): "
         "the network learns to hide its gradient rather than to ignore single pixels, so a black-box one-pixel "
         "search fools it far more often. Its accuracy is close to v1's; the robustness gate in the test suite "
         "should catch this regression."),
        ("fashion-cnn-v3", "fashion-cnn-v3 (Fashion-MNIST classifier, adversarially retrained release)",
         "The third release: v1's network, recipe and seed, retrained with adversarial examples. The tool's own attack "
         "(`onepixel attack --json`) was run against v1 on Fashion-MNIST training images; the images it fooled, with "
         "the pixels it changed, are v1's adversarial examples (models/training/fashion-cnn-v1-adversarial.json), and "
         "every training batch of v3 adds %d of them with their true labels to v1's pixel-noise batch." % ADVERSARIAL_PER_BATCH),
    ]:
        if name not in results:
            continue
        r = results[name]
        c1, c2, h = r["widths"]
        body = f"""## Architecture

Normalise -> {'Opening 2x2 (min-pool then max-pool, stride 1) -> Closing 2x2 (max-pool then min-pool) -> ' if r['denoise'] else ''}Conv3x3({c1}, pad 1) -> ReLU -> MaxPool2 -> Conv3x3({c2}, pad 1) -> ReLU -> MaxPool2 -> Flatten ({c2 * 49}) -> Linear({h}) -> ReLU -> Linear(10).
Parameters: {r['params']:,}.

## Preprocessing contract

{contract_gray}

ONNX: opset {OPSET}, exported with torch {torch.__version__} (TorchScript exporter), {io_text(r['io'])}.

## Training

- command: `/usr/bin/python3 models/train.py` (retrains every model; see models/README.md)
- seed: {r['seed']} (torch.manual_seed; deterministic algorithms, 2 threads)
- data: Fashion-MNIST training set (60,000 images), batch 128, Adam with one-cycle learning rate (max {r['lr']}), {r['epochs']} epochs
- augmentation: {AUGMENTATION[name](r)}
- training wall time: {r['wall']:.0f} s on 2 CPU cores ({'whole train.py run' if everything else 'train.py --only run'}: {total:.0f} s)

## Accuracy

- 10,000 Fashion-MNIST test images: {r['acc']:.4f}
- 100 sample images (samples/images/fashion-mnist, test indices 0..99): {r['sacc']:.2f}

## One-pixel robustness (measured in Python during training)

{scan_text(r)}
"""
        write_card(os.path.join(md, name + ".md"), title,
                   story, [("sha256", r["sha"]), ("test-accuracy", "%.4f" % r["acc"]),
                           ("sample-accuracy", "%.2f" % r["sacc"])], body)

    if "fashion-colour-cnn" in results:
        write_colour_card(results["fashion-colour-cnn"])
    for name in COLOUR32_MODELS:
        if name in results:
            write_colour32_card(name, results[name])
    if variant_io is not None:
        write_variants_readme(variant_io)


def write_colour_card(r):
    md = HERE
    cm = r["io"]
    body = f"""## Architecture

Normalise (per channel) -> Conv3x3(24, pad 1) -> ReLU -> MaxPool2 -> Conv3x3(32, pad 1) -> ReLU -> MaxPool2 -> Flatten (1568) -> Linear(64) -> ReLU -> Linear(10).
Parameters: {r['params']:,}.

## Colour rendering

Each Fashion-MNIST image is rendered in colour: pixel = bg * (1 - a) + fg * a with a = gray / 255, rounded to
8 bits, where fg (garment) and bg (background) are two random RGB colours per image (uniform 0..255 per channel,
redrawn until |fg - bg| summed over R, G, B is at least {MIN_CONTRAST}). The test set uses numpy
RandomState({COLOUR_TEST_SEED}) for its colours (samples/images/fashion-mnist-colour holds its first 100 images);
training draws fresh colours every epoch (RandomState({COLOUR_TRAIN_SEED})).

## Preprocessing contract

Input `image`: float32 [N,3,28,28] (NCHW, RGB, dynamic batch N), raw 8-bit values divided by 255 (0..1).
Normalisation inside the graph, per channel: (x - mean) / std with mean = {r['mean']}, std = {r['std']}.
Output `logits`: float32 [N,10], raw logits. Classes in Fashion-MNIST order.

ONNX: opset {OPSET}, {io_text(cm)}.

## Training

- command: `/usr/bin/python3 models/train.py`
- seed: {r['seed']}; batch 128, Adam one-cycle (max {r['lr']}), {r['epochs']} epochs, fresh colours each epoch
- training wall time: {r['wall']:.0f} s on 2 CPU cores

## Accuracy

- 10,000 colour-rendered test images (colour seed {COLOUR_TEST_SEED}): {r['acc']:.4f}
- 100 sample images (samples/images/fashion-mnist-colour): {r['sacc']:.2f}
- all three channels matter: with one channel replaced by its mean the test accuracy falls to
  R {r['ablation'][0]:.4f}, G {r['ablation'][1]:.4f}, B {r['ablation'][2]:.4f}

## One-pixel robustness (measured in Python during training)

{scan_text(r)}
"""
    write_card(os.path.join(md, "fashion-colour-cnn.md"), "fashion-colour-cnn (colour-rendered Fashion-MNIST classifier)",
               "A small RGB CNN for Fashion-MNIST rendered in random garment and background colours; all three "
               "channels carry the garment's shape, so the one-pixel search has to pick R, G and B.",
               [("sha256", r["sha"]), ("test-accuracy", "%.4f" % r["acc"]), ("sample-accuracy", "%.2f" % r["sacc"])],
               body)



def write_variants_readme(variant_io):
    vd = os.path.join(HERE, "variants")
    rows = []
    for f in sorted(variant_io):
        rows.append("| %s | %s |" % (f, io_text(variant_io[f]).replace("|", "\\|")))
    shas = ["- %s: sha256 %s" % (f, sha256(os.path.join(vd, f))) for f in sorted(variant_io)]
    text = f"""# Format variants of fashion-cnn-v1

Every file here holds exactly the weights of `../fashion-cnn-v1.onnx` (same training run), wrapped in a different
input/output convention, so a test can check that each sidecar leads the tool to the same class probabilities.
Opset {OPSET}, made by `/usr/bin/python3 models/train.py`. Each `X.onnx` has its sidecar `X.onnx.json`.

| file | tensors |
|---|---|
{chr(10).join(rows)}

Notes:
- nchw/nhwc/flat inputs take values 0..1 (raw / 255) unless stated; normalisation (x - {GRAY_MEAN:.4f}) / {GRAY_STD:.4f}
  is inside the graph, except in `external-norm.onnx`, whose sidecar carries mean [{GRAY_MEAN:.4f}] and std [{GRAY_STD:.4f}].
- `raw255-nhwc.onnx` takes raw 0..255 values (sidecar scale 1.0).
- flat layouts are row-major 28x28 (index = y * 28 + x).
- `multi-output.onnx`: features [N,64] (the ReLU of the 64-unit hidden layer), logits [N,10], probabilities [N,10];
  its sidecar names `outputName: "logits"`.
- `punctuated.onnx` names its tensors `input.1` and `x:0`; its sidecar names both explicitly.

`expected.json` holds, for the first 10 images of samples/images/fashion-mnist, the label, the class predicted by the
PyTorch v1 network, and its float32 softmax probabilities and logits (PyTorch, not ONNX Runtime): every variant should
reproduce the probabilities within 1e-4 (VariantParityTests checks each variant to that tolerance).

## sha256

{chr(10).join(shas)}
"""
    write_text(os.path.join(vd, "README.md"), text)


if __name__ == "__main__":
    main()
