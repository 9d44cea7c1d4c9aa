#!/usr/bin/env bash
# `npm test`: every test, on a fresh machine of this kind. Installs Debian's Chromium and nginx when
# they are missing (Playwright cannot download browsers here; the two-node integration test runs
# the product behind a real nginx), then type check → build → unit and integration → end-to-end.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
{ [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null; } || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[test] installing Debian's ${missing[*]} (chromium: the end-to-end tests; nginx: the two-node test)…"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

start=$(date +%s)
npx svelte-kit sync
# The compiled messages (src/lib/paraglide, not in git) must exist before the type check; Vite's
# Paraglide plugin compiles them again (same messages, its own options) for the tests and the build.
npx paraglide-js compile --project ./project.inlang --outdir ./src/lib/paraglide --strategy cookie baseLocale --silent
echo "[test] type check (svelte-check, TypeScript strict)"
npx svelte-check --tsconfig ./tsconfig.json --threshold error --output human
# Built before Vitest: the two-node integration test runs the production web (build/).
echo "[test] production build"
npx vite build --logLevel warn
echo "[test] unit and integration (Vitest, embedded PostgreSQL)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
echo "[test] end-to-end (Playwright, Chromium, the whole product)"
npx playwright test
echo "[test] all green in $(( $(date +%s) - start )) s"
# The plain closing line CI reads: N passed, N failed.
node -e '
const v = require("./test-results/vitest.json"), p = require("./test-results/playwright.json");
const passed = v.numPassedTests + p.stats.expected, failed = v.numFailedTests + p.stats.unexpected + p.stats.flaky;
console.log(`${passed} passed, ${failed} failed`);'

