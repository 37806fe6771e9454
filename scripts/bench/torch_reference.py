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
    def __init__(self, layers, d, heads, seq_len, vocab=VOCAB):
        super().__init__()
        self.wte = nn.Parameter(torch.randn(vocab, d) * INIT_STD)
        self.wpe = nn.Parameter(torch.randn(seq_len, d) * INIT_STD)
        self.blocks = nn.ModuleList(Block(d, heads, 4 * d, layers) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d, eps=LN_EPS)
        self.register_buffer("shift", torch.tensor([0] + list(range(seq_len - 1))), persistent=False)

    def forward(self, tokens):
        x = F.embedding(tokens, self.wte) + self.wpe
        for blk in self.blocks:
            x = blk(x)
        hf = self.ln_f(x)[:, self.shift]            # MGDM shift: position i reads i-1 (0 reads itself)
        return torch.matmul(hf, self.wte.t())        # tied head, [B, L, V]

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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="small", choices=sorted(PRESETS))
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--seq-len", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--measure", type=int, default=50)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--weight-decay", type=float, default=0.0)
    ap.add_argument("--foreach", action="store_true", help="AdamW with foreach=True (multi-tensor update)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    a = ap.parse_args()

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
