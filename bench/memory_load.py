#!/usr/bin/env python3
"""memory_load: how much resident memory each list, export and report leaves behind (issue 17).

Serves a copy of a loaded database (e.g. the 100,000 risks `risk_load --keep-db PATH` leaves)
with `rampart serve` and asks, one at a time, every list of the API (first page of 50), every
register's export (CSV and XLSX), the treatment plan and every report in each of its formats. For
each request it records the server's resident memory (VmRSS) before, the peak during it (VmHWM,
reset before each request through /proc/PID/clear_refs) and after it has ended (once the server's
memory keeper had time to return freed memory: --settle seconds). The budget: no request grows
the resident memory by more than 50 MB after it ends.

    bench/memory_load.py --bin build-bench/rampart --db /tmp/rk.db --org "Bench Ltd" --user bench

Prints a table, the requests over budget, then one line of JSON starting with
{"bench":"memory_load". Loopback only; the copy is removed at the end.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

BUDGET_MB = 50


def vm_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak(pid):
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")


def get(url, token, timeout=600):
    """Status, bytes and seconds of one GET; waits out the export limit (429 Retry-After)."""
    for _ in range(20):
        status, size, seconds, retry = get_once(url, token, timeout)
        if status != 429:
            return status, size, seconds
        time.sleep(retry)
    return status, size, seconds


def get_once(url, token, timeout):
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            size = 0
            while True:
                chunk = r.read(1 << 20)
                if not chunk:
                    break
                size += len(chunk)
            return r.status, size, time.monotonic() - start, 0
    except urllib.error.HTTPError as e:
        retry = float(e.headers.get("Retry-After", "1"))
        return e.code, len(e.read()), time.monotonic() - start, retry


def requests_to_make(base, token):
    """Every list (GET without path parameters that takes `limit`), export and report."""
    with urllib.request.urlopen(urllib.request.Request(
            base + "/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"})) as r:
        doc = json.load(r)
    out = []
    for path, item in sorted(doc["paths"].items()):
        op = item.get("get")
        if not op or "{" in path or not path.startswith("/api/v1/"):
            continue
        names = {p.get("name") for p in op.get("parameters", []) if isinstance(p, dict)}
        if path.endswith("/export"):
            for fmt in ("csv", "xlsx"):
                out.append(("export", f"{path}?format={fmt}"))
        elif "limit" in names:
            out.append(("list", f"{path}?limit=50"))
        elif path == "/api/v1/risks/treatment-plan":
            out.append(("list", path))  # not paged yet: the whole plan
    with urllib.request.urlopen(urllib.request.Request(
            base + "/api/v1/reports", headers={"Authorization": f"Bearer {token}"})) as r:
        reports = json.load(r)
    for rep in reports.get("data", []):
        if rep.get("record"):
            continue  # a report of one chosen record (a document version, an audit): not at scale
        for fmt in rep.get("formats", []):
            if fmt != "html":
                out.append(("report", f"/api/v1/reports/{rep['name']}?format={fmt}"))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--org", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--settle", type=float, default=2.5)
    ap.add_argument("--only", default="", help="a regular expression the request must match")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="rampart-memory.")
    server = None
    try:
        db = os.path.join(work, "r.db")
        shutil.copy(a.db, db)
        token = subprocess.run([a.bin, "token", "create", "--db", db, "--user", a.user,
                                "--org", a.org], check=True, capture_output=True,
                               text=True).stdout.strip().splitlines()[-1]
        log = open(os.path.join(work, "out"), "w+")
        server = subprocess.Popen([a.bin, "serve", "--db", db, "--listen", "127.0.0.1:0"],
                                  stdout=log, stderr=subprocess.STDOUT)
        port = None
        for _ in range(600):
            log.seek(0)
            m = re.search(r"serving on http://127\.0\.0\.1:(\d+)/", log.read())
            if m:
                port = m.group(1)
                break
            time.sleep(0.1)
        if port is None:
            log.seek(0)
            sys.exit("the server did not start: " + log.read())
        base = f"http://127.0.0.1:{port}"
        todo = [t for t in requests_to_make(base, token) if re.search(a.only, t[1])]
        time.sleep(a.settle)
        start_kb = vm_kb(server.pid, "VmRSS")
        rows = []
        for kind, path in todo:
            before = vm_kb(server.pid, "VmRSS")
            reset_peak(server.pid)
            status, size, seconds = get(base + path, token)
            peak = vm_kb(server.pid, "VmHWM")
            time.sleep(a.settle)
            after = vm_kb(server.pid, "VmRSS")
            rows.append({"kind": kind, "path": path, "status": status, "bytes": size,
                         "seconds": round(seconds, 3), "before_mb": round(before / 1024, 1),
                         "peak_growth_mb": round((peak - before) / 1024, 1),
                         "retained_mb": round((after - before) / 1024, 1)})
            r = rows[-1]
            print(f"{kind:7} {path[:72]:72} {status:3} {size / 1e6:8.1f} MB {seconds:7.2f} s  "
                  f"peak +{r['peak_growth_mb']:7.1f} MB  after {r['retained_mb']:+7.1f} MB",
                  flush=True)
        end_kb = vm_kb(server.pid, "VmRSS")
        over = [r for r in rows if r["retained_mb"] > BUDGET_MB]
        print(f"\n{len(rows)} requests; resident memory {start_kb / 1024:.1f} MB at the start, "
              f"{end_kb / 1024:.1f} MB at the end; largest left behind by one request: "
              f"{max((r['retained_mb'] for r in rows), default=0):.1f} MB; largest peak growth: "
              f"{max((r['peak_growth_mb'] for r in rows), default=0):.1f} MB")
        for r in over:
            print(f"OVER BUDGET ({BUDGET_MB} MB): {r['path']} left {r['retained_mb']} MB")
        print(json.dumps({"bench": "memory_load", "start_mb": round(start_kb / 1024, 1),
                          "end_mb": round(end_kb / 1024, 1), "over_budget": len(over),
                          "requests": rows}))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
