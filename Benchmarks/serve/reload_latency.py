#!/usr/bin/env python3
"""Measures how soon `lede serve` tells the browser about a save.

usage: reload_latency.py URL SITE_DIR [--article content/x.md] [--edits 20] [--pause 0.5]

Connects to URL/_lede/events like a page does, then edits one article N times
the way editors save (write a temporary file, rename it over the article) and
times each save, from the rename to the arrival of the server's `rebuilt`
event. Prints one line per edit and the median, and how much of it the
rebuild itself took (the `ms` field of the event) versus watching, batching
and notifying.
"""
import argparse
import http.client
import os
import statistics
import sys
import time
import json
import urllib.parse


def events(url):
    """Yields (name, data) for each server-sent event."""
    u = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
    conn.request("GET", "/_lede/events")
    resp = conn.getresponse()
    if resp.status != 200:
        sys.exit(f"GET /_lede/events: {resp.status}")
    name, data = "message", []
    while True:
        line = resp.fp.readline()
        if not line:
            return
        line = line.decode().rstrip("\r\n")
        if line == "":
            if data:
                yield name, "\n".join(data)
            name, data = "message", []
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("site")
    p.add_argument("--article", default=None, help="relative to SITE (default: the first article in content/)")
    p.add_argument("--edits", type=int, default=20)
    p.add_argument("--pause", type=float, default=0.5, help="seconds between edits")
    a = p.parse_args()

    article = a.article
    if article is None:
        names = sorted(n for n in os.listdir(os.path.join(a.site, "content")) if n.endswith(".md") and n != "_index.md")
        article = "content/" + names[0]
    path = os.path.join(a.site, article)
    original = open(path, encoding="utf-8").read()

    stream = events(a.url)
    name, _ = next(stream)
    assert name == "hello", name

    latencies, rebuilds = [], []
    try:
        for i in range(a.edits):
            text = original.rstrip("\n") + f"\n\nBenchmark edit {i} at {time.time():.6f}.\n"
            tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.bench{i}")
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
            t0 = time.perf_counter()
            os.rename(tmp, path)
            for name, data in stream:
                if name in ("rebuilt", "failed"):
                    break
            t1 = time.perf_counter()
            d = json.loads(data)
            if name == "failed":
                sys.exit(f"edit {i}: the build failed: {d['errors'][:1]}")
            ms = (t1 - t0) * 1000
            latencies.append(ms)
            rebuilds.append(d.get("ms", 0))
            print(f"edit {i + 1:2d}: event after {ms:8.1f} ms (rebuild {d.get('ms', 0)} ms, sources {d['sources']})", flush=True)
            time.sleep(a.pause)
    finally:
        tmp = path + ".restore"
        with open(os.path.join(os.path.dirname(path), "." + os.path.basename(tmp)), "w", encoding="utf-8") as f:
            f.write(original)
        os.rename(os.path.join(os.path.dirname(path), "." + os.path.basename(tmp)), path)

    overhead = [l - r for l, r in zip(latencies, rebuilds)]
    print(f"median save-to-event latency over {len(latencies)} edits: {statistics.median(latencies):.1f} ms "
          f"(min {min(latencies):.1f}, max {max(latencies):.1f}); "
          f"median rebuild {statistics.median(rebuilds):.0f} ms; "
          f"median watch+batch+notify {statistics.median(overhead):.1f} ms")


if __name__ == "__main__":
    main()
