#!/usr/bin/env python3
"""lede's end-to-end benchmark: lede against Hugo and the cmark command line.

usage: python3 Benchmarks/bench.py [--sizes 1000,10000,50000] [--runs N]
                                   [--hugo-sizes 1000,10000] [--work DIR]
                                   [--edits N] [--skip-build] [--markdown FILE]
                                   [--no-hugo] [--search]

For each size it generates the corpus (Benchmarks/gen_corpus.py, reused when
already there), then measures, side by side in one run:

- cmark:   `cmark --smart --unsafe FILE...` over all articles, one thread;
- Hugo:    a full build of the same files (tags, RSS, sitemap, table of
           contents), from nothing (public/ and resources/ removed first);
- lede:    `lede build`, from nothing (public/, .public.previous/ and
           .lede-cache/ removed first),
           with timelines and takeaways;
- no-change rebuild: `lede build` again, a new process, with its cache;
- one-edit rebuild: the median of --edits edits of one article each, rebuilt
           inside a running session (lede-bench edits, as lede serve does),
           whose output is then compared with a full build; and one edit
           rebuilt by a new `lede build` process (which brings the site it
           swapped out last time up to date beside public/ and swaps it in).

Search is left out of lede's builds (LEDE_PAGEFIND=off): Hugo builds no search
index either. With --search, Pagefind runs as in a normal build and its share
is reported.

Wall times are hyperfine means (--runs runs); peak memory is the maximum
resident set size from /usr/bin/time. Before each full build (of either tool)
the previous output is removed, then `sync; sleep 6`: on a file system without
a journal (ext4 here), allocating inodes within seconds of deleting tens of
thousands costs seconds of system time, which neither tool should be charged
for the previous run's deletion. It needs hyperfine and cmark (apt-get
install hyperfine cmark); Hugo is measured where it is installed. Prints a
Markdown table (also written to --markdown FILE if given).
"""
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

HUGO_CONFIG = """baseURL = "https://example.org/"
title = "Benchmark Explainers"
[taxonomies]
tag = "tags"
[markup.tableOfContents]
startLevel = 2
endLevel = 3
[markup.goldmark.renderer]
unsafe = true
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>'
                            '<link rel="canonical" href="{{ .Permalink }}"></head><body>{{ block "main" . }}{{ end }}</body></html>\n',
    "_default/single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Summary }}</p>'
                            '<p>{{ .Date.Format "January 2, 2006" }} · {{ .ReadingTime }} min read · {{ .WordCount }} words</p>'
                            '{{ with .Params.tags }}<ul>{{ range . }}<li><a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a></li>{{ end }}</ul>{{ end }}'
                            '<nav>{{ .TableOfContents }}</nav>{{ .Content }}</article>{{ end }}\n',
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> '
                          '{{ .Date.Format "2006-01-02" }}<p>{{ .Summary }}</p></li>{{ end }}</ul>{{ end }}\n',
}
HUGO_LAYOUTS["_default/terms.html"] = HUGO_LAYOUTS["_default/list.html"]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def hyperfine(name, command, prepare=None, runs=5, warmup=0):
    out = tempfile.mktemp(suffix=".json")
    cmd = ["hyperfine", "--style", "none", "--runs", str(runs), "--warmup", str(warmup), "--export-json", out, "-n", name]
    if prepare:
        cmd += ["--prepare", prepare]
    cmd.append(command)
    run(cmd)
    with open(out) as f:
        result = json.load(f)["results"][0]
    os.unlink(out)
    return result


def peak_rss_mb(command, prepare=None):
    if prepare:
        subprocess.run(prepare, shell=True, check=True)
    r = subprocess.run(["/usr/bin/time", "-f", "%M", "sh", "-c", command], text=True, capture_output=True)
    if r.returncode != 0:
        sys.exit(f"failed: {command}\n{r.stderr}")
    return int(r.stderr.strip().splitlines()[-1]) / 1024


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Linux {platform.release()}"


def versions(have_hugo):
    v = {}
    v["swift"] = run(["swift", "--version"]).stdout.splitlines()[0] if shutil.which("swift") else "?"
    v["cmark"] = run(["cmark", "--version"]).stdout.splitlines()[0]
    v["hyperfine"] = run(["hyperfine", "--version"]).stdout.strip()
    if have_hugo:
        v["hugo"] = run(["hugo", "version"]).stdout.split()[1]
    return v


def fmt_s(r):
    return f"{r['mean']:.2f} s ± {r['stddev'] or 0:.2f}" if r['mean'] >= 0.1 else f"{r['mean'] * 1000:.0f} ms ± {(r['stddev'] or 0) * 1000:.0f}"


def parse_args():
    """The options in the usage above; --help prints it, and an unknown
    option is an error (it used to be ignored, and a mistyped option ran the
    whole default benchmark)."""
    import argparse

    def sizes_list(text):
        try:
            return [int(x) for x in text.split(",") if x]
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected sizes like 1000,10000, not {text!r}")

    p = argparse.ArgumentParser(prog="python3 Benchmarks/bench.py", description=__doc__.split("\n")[0],
                                epilog="See the top of Benchmarks/bench.py for what each column measures.",
                                allow_abbrev=False)
    p.add_argument("--sizes", type=sizes_list, default=[1000, 10000, 50000], help="corpus sizes (default 1000,10000,50000)")
    p.add_argument("--hugo-sizes", type=sizes_list, default=None, help="sizes Hugo is measured at (default: all)")
    p.add_argument("--runs", type=int, default=5, help="hyperfine runs per full build (default 5)")
    p.add_argument("--edits", type=int, default=25, help="one-article edits in the running session (default 25)")
    p.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "lede-bench"), help="where the corpora go (default /tmp/lede-bench)")
    p.add_argument("--markdown", default=None, metavar="FILE", help="also write the table to FILE")
    p.add_argument("--skip-build", action="store_true", help="use the release binaries as they are")
    p.add_argument("--no-hugo", action="store_true", help="leave Hugo out")
    p.add_argument("--search", action="store_true", help="run Pagefind as a normal build does")
    return p.parse_args()


def main():
    args = parse_args()
    sizes = args.sizes
    hugo_sizes = args.hugo_sizes if args.hugo_sizes is not None else sizes
    runs = args.runs
    edits = args.edits
    work = os.path.abspath(args.work)
    markdown_out = args.markdown
    for tool in ["hyperfine", "cmark"]:
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed: apt-get install {tool}")
    have_hugo = shutil.which("hugo") is not None and not args.no_hugo
    if not args.search:
        os.environ["LEDE_PAGEFIND"] = "off"

    if not args.skip_build:
        print("building lede and lede-bench (release)...", file=sys.stderr)
        subprocess.run(["swift", "build", "-c", "release", "--product", "lede"], cwd=REPO, check=True)
        subprocess.run(["swift", "build", "-c", "release", "--product", "lede-bench"], cwd=REPO, check=True)
    bindir = run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=REPO).stdout.strip()
    lede, lede_bench = os.path.join(bindir, "lede"), os.path.join(bindir, "lede-bench")
    os.makedirs(work, exist_ok=True)
    load_before = os.getloadavg()

    rows = []
    details = []
    for n in sizes:
        site = os.path.join(work, f"site-{n}")
        content = os.path.join(site, "content")
        marker = os.path.join(site, ".corpus")
        if not (os.path.exists(marker) and open(marker).read() == str(n)):
            print(f"generating {n} articles in {site}...", file=sys.stderr)
            shutil.rmtree(site, ignore_errors=True)
            run([sys.executable, os.path.join(HERE, "gen_corpus.py"), site, str(n)])
            with open(marker, "w") as f:
                f.write(str(n))
        mb = sum(os.path.getsize(os.path.join(content, f)) for f in os.listdir(content)) / 1e6
        print(f"== {n} articles ({mb:.0f} MB of Markdown)", file=sys.stderr)
        r = {"n": n, "mb": mb}

        listing = f"find {sh_quote(content)} -name 'explainer-*.md' -print0 | sort -z"
        cmark_cmd = f"{listing} | xargs -0 cmark --smart --unsafe > /dev/null"
        r["cmark"] = hyperfine("cmark", cmark_cmd, runs=runs, warmup=1)

        if have_hugo and n in hugo_sizes:
            hsite = os.path.join(work, f"hugo-{n}")
            os.makedirs(os.path.join(hsite, "layouts", "_default"), exist_ok=True)
            with open(os.path.join(hsite, "config.toml"), "w") as f:
                f.write(HUGO_CONFIG)
            for path, text in HUGO_LAYOUTS.items():
                with open(os.path.join(hsite, "layouts", path), "w") as f:
                    f.write(text)
            link = os.path.join(hsite, "content")
            if not os.path.islink(link):
                os.symlink(content, link)
            prep = f"rm -rf {sh_quote(hsite)}/public {sh_quote(hsite)}/resources; sync; sleep 6"
            hugo_cmd = f"hugo --quiet -s {sh_quote(hsite)}"
            r["hugo"] = hyperfine("hugo", hugo_cmd, prepare=prep, runs=runs)
            r["hugo_rss"] = peak_rss_mb(hugo_cmd, prepare=prep)

        prep = f"rm -rf {sh_quote(site)}/public {sh_quote(site)}/.public.previous {sh_quote(site)}/.lede-cache; sync; sleep 6"
        build = f"{sh_quote(lede)} build --source {sh_quote(site)} --quiet"
        r["lede"] = hyperfine("lede", build, prepare=prep, runs=runs)
        r["lede_rss"] = peak_rss_mb(build, prepare=prep)
        timings = subprocess.run(prep + " && " + build.replace("--quiet", "--quiet --timings"), shell=True, text=True, capture_output=True)
        r["phases"] = timings.stderr.strip()
        # Nothing changed: a new process, with the cache of the build above.
        subprocess.run(build, shell=True, check=True)
        r["nochange"] = hyperfine("no-change", build, runs=max(runs, 10), warmup=1)
        r["nochange_rss"] = peak_rss_mb(build)
        # One article edited (a sentence added), then a new `lede build`.
        victim = os.path.join(content, sorted(f for f in os.listdir(content) if f.startswith("explainer-"))[n // 2])
        edit = f"printf '\\nIn 1990 one more thing happened.\\n' >> {sh_quote(victim)}"
        with open(victim, "rb") as f:
            original = f.read()
        try:
            r["oneedit"] = hyperfine("one-edit", build, prepare=edit, runs=max(runs, 10))
        finally:
            # The corpus stays as generated, so that runs compare.
            with open(victim, "wb") as f:
                f.write(original)
        out = run([lede_bench, "edits", site, "--edits", str(edits)]).stdout
        m = re.search(r"median ([0-9.]+) ms", out)
        r["edit_ms"] = float(m.group(1)) if m else None
        r["edit_line"] = [l for l in out.splitlines() if "edits" in l][0]
        r["edit_identical"] = "identical to a full build: yes" in out
        if n == sizes[min(1, len(sizes) - 1)]:
            r["stages"] = run([lede_bench, "stages", site, "--limit", "2000"]).stdout.strip()
        rows.append(r)

    load_after = os.getloadavg()
    v = versions(have_hugo)
    lines = []
    lines.append(f"Measured on {machine()}; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; "
                 + ", ".join(f"{k} {val}" for k, val in v.items()) + f"; work folder {work}.")
    lines.append("")
    lines.append("| articles | Markdown | cmark, 1 thread | Hugo | Hugo peak RSS | lede full build | lede peak RSS | lede / Hugo | lede / cmark | no-change rebuild (RSS) | one-edit rebuild, new process | one-edit rebuild, running session (median) |")
    lines.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        hugo = r.get("hugo")
        lines.append("| {n:,} | {mb:.0f} MB | {cmark} | {hugo} | {hrss} | {lede} | {lrss:.0f} MB | {vh} | {vc:.2f} × | {nc} ({ncrss:.0f} MB) | {oneedit} | {edit} |".format(
            n=r["n"], mb=r["mb"], cmark=fmt_s(r["cmark"]), hugo=fmt_s(hugo) if hugo else "–",
            hrss=f"{r['hugo_rss']:.0f} MB" if hugo else "–", lede=fmt_s(r["lede"]), lrss=r["lede_rss"],
            vh=f"{r['lede']['mean'] / hugo['mean']:.2f} ×" if hugo else "–", vc=r["lede"]["mean"] / r["cmark"]["mean"],
            nc=fmt_s(r["nochange"]), ncrss=r["nochange_rss"], oneedit=fmt_s(r["oneedit"]),
            edit=(f"{r['edit_ms']:.1f} ms" if r["edit_ms"] is not None else "?") + ("" if r["edit_identical"] else " (OUTPUT DIFFERS)")))
    lines.append("")
    for r in rows:
        lines.append(f"{r['n']:,} articles: lede user+sys CPU {r['lede']['user'] + r['lede']['system']:.2f} s"
                     + (f", Hugo {r['hugo']['user'] + r['hugo']['system']:.2f} s" if r.get("hugo") else "")
                     + f", cmark {r['cmark']['user'] + r['cmark']['system']:.2f} s. " + r["edit_line"])
    for r in rows:
        lines.append("")
        lines.append(f"Phases of one full build of {r['n']:,} articles (lede build --timings):")
        lines.append("```")
        lines.append(r["phases"])
        lines.append("```")
        if "stages" in r:
            lines.append("Per-page stages, one thread, first 2,000 articles (lede-bench stages):")
            lines.append("```")
            lines.append(r["stages"])
            lines.append("```")
    text = "\n".join(lines)
    print(text)
    if markdown_out:
        with open(markdown_out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
