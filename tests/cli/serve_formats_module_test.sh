#!/usr/bin/env bash
# The formats module (base/formats_module.h; issue 17, idle memory): `rampart` links none of
# the report, spreadsheet and mail libraries, nor libpq (loaded when PostgreSQL is used; on
# SQLite, never); `serve` refuses to start, exit 3, naming the paths
# tried, when rampart-formats.so is neither beside it nor in ../lib/rampart; at rest the module
# is not loaded, and the first PDF report loads it from ../lib/rampart (the installed layout); a
# file there that is not the module fails the report with 500 saying why, in the answer and in
# the server's log.
#   serve_formats_module_test.sh RAMPART_BINARY
source "$(dirname "$0")/serve_lib.sh" "$1"

needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
[ -n "$needed" ] || fail "readelf listed no shared library of $bin"
for lib in libcairo libpango libglib libcurl libgnutls libxlsxwriter libzip libxml2 libpq libkrb5 libldap; do
  grep -q "^$lib" <<<"$needed" && fail "rampart links $lib: $(tr '\n' ' ' <<<"$needed")"
done

"$bin" init --db "$db" --org "Module test" >/dev/null || fail "init"
head -c 24 /dev/urandom | base64 | "$bin" user add --db "$db" --username reader --role viewer \
  --password-stdin >/dev/null || fail "user add"
token=$("$bin" token create --db "$db" --user reader | tail -1)
[ -n "$token" ] || fail "no token"

# The program alone: refused before serving.
module=$(dirname "$bin")/rampart-formats.so
[ -f "$module" ] || fail "no $module beside $bin"
mkdir -p "$dir/prefix/bin" "$dir/prefix/lib/rampart"
cp "$bin" "$dir/prefix/bin/rampart"
bin="$dir/prefix/bin/rampart"
"$bin" serve --db "$db" --listen 127.0.0.1:0 >"$dir/refused" 2>&1
code=$?
[ "$code" -eq 3 ] || fail "serve without the module exited $code: $(cat "$dir/refused")"
expected="the module for reports, spreadsheets and e-mail (rampart-formats.so) is missing"
expected+=" ($dir/prefix/bin/rampart-formats.so: No such file or directory;"
expected+=" $dir/prefix/lib/rampart/rampart-formats.so: No such file or directory)"
grep -qF "$expected" "$dir/refused" || fail "serve without the module said: $(cat "$dir/refused")"
grep -q "serving on" "$dir/refused" && fail "it served"

# A file of that name that is not the module: serve starts (it only looks for the file), the
# report fails with 500 saying why.
echo "not a module" >"$dir/prefix/lib/rampart/rampart-formats.so"
start_serve
code=$(curl -s -o "$dir/broken" -w '%{http_code}' -H "Authorization: Bearer $token" \
  "$url/api/v1/reports/statement-of-applicability?format=pdf")
[ "$code" = 500 ] || fail "a report with a broken module answered $code: $(head -c 300 "$dir/broken")"
grep -qF '"code":"internal"' "$dir/broken" || fail "the 500 said: $(cat "$dir/broken")"
grep -qF "cannot be loaded ($dir/prefix/bin/rampart-formats.so: No such file or directory; $dir/prefix/lib/rampart/rampart-formats.so: file too short)" "$dir/broken" \
  || fail "the 500 does not say why the module could not be loaded: $(cat "$dir/broken")"
# The server's log says why too (an operator sees more than "GET ... 500"), on the request's line.
grep -qF "answered 500 internal: " "$dir/out" || fail "the server's log does not give the 500's reason"
grep "answered 500 internal: " "$dir/out" | grep -qF "$dir/prefix/lib/rampart/rampart-formats.so: file too short" \
  || fail "the log line of the 500 does not say why"
# A refusal of the client's own making (404) is not logged as a server error.
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url/api/v1/no-such")" = 404 ] \
  || fail "an unknown route did not answer 404"
grep -q "answered 404" "$dir/out" && fail "a 404 was logged as a server error"
kill -TERM "$pid"; timeout 15 tail --pid="$pid" -f /dev/null || fail "the server did not stop"
pid=""

# The module in ../lib/rampart: not loaded at rest, loaded by the first PDF report.
cp "$module" "$dir/prefix/lib/rampart/rampart-formats.so"
start_serve
[ "$(curl -s "$url/healthz")" = '{"status":"ok"}' ] || fail "/healthz"
grep -q 'rampart-formats.so\|libcairo\|libcurl\|libpq' "/proc/$pid/maps" \
  && fail "loaded at rest: $(grep -o '/[^ ]*\(rampart-formats\|libcairo\|libcurl\|libpq\)[^ ]*' "/proc/$pid/maps" | sort -u)"
curl -s -o "$dir/soa.pdf" -H "Authorization: Bearer $token" \
  "$url/api/v1/reports/statement-of-applicability?format=pdf"
[ "$(head -c 5 "$dir/soa.pdf")" = "%PDF-" ] || fail "the report is not a PDF: $(head -c 300 "$dir/soa.pdf")"
grep -q " $dir/prefix/lib/rampart/rampart-formats.so$" "/proc/$pid/maps" \
  || fail "the module was not loaded from $dir/prefix/lib/rampart"
grep -q 'libcairo' "/proc/$pid/maps" || fail "cairo was not loaded with the module"
grep -q 'libpq' "/proc/$pid/maps" && fail "libpq was loaded on SQLite"
kill -TERM "$pid"; timeout 15 tail --pid="$pid" -f /dev/null || fail "the server did not stop"
wait "$pid"; code=$?
pid=""
[ "$code" -eq 0 ] || fail "serve exited $code after SIGTERM"
echo "1 passed, 0 failed"
