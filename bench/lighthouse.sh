#!/usr/bin/env bash
# Lighthouse (mobile, the default: Moto G-class phone, slow 4G, 4x CPU slowdown) on the four pages
# issue 14 names, against a production-like local demo: DEBUG off, gunicorn, whitenoise's compressed
# static files. Not part of CI (one run takes minutes); the figures go to docs/field.md.
#   bench/lighthouse.sh            -> .bench-tmp/lighthouse/<page>.json and a summary on stdout
#   ONLY=entry bench/lighthouse.sh -> one page (login, entry, camat, kabkota)
# Needs: npm ci --ignore-scripts (lighthouse is pinned in package.json), Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8117}
OUT=.bench-tmp/lighthouse
DB=${LIGHTHOUSE_DB:-/tmp/sipantau-lighthouse.sqlite3}
mkdir -p "$OUT"
export DATABASE_URL="sqlite:///$DB" DJANGO_SECRET_KEY=lighthouse-only DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SESSION_COOKIE_SECURE=0 DJANGO_CSRF_COOKIE_SECURE=0 DJANGO_SECURE_HSTS_SECONDS=0
[ -x node_modules/.bin/lighthouse ] || npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

if [ ! -f "$DB" ]; then
  .venv/bin/python manage.py migrate -v0
  .venv/bin/python manage.py load_regions
  .venv/bin/python manage.py seed_demo --allow-production
  .venv/bin/python manage.py seed_demo_activity --allow-production
fi
.venv/bin/python manage.py collectstatic --noinput -v0
SIPANTAU_SERVING=1 .venv/bin/gunicorn sipantau.wsgi -b 127.0.0.1:$PORT -w 2 --access-logfile /dev/null &
SERVER=$!
trap 'kill $SERVER' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

# A signed-in session per account (the task force's past its second factor), as a cookie header.
cookie() {
  .venv/bin/python - "$1" <<'PY'
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sipantau.settings")
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from accounts.models import User
from accounts.roles import is_privileged
user = User.objects.get(username=sys.argv[1])
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
if is_privileged(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(user=user, name="lighthouse", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.create()
print(f'{{"Cookie": "sessionid={session.session_key}"}}')
PY
}

run() {  # name, path, account ('' for none)
  [ -n "${ONLY:-}" ] && [ "$ONLY" != "$1" ] && return
  local headers=()
  [ -n "$3" ] && headers=(--extra-headers "$(cookie "$3")")
  CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} node_modules/.bin/lighthouse "http://127.0.0.1:$PORT$2" \
    --quiet --output=json --output-path="$OUT/$1.json" "${headers[@]}" \
    --only-categories=performance,accessibility,best-practices \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --disable-background-networking --disable-component-update --disable-sync"
  node -e '
    const r = require(process.argv[1]); const c = r.categories;
    const s = k => Math.round(c[k].score * 100);
    console.log(`${process.argv[2].padEnd(10)} performance ${s("performance")}  accessibility ${s("accessibility")}  best-practices ${s("best-practices")}`);
    for (const k of Object.keys(c)) for (const ref of c[k].auditRefs) {
      const a = r.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 1) console.log(`    ${k}: ${a.id} ${a.score} ${a.displayValue || ""}`);
    }' "$PWD/$OUT/$1.json" "$1"
}

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
run login /akun/masuk/ ""
run entry /posko/catat/ petugas
run camat /pantau/kedatangan/ camat
run kabkota /pantau/ kabkota
