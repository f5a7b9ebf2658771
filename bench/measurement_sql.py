# The plain SQL of the metrics pages at 100,000 measurements (docs/performance.md, "Measurements
# at 100,000"), on the schema `make schema` wrote (migrations 0052-0053), with the system SQLite:
# python3 bench/measurement_sql.py [--analyze]. Writes /tmp/metrics-sql/m.db.
import sqlite3, time, datetime, statistics, os, sys
src = os.path.join(os.path.dirname(os.path.abspath(__file__)), '../src/store/migrations/sqlite/')
os.makedirs('/tmp/metrics-sql', exist_ok=True)
db = '/tmp/metrics-sql/m.db'
if os.path.exists(db): os.remove(db)
c = sqlite3.connect(db)
c.executescript("""
CREATE TABLE organisations (id INTEGER PRIMARY KEY, name TEXT, created_at TEXT);
CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT);
CREATE TABLE memberships (user_id INTEGER, org_id INTEGER, role TEXT, PRIMARY KEY (user_id, org_id));
CREATE TABLE objectives (id INTEGER PRIMARY KEY, org_id INTEGER, UNIQUE (id, org_id));
CREATE TABLE applied_controls (id INTEGER PRIMARY KEY, org_id INTEGER, UNIQUE (id, org_id));
""")
c.executescript(open(src + '0052_metrics.sql').read())
c.executescript(open(src + '0053_measurements.sql').read())
c.execute("INSERT INTO organisations VALUES (1,'Bench','2026-12-05')")
c.execute("INSERT INTO users VALUES (1,'bench')")
c.execute("INSERT INTO memberships VALUES (1,1,'admin')")
now = '2026-12-05T18:00:00Z'
today = datetime.date(2026, 12, 5)
M, N = 500, 100000
cols = "org_id, version, created_at, updated_at, created_by, updated_by"
for i in range(M):
    c.execute(f"INSERT INTO metrics ({cols}, title, method, frequency_every, frequency_unit, measured_by, unit, direction, target_value, status) VALUES (1,1,?,?,1,1,?,?,?,?,1,'%','higher',90,'active')",
              (now, now, f"Metric {i:04d}", "method", 1, "months"))
nxt = [0] * (M + 1)
rows = []
for i in range(N):
    m = 1 if i % 10 == 0 else 2 + i % (M - 1)
    back = nxt[m]; nxt[m] += 1
    rows.append((now, now, m, ((i * 37) % 1000) / 10.0, str(today - datetime.timedelta(days=back)), 1, None))
c.executemany(f"INSERT INTO measurements ({cols}, metric, value, measured_on, measured_by, comment) VALUES (1,1,?,?,1,1,?,?,?,?,?)", rows)
c.commit()
c.execute("ANALYZE") if '--analyze' in sys.argv else None
ids = [r[0] for r in c.execute("SELECT id FROM metrics WHERE org_id = 1 ORDER BY title, id LIMIT 50")]
q = ",".join("?" * len(ids))
sel = "SELECT * FROM measurements"
queries = {
  "metrics list (default sort title), LIMIT 51": ("SELECT * FROM metrics WHERE org_id = ? ORDER BY title ASC, id ASC LIMIT ?", (1, 51)),
  "LatestPerGroup of the 50 listed": (f"SELECT * FROM measurements WHERE org_id = ? AND id IN (SELECT (SELECT x.id FROM measurements x WHERE x.org_id = ? AND x.metric = g.id ORDER BY x.measured_on DESC, x.id DESC LIMIT 1) FROM metrics g WHERE g.org_id = ? AND g.id IN ({q}))", (1, 1, 1, *ids)),
  "busy metric (10,000): last 120 for the chart": ("SELECT * FROM measurements WHERE org_id = ? AND metric = ? ORDER BY measured_on DESC, id DESC LIMIT ?", (1, 1, 121)),
  "busy metric: count": ("SELECT COUNT(*) FROM measurements WHERE org_id = ? AND metric = ?", (1, 1)),
  "busy metric: measurements API page of 50": ("SELECT * FROM measurements WHERE org_id = ? AND metric = ? ORDER BY measured_on DESC, id DESC LIMIT ?", (1, 1, 51)),
}
c.execute("PRAGMA cache_size = -65536")
for name, (sql, p) in queries.items():
    for _ in range(3): c.execute(sql, p).fetchall()
    t = []
    for _ in range(30):
        t0 = time.perf_counter(); c.execute(sql, p).fetchall(); t.append((time.perf_counter() - t0) * 1000)
    t.sort()
    plan = [r[3] for r in c.execute("EXPLAIN QUERY PLAN " + sql, p)]
    print(f"{name}: median {statistics.median(t):.3f} ms, p95 {t[int(len(t)*0.95)-1]:.3f} ms")
    for l in plan: print("    " + l)
print("sqlite", sqlite3.sqlite_version)
