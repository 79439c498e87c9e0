#!/usr/bin/env python3
"""Peak memory of a process and of the browsers under it, for bench/scan_compare.sh.

    rss_sample.py PID OUT.json [INTERVAL_MS]

Every INTERVAL_MS (default 200) until PID is gone: the RSS of PID itself
(of its only child when PID is /usr/bin/time or a shell)
(and its kernel high-water mark VmHWM, so a peak between samples is not lost),
and the sum of the RSS and of the PSS (proportional set size: shared pages
split among the processes that share them) of every descendant of PID whose
command is chromium. The RSS sum counts the pages Chromium's processes share
once per process, as a sum of `ps` RSS does (and as the scanner's own memory
guard does); the PSS sum counts them once. Writes the peaks (KiB) and the
number of samples to OUT.json.

The PSS is read every fifth sample only: /proc/PID/smaps_rollup walks every
mapping of the process under its memory-map lock, and Chromium's processes
reserve very large address spaces; reading it for twenty processes every
200 ms slowed the measured scan by a quarter (119 s against 88 s for the same
50-page scan). The RSS (from /proc/PID/status) is cheap and read every time.
"""
import json
import os
import sys
import time


def read_stat(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            line = f.read().decode("utf-8", "replace")
    except OSError:
        return None
    close = line.rfind(")")
    comm = line[line.find("(") + 1:close]
    fields = line[close + 2:].split()
    return comm, int(fields[1])  # comm, ppid


def status_kib(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    root = int(sys.argv[1])
    out = sys.argv[2]
    interval = (int(sys.argv[3]) if len(sys.argv) > 3 else 200) / 1000.0
    peak = {"root_rss_kib": 0, "root_hwm_kib": 0, "chromium_rss_sum_kib": 0,
            "chromium_pss_sum_kib": 0, "chromium_processes_max": 0, "samples": 0}
    while os.path.exists(f"/proc/{root}"):
        parent = {}
        comm = {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            st = read_stat(name)
            if st is None:
                continue
            comm[int(name)], parent[int(name)] = st
        if root not in comm:
            break
        children = {}
        for pid, pp in parent.items():
            children.setdefault(pp, []).append(pid)
        # PID may be /usr/bin/time (or a shell) over the measured program.
        # (its other children, such as a process substitution that time-stamps
        # stderr, are not the program).
        tool = root
        while comm.get(tool) in ("time", "sh", "bash"):
            kids = [c for c in children.get(tool, [])
                    if not comm.get(c, "").startswith(("python", "cat", "tee"))]
            if len(kids) != 1:
                break
            tool = kids[0]
        with_pss = peak["samples"] % 5 == 0
        rss_sum = pss_sum = count = 0
        stack = list(children.get(tool, []))
        while stack:
            pid = stack.pop()
            stack.extend(children.get(pid, []))
            if comm.get(pid, "").startswith("chrom"):
                rss_sum += status_kib(pid, "VmRSS")
                if with_pss:
                    pss_sum += pss_kib(pid)
                count += 1
        peak["root_rss_kib"] = max(peak["root_rss_kib"], status_kib(tool, "VmRSS"))
        peak["root_hwm_kib"] = max(peak["root_hwm_kib"], status_kib(tool, "VmHWM"))
        peak["chromium_rss_sum_kib"] = max(peak["chromium_rss_sum_kib"], rss_sum)
        peak["chromium_pss_sum_kib"] = max(peak["chromium_pss_sum_kib"], pss_sum)
        peak["chromium_processes_max"] = max(peak["chromium_processes_max"], count)
        peak["samples"] += 1
        time.sleep(interval)
    with open(out, "w") as f:
        json.dump(peak, f)
        f.write("\n")


if __name__ == "__main__":
    main()
