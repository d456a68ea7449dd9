#!/usr/bin/env python3
"""Runs Pagefind (its path in $PAGEFIND_REAL) with the arguments given and
standard streams passed through, then appends its peak resident memory
(kB) and seconds to $PAGEFIND_RSS_LOG. Point LEDE_PAGEFIND at this file
(made executable) to see what each Pagefind run of lede costs."""
import os
import resource
import subprocess
import sys
import time

t = time.monotonic()
status = subprocess.call([os.environ["PAGEFIND_REAL"]] + sys.argv[1:])
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(os.environ["PAGEFIND_RSS_LOG"], "a") as f:
    f.write(f"{peak} kB {time.monotonic() - t:.2f} s\n")
sys.exit(status)
