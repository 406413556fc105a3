#!/usr/bin/env bash
# Install the Debian packages the test suite drives for real, when missing: PostgreSQL, openssl,
# chromium (browser tests, never a downloaded browser), oathtool (independent TOTP),
# poppler-utils and libnss3-tools (pdfsig verifies signed PDFs).
set -euo pipefail

missing=()
have_pg_ctl() {
    command -v pg_ctl >/dev/null || compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null
}
if [ "${ONEDOOR_SKIP_POSTGRES:-0}" != 1 ] && ! have_pg_ctl; then missing+=(postgresql); fi
command -v openssl >/dev/null || missing+=(openssl)
[ -x /usr/bin/chromium ] || missing+=(chromium)      # portal tests drive a real browser
command -v oathtool >/dev/null || missing+=(oathtool)  # TOTP checked against an independent tool
command -v pdfsig >/dev/null || missing+=(poppler-utils)  # pdfsig / pdftoppm check signed PDFs
command -v certutil >/dev/null || missing+=(libnss3-tools)  # NSS trust store for pdfsig

if [ "${#missing[@]}" -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "error: missing system packages: ${missing[*]} (install them, e.g. apt-get install -y ${missing[*]})" >&2
    exit 1
fi
echo "installing system packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
