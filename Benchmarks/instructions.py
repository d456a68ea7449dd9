#!/usr/bin/env python3
"""Instructions, not seconds: lede builds compared under callgrind.

usage: python3 Benchmarks/instructions.py LEDE [LEDE...] [--articles N]
                                          [--work DIR] [--top N] [--match RE]

On a shared, noisy machine the wall time of one build moves by 10-20 % from
run to run, so a change worth 1-3 % cannot be seen in it. The number of
instructions a build executes can: under valgrind's callgrind, one thread
(`--jobs 1`) and Swift's deterministic hashing (SWIFT_DETERMINISTIC_HASHING=1),
two builds of the same binary differ by a few parts in a million.

For each binary given (for instance the build before a change and after it)
it builds the same generated corpus (Benchmarks/gen_corpus.py, --articles
articles, reused when already there) from nothing, under callgrind, and
prints the instructions of the whole build and of the functions of lede that
cost the most (inclusive: with what they call), side by side with the ratio
to the first binary, then whether the binaries' outputs are byte for byte
the same. Search is left out (LEDE_PAGEFIND=off).

It copies each binary with its debug information stripped (valgrind 3.19
cannot read the DWARF 5 Swift 6 writes); function names are demangled by
`swift demangle` when it is on the PATH. A build of 1,000 articles takes
about 80 s under callgrind. It needs valgrind (apt-get install valgrind) and
objcopy (binutils).
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def fail(message):
    sys.exit(f"instructions.py: {message}")


def functions(out_file, binary_name):
    """Inclusive instructions of each function of the binary, and the total."""
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out_file],
                          capture_output=True, text=True, check=True).stdout
    total = None
    costs = collections.OrderedDict()
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$", line)
        if not m:
            continue
        ir = int(m.group(1).replace(",", ""))
        rest = m.group(2)
        if rest.startswith("PROGRAM TOTALS"):
            total = ir
            continue
        # "???:symbol [/path/binary]"
        m2 = re.match(r"(?:[^:]*):(.*) \[(.*)\]$", rest)
        if not m2 or os.path.basename(m2.group(2)) != binary_name:
            continue
        costs.setdefault(m2.group(1), ir)
    if total is None:
        fail(f"no program total in {out_file}")
    return total, costs


def demangle(names):
    if not names or not shutil.which("swift"):
        return {n: n for n in names}
    r = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(names), capture_output=True, text=True)
    out = r.stdout.splitlines()
    return dict(zip(names, out)) if r.returncode == 0 and len(out) == len(names) else {n: n for n in names}


def main():
    p = argparse.ArgumentParser(description="lede builds compared by instructions executed (callgrind)", allow_abbrev=False)
    p.add_argument("binaries", nargs="+", metavar="LEDE", help="lede binaries to compare (the first is the baseline)")
    p.add_argument("--articles", type=int, default=1000, help="corpus size (default 1000)")
    p.add_argument("--work", default="/dev/shm/lede-instructions", help="where the corpus and the builds go")
    p.add_argument("--top", type=int, default=25, help="how many functions to list (default 25)")
    p.add_argument("--match", default="", help="list only functions whose name matches this regular expression")
    args = p.parse_args()

    for tool in ["valgrind", "callgrind_annotate", "objcopy"]:
        if not shutil.which(tool):
            fail(f"{tool} is not installed (apt-get install valgrind binutils)")
    if args.articles < 1:
        fail("--articles must be at least 1")
    binaries = [os.path.abspath(b) for b in args.binaries]
    for b in binaries:
        if not os.access(b, os.X_OK):
            fail(f"{b} is not an executable file")

    os.makedirs(args.work, exist_ok=True)
    corpus = os.path.join(args.work, f"site-{args.articles}")
    if not os.path.isdir(os.path.join(corpus, "content")):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), corpus, str(args.articles)], check=True)

    env = dict(os.environ, SWIFT_DETERMINISTIC_HASHING="1", LEDE_PAGEFIND="off")
    results = []
    for k, binary in enumerate(binaries):
        name = f"lede-{k}"
        stripped = os.path.join(args.work, name)
        subprocess.run(["objcopy", "--strip-debug", binary, stripped], check=True)
        site = os.path.join(args.work, f"run-{k}")
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(os.path.join(corpus, "content"), os.path.join(site, "content"))
        out_file = os.path.join(args.work, f"callgrind-{k}.out")
        print(f"[{k}] {binary}: building {args.articles} articles under callgrind …", file=sys.stderr, flush=True)
        r = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", stripped,
                            "build", "--source", site, "--jobs", "1", "--quiet"],
                           env=env, capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"{binary} build failed (exit {r.returncode}):\n{r.stderr[-2000:]}")
        total, costs = functions(out_file, name)
        results.append((binary, site, total, costs))

    base_costs = results[0][3]
    names = demangle(list(base_costs))
    # The chain of frames nearly every instruction is under (main, the
    # command, the build) says nothing: left out, down to the first function
    # that takes less than 90 % of the one above it.
    listed, above, chain = [], results[0][2], True
    for n, cost in base_costs.items():
        if chain and cost >= 0.9 * above:
            above = cost
            continue
        chain = False
        if re.search(args.match, names[n]):
            listed.append(n)
    listed = listed[:args.top]

    print(f"\nInstructions of `lede build --jobs 1`, {args.articles} articles (callgrind):\n")
    header = "| | " + " | ".join(f"[{k}]" for k in range(len(results))) + (" | ratio |" if len(results) > 1 else " |")
    print(header)
    print("|" + "---|" * (header.count("|") - 1))

    def row(label, values):
        cells = " | ".join(f"{v / 1e6:,.1f} M" if v is not None else "–" for v in values)
        ratio = ""
        if len(values) > 1:
            ratio = " | " + " / ".join(f"{v / values[0]:.3f}" if v is not None and values[0] else "–" for v in values[1:])
        print(f"| {label} | {cells}{ratio} |")

    row("whole build", [r[2] for r in results])
    for n in listed:
        row(names[n].replace("|", "\\|")[:110], [r[3].get(n) for r in results])
    print("\n(– : no function of that name in that binary: renamed, inlined, or its signature changed.)\n")
    for k, r in enumerate(results):
        print(f"[{k}] {r[0]}")
    for k in range(1, len(results)):
        same = subprocess.run(["diff", "-rq", os.path.join(results[0][1], "public"), os.path.join(results[k][1], "public")],
                              capture_output=True).returncode == 0
        print(f"output of [{k}] identical to [0]: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
