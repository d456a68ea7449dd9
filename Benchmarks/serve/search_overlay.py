#!/usr/bin/env python3
"""Measures how soon `lede serve`'s search overlay follows a save.

usage: search_overlay.py URL SITE_DIR [--edits 5] [--pause 1.0]

Connects to URL/_lede/events like a page does, then edits one article after
another (a unique new word appended; a temporary file renamed over it, as
editors save) and times each save, from the rename to the server's `search`
event for the overlay (sent once the new overlay is served), and checks that
/_lede/search-overlay/overlay.json then names the article's page. The
overlay grows by one page a save (it holds every page changed since the
whole-site index). Prints one line per edit and the median.
"""
import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
import queue

sys.path.insert(0, os.path.dirname(__file__))
from reload_latency import events  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("site")
    p.add_argument("--edits", type=int, default=5)
    p.add_argument("--pause", type=float, default=1.0, help="seconds between edits")
    a = p.parse_args()
    url = a.url.rstrip("/")
    names = sorted(n for n in os.listdir(os.path.join(a.site, "content")) if n.endswith(".md") and n != "_index.md")
    q = queue.Queue()

    def listen():
        for name, data in events(url):
            q.put((time.monotonic(), name, data))
    threading.Thread(target=listen, daemon=True).start()
    while True:  # the stream's hello
        _, name, _ = q.get(timeout=30)
        if name == "hello":
            break
    times = []
    for k in range(a.edits):
        name = names[(k * 997 + 41) % len(names)]
        path = os.path.join(a.site, "content", name)
        text = open(path).read().rstrip("\n") + f"\n\nOverlayword{os.getpid()}x{k} appears here.\n"
        tmp = os.path.join(a.site, "content", f".{name}.tmp")
        with open(tmp, "w") as f:
            f.write(text)
        while not q.empty():
            q.get()
        t0 = time.monotonic()
        os.rename(tmp, path)
        while True:
            t, ev, data = q.get(timeout=600)
            if ev == "search" and json.loads(data).get("overlay"):
                break
        ms = (t - t0) * 1000
        manifest = json.load(urllib.request.urlopen(url + "/_lede/search-overlay/overlay.json"))
        slug = name[:-3]
        ok = f"/{slug}/" in manifest["superseded"]
        times.append(ms)
        print(f"edit {k + 1}: {name}: overlay served after {ms:.0f} ms (generation {manifest['generation']}, "
              f"{len(manifest['superseded'])} superseded, names the page: {ok})", flush=True)
        time.sleep(a.pause)
    print(f"median: {statistics.median(times):.0f} ms over {len(times)} saves")


if __name__ == "__main__":
    main()
