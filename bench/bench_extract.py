"""Benchmark: the overhead of `extract_hf` over the bare model forward on the same batches.

`extract_hf` adds tokenization, length-sorted batching, `output_hidden_states=True`, mask-aware pooling of every
layer and the return to input order. The baseline runs only `model(**batch)` in inference mode over exactly the
same padded batches (tokenized beforehand, not timed). The overhead target is ≤ 10 %.
Run: `python bench/bench_extract.py` (add `--quick` for a smaller run).
"""
import argparse
import time

import torch
import transformers

from repsim_nb.data import demo_corpus
from repsim_nb.extract_hf import default_model, extract_hf, load_hf

transformers.utils.logging.disable_progress_bar()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    texts = demo_corpus(256 if args.quick else 1024).text.tolist()
    model, tokenizer = load_hf(default_model(), device="cpu")
    batch_size, max_length = 32, 128
    encoded = tokenizer(texts, truncation=True, max_length=max_length)["input_ids"]
    order = sorted(range(len(texts)), key=lambda i: len(encoded[i]), reverse=True)
    batches = [tokenizer.pad({"input_ids": [encoded[i] for i in order[s:s + batch_size]]}, return_tensors="pt")
               for s in range(0, len(order), batch_size)]

    def bare():
        with torch.inference_mode():
            for batch in batches:
                model(**batch)

    def ours():
        extract_hf(model, texts, tokenizer=tokenizer, batch_size=batch_size, max_length=max_length, progress=False)

    bare(); ours()  # warm-up
    times = {"bare forward": [], "extract_hf (all 7 layers, mean pooling)": []}
    for _ in range(args.repeats):  # interleaved, best of `repeats`
        for name, fn in zip(times, (bare, ours)):
            t = time.perf_counter(); fn(); times[name].append(time.perf_counter() - t)
    base = min(times["bare forward"])
    print(f"{len(texts)} sentences, all-MiniLM-L6-v2, batch {batch_size}, CPU, {torch.get_num_threads()} threads\n")
    print("| implementation | best seconds | sentences/s | overhead |")
    print("|---|---:|---:|---:|")
    for name, ts in times.items():
        print(f"| {name} | {min(ts):.3f} | {len(texts) / min(ts):.0f} | {100 * (min(ts) / base - 1):+.1f} % |")


if __name__ == "__main__":
    main()
