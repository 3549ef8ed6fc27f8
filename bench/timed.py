#!/usr/bin/env python3
"""timed.py LOG COMMAND...: runs COMMAND with its output in LOG, prints "<wall s> <cpu s>" (cpu =
user + system of the command and its children) and exits with the command's status. With
TIMED_RSS=1 a third figure follows: the peak resident memory, in MiB, of the largest process. CPU seconds
drift less than wall seconds on a shared machine, so the benches report both."""
import resource, subprocess, sys, time

log, command = sys.argv[1], sys.argv[2:]
before = resource.getrusage(resource.RUSAGE_CHILDREN)
started = time.monotonic()
with open(log, "w") as out:
    status = subprocess.call(command, stdout=out, stderr=subprocess.STDOUT)
wall = time.monotonic() - started
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
import os
if os.environ.get("TIMED_RSS") == "1":
    print(f"{wall:.3f} {cpu:.3f} {after.ru_maxrss // 1024}")
else:
    print(f"{wall:.3f} {cpu:.3f}")
sys.exit(status)
