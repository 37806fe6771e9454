#!/usr/bin/env python3
"""PyTorch reference of our MGDM training step (fwd + bwd + clip + AdamW), for speed comparison.

Same architecture, loss and optimizer as the Java/TensorFlow graph in
model/src/main/java/dev/lddm/model/graph/{Backbone,DiffusionLoss,AdamW}.java:

  * GPT-2 blocks, pre-LayerNorm (eps 1e-5), fused QKV projection [d, 3d], full bidirectional attention
    (no mask), GELU tanh approximation (gelu_new), MLP d -> 4d -> d, no dropout.
  * learned token and position embeddings, final LayerNorm, tied output head logits = LN_f(x) . E^T.
  * MGDM's one-position logit shift: position i reads the hidden state of i-1, position 0 its own
    (the shift is applied to the hidden state before the head, as in our graph; same result).
  * MGDM loss, T = 20: per sequence t ~ U{0..T-1}, every position after [SEP] masked with prob (t+1)/T,
    ce on masked positions, ce <- alpha (1 - exp(-ce))^gamma ce (alpha 0.25, gamma 2), times (T - t),
    summed and divided by max(#masked, 1).
  * global-norm gradient clipping at 1.0 (torch.nn.utils.clip_grad_norm_), torch.optim.AdamW
    (betas 0.9/0.999, eps 1e-8), weight decay (default 0 as our TrainSpeed) on matrices and embeddings only.
  * initialisation N(0, 0.02), residual projections N(0, 0.02/sqrt(2 layers)), biases 0, LN 1/0.

Usage: torch_reference.py [--preset small] [--batch 64] [--seq-len 64] [--warmup 10] [--measure 50]
                          [--threads 1] [--foreach] [--precision fp32|bf16]

--precision bf16 runs the forward pass and the loss under torch.autocast('cpu', dtype=torch.bfloat16)
(PyTorch's mixed precision: bf16 matmuls, fp32 master weights, optimizer and the ops autocast keeps in fp32,
e.g. LayerNorm, softmax and cross-entropy); the backward pass follows the forward's dtypes.
Prints one line: "... X ms/step ..." (wall time per step over --measure steps after --warmup steps).

Decoding (--decode): the same network (LDDM: plus the latent path LN_h, fed back between steps) decodes the
problems of --inputs with our Sampler's algorithm (decode_chunk), --batch problems at a time (default 256 here,
as `lddm eval`), sequence length 37 (Countdown-3), under torch.no_grad(), in fp32 and bf16 autocast alternately
(--precision best): torch_reference.py --decode --model lddm --decoder remask --inputs FILE --batch 256
Prints one line per precision and pass ("... X s wall ...") and "pytorch best: X s wall (precision)".
"""
import argparse
import math
import os
import subprocess
import sys
import time


def import_torch():
    try:
        import torch  # noqa: F401
    except ImportError:
        print("import torch failed: installing Debian's python3-torch (apt-get install -y python3-torch)",
              file=sys.stderr)
        cmd = ["apt-get", "install", "-y", "python3-torch"]
        if os.geteuid() != 0:
            cmd = ["sudo"] + cmd
        subprocess.run(cmd, check=True)
        if sys.executable != "/usr/bin/python3":
            # Debian's package is only importable by Debian's interpreter.
            os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    import torch
    return torch


torch = import_torch()
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

PRESETS = {"micro": (2, 64, 4), "small": (4, 128, 4), "tiny": (3, 384, 12), "base": (12, 768, 12)}
VOCAB = 31          # dev.lddm.tasks.token.Vocabulary.SIZE
T = 20
ALPHA = 0.25
GAMMA = 2.0
INIT_STD = 0.02
LN_EPS = 1e-5


class Block(nn.Module):
    def __init__(self, d, heads, ff, layers):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(d, eps=LN_EPS)
        self.attn_qkv = nn.Linear(d, 3 * d)
        self.attn_out = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d, eps=LN_EPS)
        self.mlp_fc = nn.Linear(d, ff)
        self.mlp_out = nn.Linear(ff, d)
        for lin in (self.attn_qkv, self.mlp_fc):
            nn.init.normal_(lin.weight, std=INIT_STD)
            nn.init.zeros_(lin.bias)
        for lin in (self.attn_out, self.mlp_out):
            nn.init.normal_(lin.weight, std=INIT_STD / math.sqrt(2.0 * layers))
            nn.init.zeros_(lin.bias)

    def attention(self, x):
        b, l, d = x.shape
        h = self.heads
        dh = d // h
        q, k, v = self.attn_qkv(x).split(d, dim=2)
        q = q.view(b, l, h, dh).transpose(1, 2)
        k = k.view(b, l, h, dh).transpose(1, 2)
        v = v.view(b, l, h, dh).transpose(1, 2)
        probs = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(dh)), dim=-1)
        o = torch.matmul(probs, v).transpose(1, 2).reshape(b, l, d)
        return self.attn_out(o)

    def forward(self, x):
        x = x + self.attention(self.ln_1(x))
        return x + self.mlp_out(F.gelu(self.mlp_fc(self.ln_2(x)), approximate="tanh"))


class Mgdm(nn.Module):
    def __init__(self, layers, d, heads, seq_len, vocab=VOCAB, latent=False):
        super().__init__()
        self.wte = nn.Parameter(torch.randn(vocab, d) * INIT_STD)
        self.wpe = nn.Parameter(torch.randn(seq_len, d) * INIT_STD)
        self.blocks = nn.ModuleList(Block(d, heads, 4 * d, layers) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d, eps=LN_EPS)
        self.register_buffer("shift", torch.tensor([0] + list(range(seq_len - 1))), persistent=False)
        self.ln_h = None
        if latent:  # LDDM (Loopholing): e_t = E(z_t) + (P + LN_h(h_t)), LN_h's gain and bias start at zero
            self.ln_h = nn.LayerNorm(d, eps=LN_EPS)
            nn.init.zeros_(self.ln_h.weight)
            nn.init.zeros_(self.ln_h.bias)

    def forward(self, tokens):
        return self.forward_latent(tokens, None)[0]

    def forward_latent(self, tokens, h):
        """Logits [B, L, V] and the latent [B, L, d] (the last block's output before ln_f)."""
        pos = self.wpe if h is None else self.wpe + self.ln_h(h)
        x = F.embedding(tokens, self.wte) + pos
        for blk in self.blocks:
            x = blk(x)
        hf = self.ln_f(x)[:, self.shift]            # MGDM shift: position i reads i-1 (0 reads itself)
        return torch.matmul(hf, self.wte.t()), x     # tied head, [B, L, V]

    def decayed(self):
        out = [self.wte, self.wpe]
        for b in self.blocks:
            out += [b.attn_qkv.weight, b.attn_out.weight, b.mlp_fc.weight, b.mlp_out.weight]
        return out


def mgdm_loss(logits, targets, loss_mask, time_weight):
    v = logits.shape[-1]
    ce = F.cross_entropy(logits.reshape(-1, v), targets.reshape(-1), reduction="none")
    focal = ALPHA * (1 - torch.exp(-ce)) ** GAMMA * ce
    w = (loss_mask * time_weight[:, None]).reshape(-1)
    return (focal * w).sum() / loss_mask.sum().clamp(min=1.0)


def make_batch(gen, batch, seq_len, src_len=15):
    """Synthetic batch shaped like our Countdown data: random clean ids, MGDM q_sample noise after [SEP]."""
    targets = torch.randint(4, VOCAB, (batch, seq_len), generator=gen)
    t = torch.randint(0, T, (batch,), generator=gen)
    rate = (t + 1).float() / T
    u = torch.rand(batch, seq_len, generator=gen)
    after = torch.arange(seq_len)[None, :] >= src_len
    loss_mask = ((u < rate[:, None]) & after).float()
    tokens = torch.where(loss_mask.bool(), torch.full_like(targets, 3), targets)  # 3 stands in for [MASK]
    return tokens, targets, loss_mask, (T - t).float()


# dev.lddm.tasks.token.Vocabulary
PAD, SEP, MASK, EOS = 0, 1, 2, 3


def token_id(c):
    if "0" <= c <= "9":
        return 5 + ord(c) - ord("0")
    if c in "*+-/=,":
        return 15 + "*+-/=,".index(c)
    if "a" <= c <= "j":
        return 21 + ord(c) - ord("a")
    raise ValueError(f"character {c!r} is not in the vocabulary")


@torch.no_grad()
def decode_chunk(model, inputs, seq_len, steps, decoder, gen, bf16):
    """Our Sampler's algorithm (MGDM's topk_decoding, stochastic0.5-linear) for one chunk, vectorised.

    Per step s (t = S-1-s, rate = t/S): one forward pass (LDDM: the latent of the previous step fed back, zeros
    at the start); at each target position the argmax token other than [MASK] and its log-probability; with
    masked-only, decoded positions keep their token and are never re-masked; if t > 0 the k = floor(n rate) target
    positions with the lowest logp + 0.5 rate Gumbel are (re-)masked (n = number of target positions of the row).
    """
    b = len(inputs)
    x = torch.full((b, seq_len), MASK, dtype=torch.long)
    src = torch.empty(b, dtype=torch.long)
    for j, text in enumerate(inputs):
        ids = [token_id(c) for c in text] + [SEP]
        x[j, :len(ids)] = torch.tensor(ids)
        src[j] = len(ids)
    target = torch.arange(seq_len)[None, :] >= src[:, None]
    n = (seq_len - src).double()
    h = torch.zeros(b, seq_len, model.wpe.shape[1]) if model.ln_h is not None else None
    inf = torch.tensor(float("inf"), dtype=torch.float64)
    for s in range(steps):
        t = steps - 1 - s
        rate = t / steps
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits, latent = model.forward_latent(x, h)
        if h is not None:
            h = latent.float()
        logits = logits.float()
        logp = torch.log_softmax(logits, dim=-1)
        x0 = logits.index_fill(-1, torch.tensor([MASK]), float("-inf")).argmax(-1)
        score = logp.gather(-1, x0[..., None]).squeeze(-1).double()
        if decoder == "masked-only":
            keep = target & (x != MASK)
            x0 = torch.where(keep, x, x0)
            score = torch.where(keep, inf, score)
        if t > 0:
            k = torch.floor(n * rate).long()
            u = torch.rand(b, seq_len, dtype=torch.float64, generator=gen)
            noisy = torch.where(target, score + 0.5 * rate * -torch.log(-torch.log(u + 1e-8) + 1e-8), inf)
            order = torch.argsort(noisy, dim=1, stable=True)
            rank = torch.empty_like(order).scatter_(1, order, torch.arange(seq_len).expand(b, -1).contiguous())
            x0 = torch.where((rank < k[:, None]) & (noisy != inf), torch.full_like(x0, MASK), x0)
        x = torch.where(target, x0, x)
    return x


def decode_main(a):
    """Decodes the problems of --inputs (one per line) and prints the time of each precision and the best."""
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    layers, d, heads = PRESETS[a.preset]
    model = Mgdm(layers, d, heads, a.seq_len, latent=a.model == "lddm").eval()
    with open(a.inputs, encoding="utf-8") as f:
        inputs = [line.strip() for line in f if line.strip()]
    precisions = ["fp32", "bf16"] if a.precision == "best" else [a.precision]
    gen = torch.Generator().manual_seed(a.seed)
    for p in precisions:  # warm-up
        decode_chunk(model, inputs[:16], a.seq_len, a.steps, a.decoder, gen, p == "bf16")
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    best = None
    for _ in range(a.rounds):
        for p in precisions:
            t0 = time.perf_counter()
            c0 = time.process_time()
            for i in range(0, len(inputs), a.batch):
                decode_chunk(model, inputs[i:i + a.batch], a.seq_len, a.steps, a.decoder, gen, p == "bf16")
            wall = time.perf_counter() - t0
            cpu = time.process_time() - c0
            with open("/proc/loadavg") as f:
                load = f.read().split()[0]
            print(f"pytorch {a.model} {a.preset} {a.decoder} n={len(inputs)} T={a.steps} batch={a.batch} "
                  f"threads={torch.get_num_threads()} {p}: {wall:.2f} s wall, {cpu:.2f} s CPU for {len(inputs)} "
                  f"problems ({wall * 1e3 / len(inputs):.2f} ms/problem); torch {torch.__version__}; "
                  f"load average {load}", flush=True)
            if best is None or wall < best[0]:
                best = (wall, p)
    print(f"pytorch best: {best[0]:.2f} s wall ({best[1]})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="small", choices=sorted(PRESETS))
    ap.add_argument("--batch", type=int, help="sequences per step (default 64; --decode: 256, as lddm eval)")
    ap.add_argument("--seq-len", type=int, help="sequence length (default 64; --decode: 37, Countdown-3)")
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--measure", type=int, default=50)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--weight-decay", type=float, default=0.0)
    ap.add_argument("--foreach", action="store_true", help="AdamW with foreach=True (multi-tensor update)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--decode", action="store_true", help="benchmark decoding instead of the training step")
    ap.add_argument("--model", default="mgdm", choices=["mgdm", "lddm"], help="--decode: model kind")
    ap.add_argument("--decoder", default="masked-only", choices=["masked-only", "remask"], help="--decode")
    ap.add_argument("--inputs", help="--decode: problems to decode, one per line (DecodeSpeed write-inputs=FILE)")
    ap.add_argument("--steps", type=int, default=T, help="--decode: decoding steps")
    ap.add_argument("--precision", choices=["fp32", "bf16", "best"],
                    help="training: fp32 (default) or bf16 autocast; --decode: fp32, bf16 autocast, or best = both, "
                         "alternately (default)")
    ap.add_argument("--rounds", type=int, default=1, help="--decode: timed passes over the inputs per precision")
    a = ap.parse_args()
    if a.decode:
        if not a.inputs:
            ap.error("--decode needs --inputs FILE")
        a.batch = a.batch or 256
        a.seq_len = a.seq_len or 37
        a.precision = a.precision or "best"
        decode_main(a)
        return
    a.batch = a.batch or 64
    a.seq_len = a.seq_len or 64
    a.precision = a.precision or "fp32"
    if a.precision == "best":
        ap.error("--precision best is for --decode; time training with fp32 and bf16 separately")

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    layers, d, heads = PRESETS[a.preset]
    model = Mgdm(layers, d, heads, a.seq_len)
    dec = {id(p) for p in model.decayed()}
    groups = [{"params": [p for p in model.parameters() if id(p) in dec], "weight_decay": a.weight_decay},
              {"params": [p for p in model.parameters() if id(p) not in dec], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=a.lr, betas=(0.9, 0.999), eps=1e-8,
                            foreach=True if a.foreach else None)
    n_params = sum(p.numel() for p in model.parameters())
    gen = torch.Generator().manual_seed(a.seed)

    def step():
        tokens, targets, loss_mask, tw = make_batch(gen, a.batch, a.seq_len)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            loss = mgdm_loss(model(tokens), targets, loss_mask, tw)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(a.measure):
        loss = step()
    ms = (time.perf_counter() - t0) * 1e3 / a.measure
    cpu = (time.process_time() - c0) * 1e3 / a.measure
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    print(f"torch {torch.__version__} mgdm {a.preset} params={n_params} batch={a.batch} L={a.seq_len} "
          f"threads={torch.get_num_threads()} foreach={a.foreach} precision={a.precision}: {ms:.1f} ms/step over {a.measure} steps after "
          f"{a.warmup} warm-up; process CPU {cpu:.1f} ms/step; last loss {loss:.4f}; load average {load}")


if __name__ == "__main__":
    main()
