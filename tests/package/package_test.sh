#!/usr/bin/env bash
# The Debian package end to end (issue 17), as root on this machine: cpack builds the .deb from
# BUILD_DIR (in make test the Debug+ASan binary; its runtime libraries are found by
# dpkg-shlibdeps like any other); `dpkg -i` installs it; systemd-analyze checks the unit offline;
# the man page has no warnings; `serve` refuses to start before `rampart init`; init and then
# serve run as the packaged user rampart with the shipped configuration file (serve sandboxed
# as far as can be without systemd: no new privileges, no capability, umask 0077, and
# MemoryDenyWriteExecute emulated by mdwe.py), answer /readyz and a PDF report, write the
# configured backup and stop on SIGTERM; `dpkg --purge` removes the package's files and keeps
# the ISMS's records. The trap purges the package and removes what the test created, failed or
# not (a run killed before its trap is cleaned up by the next). Skipped (77) unless root, or when
# this machine has Rampart installed or its directories.
#   package_test.sh BUILD_DIR
set -uo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "installing a package needs root"
# What this test installs and whether it created the user rampart, for cleanup() (and for the
# next run, should this one be killed before its cleanup).
marker=/var/lib/rampart/.package-test
remove_all() {
  dpkg --purge rampart >/dev/null 2>&1
  rm -rf /var/lib/rampart /etc/rampart
  if [ "$1" = created ] && getent passwd rampart >/dev/null; then
    userdel rampart
    getent group rampart >/dev/null && groupdel rampart
  fi
}
[ -f "$marker" ] && remove_all "$(cat "$marker")"
dpkg-query -W -f='${Status}' rampart 2>/dev/null | grep -q installed \
  && skip "the rampart package is installed on this machine; the test would replace it"
for d in /var/lib/rampart /etc/rampart; do [ -e "$d" ] && skip "$d exists on this machine"; done
user=created
getent passwd rampart >/dev/null && user=existed

dir=$(mktemp -d /tmp/rampart-package.XXXXXX)
chmod 0755 "$dir"
pid=""
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
  remove_all "$user"
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM INT
fail() { echo "FAIL: $*"; [ -f "$dir/out" ] && { echo "--- server output:"; cat "$dir/out"; }; exit 1; }
as_rampart() { runuser -u rampart -- "$@"; }

# The package, gzip-compressed here (xz, the default, takes long for a sanitizer build).
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$dir/pkg" \
  -D CPACK_DEBIAN_COMPRESSION_TYPE=gzip >"$dir/cpack.log" 2>&1 || fail "cpack: $(cat "$dir/cpack.log")"
deb=$(ls "$dir"/pkg/rampart_*.deb 2>/dev/null)
[ -f "$deb" ] || fail "no .deb: $(cat "$dir/cpack.log")"
rm -rf "$dir/pkg/_CPack_Packages"  # the staged copy of the tree
depends=$(dpkg-deb -f "$deb" Depends)
# The program's libraries and, from the formats module it loads, cairo's and libcurl's.
for lib in adduser libc6 libsqlite3-0 libpq5 libsodium23 libssl3 libre2-9 libcairo2 libcurl4; do
  grep -q "\b$lib\b" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
if nm -D "$build/rampart" 2>/dev/null | grep -q __asan_init; then
  grep -q '\blibasan8\b' <<<"$depends" || fail "an ASan build must depend on libasan8: $depends"
fi
dpkg-deb -c "$deb" | awk '{print $1, $6}' >"$dir/contents"
for f in "-rwxr-xr-x ./usr/bin/rampart" "-rw-r--r-- ./usr/lib/rampart/rampart-formats.so" \
         "-rw-r--r-- ./lib/systemd/system/rampart.service" \
         "-rw-r--r-- ./etc/rampart/rampart.conf" "-rw-r--r-- ./usr/share/man/man1/rampart.1.gz"; do
  grep -qx -- "$f" "$dir/contents" || fail "not in the package: $f; it has: $(cat "$dir/contents")"
done
dpkg-deb --info "$deb" conffiles | grep -qx /etc/rampart/rampart.conf || fail "no conffile"

# The man page as packaged: no warning from groff (man -ww).
man_page=$dir/rampart.1.gz
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/man/man1/rampart.1.gz >"$man_page" \
  || fail "no man page in the package"
zcat "$man_page" | groff -man -ww -z 2>"$dir/man" || fail "groff failed"
[ -s "$dir/man" ] && fail "the man page has warnings: $(cat "$dir/man")"
version=$(dpkg-deb -f "$deb" Version)
zcat "$man_page" | head -1 | grep -qF "\"Rampart $version\"" \
  || fail "the man page does not name version $version: $(zcat "$man_page" | head -1)"

dpkg -i "$deb" >"$dir/dpkg.log" 2>&1 || fail "dpkg -i: $(cat "$dir/dpkg.log")"
[ "$(stat -c '%U:%G %a' /var/lib/rampart)" = "rampart:rampart 750" ] \
  || fail "/var/lib/rampart is $(stat -c '%U:%G %a' /var/lib/rampart)"
[ "$(getent passwd rampart | cut -d: -f7)" = /usr/sbin/nologin ] || fail "rampart has a login shell"
[ -z "$(ls -A /var/lib/rampart)" ] || fail "postinst created $(ls -A /var/lib/rampart)"
echo "$user" >"$marker"
grep -Eiq '^[^#]*(password|secret|token)' /etc/rampart/rampart.conf && fail "a credential in rampart.conf"

# The unit, offline: verify loads it (the program, the user, man:rampart(1)); the exposure
# score of its sandbox stays at 2.0 or below (1.2 when written).
# A machine whose dpkg leaves out manual pages (path-exclude) cannot check man:rampart(1).
man_check=yes
[ -f /usr/share/man/man1/rampart.1.gz ] || man_check=no
systemd-analyze verify --man="$man_check" /lib/systemd/system/rampart.service >"$dir/verify" 2>&1 \
  || fail "systemd-analyze verify: $(cat "$dir/verify")"
[ -s "$dir/verify" ] && fail "systemd-analyze verify warns: $(cat "$dir/verify")"
systemd-analyze security --offline=yes --threshold=20 /lib/systemd/system/rampart.service \
  >"$dir/security" 2>&1 || fail "exposure above 2.0: $(grep -e ✗ -e Overall "$dir/security")"
grep -qx 'ExecStart=/usr/bin/rampart serve --config /etc/rampart/rampart.conf' \
  /lib/systemd/system/rampart.service || fail "ExecStart"

man -l "$man_page" 2>/dev/null | grep -q 'serve --config FILE' \
  || fail "man -l does not show the page"

cd /var/lib/rampart || fail "cd /var/lib/rampart"
conf=/etc/rampart/rampart.conf
# Before `rampart init`: serve, as the unit would start it, refuses with a clear message.
as_rampart rampart serve --config "$conf" >"$dir/before" 2>&1
code=$?
[ "$code" -eq 3 ] || fail "serve before init exited $code: $(cat "$dir/before")"
grep -q 'there is no Rampart database at /var/lib/rampart/rampart.db' "$dir/before" \
  || fail "serve before init said: $(cat "$dir/before")"

as_rampart rampart init --db /var/lib/rampart/rampart.db --org "Package test" >"$dir/init" 2>&1 \
  || fail "init: $(cat "$dir/init")"
grep -q 'One-time password:' "$dir/init" || fail "init printed: $(cat "$dir/init")"
[ "$(stat -c %U /var/lib/rampart/rampart.db)" = rampart ] || fail "the database is not rampart's"
# A reader's API token (the administrator's needs its one-time password changed first).
head -c 24 /dev/urandom | base64 | as_rampart rampart user add --db /var/lib/rampart/rampart.db \
  --username reader --role viewer --password-stdin >/dev/null || fail "user add"
token=$(as_rampart rampart token create --db /var/lib/rampart/rampart.db --user reader | tail -1)
[ -n "$token" ] || fail "no token"

# serve from the shipped file, its listen overridden on the command line by a free port.
(umask 0077 && exec setpriv --reuid=rampart --regid=rampart --init-groups --no-new-privs \
   --bounding-set=-all --inh-caps=-all -- /usr/bin/python3 "$here/mdwe.py" \
   /usr/bin/rampart serve --config "$conf" --listen 127.0.0.1:0) >"$dir/out" 2>&1 &
pid=$!
for _ in $(seq 300); do grep -q "serving on" "$dir/out" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
port=$(sed -n 's#.*serving on http://127.0.0.1:\([0-9]*\)/.*#\1#p' "$dir/out")
[ -n "$port" ] || fail "the server did not start"
[ "$(stat -c %U /proc/$pid)" = rampart ] || fail "serve does not run as rampart"
code=$(curl -s -o "$dir/ready" -w '%{http_code}' "http://127.0.0.1:$port/readyz")
[ "$code" = 200 ] || fail "/readyz answered $code: $(cat "$dir/ready")"
grep -q '"status":"ready"' "$dir/ready" || fail "/readyz said $(cat "$dir/ready")"
# A PDF report: cairo, pango, fontconfig and GLib work without writable executable memory.
curl -s -o "$dir/soa.pdf" -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/v1/reports/statement-of-applicability?format=pdf"
[ "$(head -c 5 "$dir/soa.pdf")" = "%PDF-" ] || fail "the report is not a PDF: $(head -c 300 "$dir/soa.pdf")"
# The shipped file's scheduled backup: the first one at once, into /var/lib/rampart/backups.
for _ in $(seq 300); do ls /var/lib/rampart/backups/*.backup.sha256 >/dev/null 2>&1 && break; sleep 0.1; done
backup=$(ls /var/lib/rampart/backups/*.backup 2>/dev/null | head -1)
[ -n "$backup" ] || fail "no scheduled backup in /var/lib/rampart/backups"
[ "$(stat -c '%U %a' "$backup")" = "rampart 600" ] || fail "the backup is $(stat -c '%U %a' "$backup")"
kill -TERM "$pid"
wait "$pid"
code=$?
pid=""
[ "$code" -eq 0 ] || fail "serve exited $code on SIGTERM"
grep -qi 'AddressSanitizer\|runtime error' "$dir/out" && fail "a sanitizer report"
cd / || fail "cd /"

dpkg --purge rampart >"$dir/purge.log" 2>&1 || fail "dpkg --purge: $(cat "$dir/purge.log")"
dpkg-query -W -f='${Status}' rampart 2>/dev/null | grep -q installed && fail "still installed"
for f in /usr/bin/rampart /lib/systemd/system/rampart.service /etc/rampart \
         /usr/share/man/man1/rampart.1.gz; do
  [ -e "$f" ] && fail "$f is left after the purge"
done
[ -f /var/lib/rampart/rampart.db ] || fail "the purge removed the database"
getent passwd rampart >/dev/null || fail "the purge removed the user rampart"
echo "1 passed, 0 failed"
