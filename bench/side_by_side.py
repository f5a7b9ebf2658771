#!/usr/bin/env python3
"""bench/side_by_side.py OUTPUT... : the key figures of several list_load runs side by side.

Each OUTPUT is text that list_load printed, or the whole output of bench/run.sh: every line that
starts with {"bench":"list_load" is one run. Prints a Markdown table, one column per run (headed
by its backend), plus the ratio of the second run to the first when there are exactly two.
run.sh calls it with the SQLite run first and the PostgreSQL run second.
"""
import json
import sys


def load(path):
    """Every list_load JSON line in the file (run.sh's whole output holds one per backend)."""
    runs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith('{"') and '"bench":"list_load"' in line:
                runs.append(json.loads(line))
    if not runs:
        sys.exit(f"side_by_side.py: no list_load JSON line in {path}")
    return runs


def get(data, path):
    for key in path.split("."):
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


# (label, [JSON paths], format). Several paths share one cell ("p50 / p99").
ROWS = [
    ("bulk load, `Store::Write` (rows/s)", ["load.write_rows_per_s"], "{:,.0f}"),
    ("bulk load with `ValidateFields` + `DiffFields` (rows/s)", ["load.import_rows_per_s"], "{:,.0f}"),
    ("list of 50 `kind=external&sort=title`, server p50 / p99 (ms)",
     ["latency.list.server_ms.p50", "latency.list.server_ms.p99"], "{:.3f}"),
    ("same, client p50 / p99 (ms)",
     ["latency.list.client_ms.p50", "latency.list.client_ms.p99"], "{:.3f}"),
    ("same, page 10 by cursor, server p50 / p99 (ms)",
     ["latency.list_fixed_cursor_page.server_ms.p50", "latency.list_fixed_cursor_page.server_ms.p99"],
     "{:.3f}"),
    ("same, `&total=true`, server p50 / p99 (ms)",
     ["latency.list_with_total.server_ms.p50", "latency.list_with_total.server_ms.p99"], "{:.3f}"),
    ("same, limit=500, server p50 (ms)", ["page_size.500.server_ms.p50"], "{:.3f}"),
    ("selective filter `owner=<nobody's>&sort=title`, server p50 / p99 (ms)",
     ["latency.list_selective_filter.server_ms.p50", "latency.list_selective_filter.server_ms.p99"],
     "{:.3f}"),
    ("search `q=zzzz` (no match), server p50 / p99 (ms)",
     ["latency.list_search_no_match.server_ms.p50", "latency.list_search_no_match.server_ms.p99"],
     "{:.3f}"),
    ("one record by id, server p50 / p99 (ms)",
     ["latency.get_one.server_ms.p50", "latency.get_one.server_ms.p99"], "{:.3f}"),
    ("web list page (50 rows + capped count), server p50 / p99 (ms)",
     ["latency.web_list_page.server_ms.p50", "latency.web_list_page.server_ms.p99"], "{:.3f}"),
    ("web SWOT page, server p50 (ms)", ["latency.web_swot_page.server_ms.p50"], "{:.3f}"),
    ("web overview page, server p50 (ms)", ["latency.web_overview_page.server_ms.p50"], "{:.3f}"),
    ("`Store::List` in-process, no HTTP, p50 (ms)", ["latency.store_list_ms.p50"], "{:.3f}"),
    ("throughput `/healthz` (req/s)", ["throughput.healthz.rps"], "{:,.0f}"),
    ("throughput list of 50 (req/s)", ["throughput.list.rps"], "{:,.0f}"),
    ("throughput one record (req/s)", ["throughput.get_one.rps"], "{:,.0f}"),
    ("`/healthz` ÷ list of 50 (budget 2×)", ["throughput.healthz_over_list"], "{:.2f}×"),
    ("`/healthz` ÷ one record (budget 2×)", ["throughput.healthz_over_get_one"], "{:.2f}×"),
    ("list of 50: Rampart CPU / database server CPU per request (µs)",
     ["throughput.list.server_cpu_us_per_request", "throughput.list.db_cpu_us_per_request"],
     "{:.0f}"),
    ("one record: Rampart CPU / database server CPU per request (µs)",
     ["throughput.get_one.server_cpu_us_per_request", "throughput.get_one.db_cpu_us_per_request"],
     "{:.0f}"),
    ("`rampart serve` start-up, median of starts (ms)", ["process.startup_ms.p50"], "{:.1f}"),
    ("in-process start-up, empty / loaded database (ms)", ["startup_ms.empty", "startup_ms.loaded"],
     "{:.1f}"),
    ("`rampart serve` VmRSS idle / after list traffic (MB)",
     ["process.rss_idle_mb", "process.rss_after_traffic_mb"], "{:.1f}"),
    ("load average (1 min) at start / end", ["loadavg_start", "loadavg_end"], "{}"),
]


def cell(data, paths, fmt):
    parts = []
    for p in paths:
        v = get(data, p)
        if v is None:
            parts.append("–" if p.endswith("db_cpu_us_per_request") else "n/a")
        elif isinstance(v, str):
            parts.append(v.split()[0])  # the 1-minute load average
        else:
            parts.append(fmt.format(v))
    return " / ".join(parts)


def ratio(a, b, paths):
    out = []
    for p in paths:
        x, y = get(a, p), get(b, p)
        if isinstance(x, (int, float)) and isinstance(y, (int, float)) and x > 0:
            out.append(f"{y / x:.2f}×")
        else:
            out.append("–")
    return " / ".join(out)


def main(paths):
    if not paths:
        sys.exit(__doc__)
    runs = [run for p in paths for run in load(p)]
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    backends = [r.get("db_backend", r.get("backend", "sqlite")) for r in runs]
    heads = [names.get(b, b) for b in backends]
    two = len(runs) == 2
    header = ["figure"] + heads + ([f"{heads[1]} ÷ {heads[0]}"] if two else [])
    print("| " + " | ".join(header) + " |")
    print("|---|" + "---:|" * (len(header) - 1))
    for label, keys, fmt in ROWS:
        row = [label] + [cell(r, keys, fmt) for r in runs]
        if two:
            row.append("" if keys[0].startswith("loadavg") else ratio(runs[0], runs[1], keys))
        print("| " + " | ".join(row) + " |")
    for r, h in zip(runs, heads):
        pg = r.get("postgres")
        if pg:
            s = pg.get("settings", {})
            print(f"\n{h} {pg.get('server_version', '?')}: "
                  + ", ".join(f"{k}={v}" for k, v in s.items()))
            stats = pg.get("stats_before_http") or {}
            when = stats.get("last_autoanalyze") or stats.get("last_analyze") or "never"
            print(f"{h} statistics of context_issues before the HTTP runs: last analyze {when}, "
                  f"{stats.get('n_mod_since_analyze', '?')} rows changed since")
        rows = r.get("rows")
        print(f"{h}: {rows} rows, {r.get('cores')} cores")


if __name__ == "__main__":
    main(sys.argv[1:])
