#!/usr/bin/env python3
"""Crash test: writers create records through the API while `rampart serve` is killed with
SIGKILL at random moments; after each restart every write that was acknowledged (201) must be
there exactly once, and at the end the audit chain must verify. Every write carries an
Idempotency-Key; the writes whose outcome the writers could not know (the connection lost in the
kill, or refused with a 5xx) are sent again with their keys after the restart, as a client
following the advice would: each must then be acknowledged and be there once, whether the first
attempt had committed (the first answer replayed) or not (created now).

    crash_test.py --bin RAMPART [--kills N] [--writers N] [--backend sqlite|postgres]
                  [--pg-url CLUSTER_URL] [--seed N] [--json FILE]

For PostgreSQL, --pg-url (default: $RAMPART_TEST_PG_URL) names a cluster (a libpq keyword
string) in which a throwaway database is created and dropped. Standard library only.
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request


def run(args, stdin=None):
    done = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} failed ({done.returncode}): {done.stderr}")
    return done.stdout


class Server:
    def __init__(self, binary, db, extra):
        self.out = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen([binary, "serve", "--db", db, "--listen", "127.0.0.1:0",
                                      "--no-reminders", *extra],
                                     stdout=self.out, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            self.out.seek(0)
            m = re.search(r"serving on http://127\.0\.0\.1:(\d+)/", self.out.read())
            if m:
                self.port = int(m.group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.out.seek(0)
        raise RuntimeError("the server did not start:\n" + self.out.read())

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)


def request(port, token, method, path, body=None, timeout=10, key=None):
    """(status, body, replayed): replayed when the answer says Idempotent-Replayed: true."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                 headers=headers)
    with urllib.request.urlopen(req, timeout=timeout) as res:
        replayed = res.headers.get("Idempotent-Replayed") == "true"
        return res.status, json.loads(res.read() or b"null"), replayed


def titles(port, token):
    out, cursor = [], ""
    while True:
        path = "/api/v1/context-issues?limit=500" + (f"&cursor={cursor}" if cursor else "")
        _, page, _ = request(port, token, "GET", path, timeout=60)
        out += [r["title"] for r in page["data"]]
        cursor = page.get("next_cursor") or ""
        if not cursor:
            return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--kills", type=int, default=5)
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--pg-url", default=os.environ.get("RAMPART_TEST_PG_URL", ""))
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--json", default="")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    work = tempfile.mkdtemp(prefix="rampart-crash-")
    pg_db = ""
    extra = []
    try:
        if a.backend == "postgres":
            if not a.pg_url:
                raise RuntimeError("--backend postgres needs --pg-url or RAMPART_TEST_PG_URL")
            pg_db = f"rampart_crash_{os.getpid()}"
            run(["psql", a.pg_url, "-q", "-c", f"CREATE DATABASE {pg_db}"])
            db = f"{a.pg_url} dbname={pg_db}"
            extra = ["--signing-key", os.path.join(work, "signing-key")]
            run([a.bin, "init", "--db", db, "--org", "Crash test", *extra])
        else:
            db = os.path.join(work, "rampart.db")
            run([a.bin, "init", "--db", db, "--org", "Crash test"])
        run([a.bin, "user", "add", "--db", db, "--username", "writer", "--role", "isms_manager",
             "--org", "Crash test", "--password-stdin"], stdin="a long enough passphrase\n")
        token = run([a.bin, "token", "create", "--db", db, "--user", "writer",
                     "--org", "Crash test"]).strip().splitlines()[-1]

        acknowledged, lost, duplicated, rounds, unexpected = set(), 0, 0, [], []
        retried, replayed = 0, 0
        server = Server(a.bin, db, extra)
        for kill in range(a.kills):
            stop = threading.Event()
            acked_now, unknown, lock = [], [], threading.Lock()

            def issue(title):
                return {"title": title, "kind": "internal", "status": "active"}

            def writer(w):
                i = 0
                while not stop.is_set():
                    title = f"round {kill} writer {w} issue {i}"
                    key = f"{a.seed}/{title}"
                    i += 1
                    try:
                        status, _, _ = request(server.port, token, "POST",
                                               "/api/v1/context-issues", issue(title), key=key)
                    except urllib.error.HTTPError as e:
                        if e.code >= 500:  # refused (busy, stopping): sent again after the restart
                            with lock:
                                unknown.append(title)
                            continue
                        with lock:
                            unexpected.append(f"{title}: HTTP {e.code}")
                        return
                    except (urllib.error.URLError, ConnectionError, OSError):
                        with lock:  # the server is gone (or going): committed or not, unknown
                            unknown.append(title)
                        return
                    if status == 201:
                        with lock:
                            acked_now.append(title)

            threads = [threading.Thread(target=writer, args=(w,)) for w in range(a.writers)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.3, 1.5))
            server.kill()
            stop.set()
            for t in threads:
                t.join()
            acknowledged.update(acked_now)
            server = Server(a.bin, db, extra)
            # What the writers could not know, sent again with the same keys.
            for title in unknown:
                try:
                    status, _, again = request(server.port, token, "POST",
                                               "/api/v1/context-issues", issue(title),
                                               key=f"{a.seed}/{title}")
                except urllib.error.HTTPError as e:
                    unexpected.append(f"{title} sent again: HTTP {e.code}")
                    continue
                if status != 201:
                    unexpected.append(f"{title} sent again: HTTP {status}")
                    continue
                retried += 1
                replayed += again
                acked_now.append(title)
                acknowledged.add(title)
            present = titles(server.port, token)
            counts = {}
            for t in present:
                counts[t] = counts.get(t, 0) + 1
            missing = [t for t in acknowledged if t not in counts]
            twice = [t for t, n in counts.items() if n > 1]
            lost, duplicated = lost + len(missing), duplicated + len(twice)
            rounds.append({"acknowledged": len(acked_now), "sent_again": len(unknown),
                           "present": len(present), "lost": len(missing),
                           "duplicated": len(twice)})
            print(f"kill {kill + 1}/{a.kills}: {len(acked_now)} writes acknowledged "
                  f"({len(unknown)} sent again), {len(present)} issues present, "
                  f"{len(missing)} lost, {len(twice)} duplicated", flush=True)
        server.stop()
        verify = subprocess.run([a.bin, "audit", "verify", "--db", db], capture_output=True,
                                text=True)
        intact = verify.returncode == 0
        print(verify.stdout.strip() or verify.stderr.strip())
        result = {"backend": a.backend, "kills": a.kills, "writers": a.writers, "seed": a.seed,
                  "acknowledged": len(acknowledged), "lost": lost, "duplicated": duplicated,
                  "sent_again": retried, "sent_again_replayed": replayed,
                  "audit_chain_intact": intact, "rounds": rounds}
        if a.json:
            with open(a.json, "w") as f:
                json.dump(result, f, indent=2)
        for line in unexpected[:5]:
            print("unexpected answer:", line)
        ok = lost == 0 and duplicated == 0 and intact and len(acknowledged) > 0 and not unexpected
        print(f"{a.backend}: {a.kills} kills, {len(acknowledged)} acknowledged writes "
              f"({retried} sent again with their Idempotency-Key, {replayed} of them answered "
              f"from the first attempt), {lost} lost, {duplicated} duplicated, audit chain "
              f"{'intact' if intact else 'BROKEN'} (seed {a.seed})")
        print("1 passed, 0 failed" if ok else "0 passed, 1 failed")
        return 0 if ok else 1
    finally:
        if pg_db:
            subprocess.run(["psql", a.pg_url, "-q", "-c", f"DROP DATABASE IF EXISTS {pg_db} "
                            "WITH (FORCE)"], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
