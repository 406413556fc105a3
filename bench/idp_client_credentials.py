"""Benchmark OneDoor's IdP against panva's oidc-provider, side by side, in one run.

(a) client-credentials grants per second with private_key_jwt at OneDoor's token endpoint:
    a real uvicorn server in production settings (PostgreSQL, sealed keys), driven by ``wrk``
    with a Lua script that cycles through pre-signed request bodies (every jti is single-use);
(b) the same against ``oidc-provider`` from npm (installed into a temp folder, run with node
    on another loopback port), configured the same way: private_key_jwt with ES256, client
    credentials, ES256-signed JWT access tokens;
(c) password + TOTP logins per second with the production argon2id parameters, through the
    login pages (authorize, login form, code form, redirect with the code). wrk cannot run
    that multi-step flow, so a multi-process Python driver does; its own CPU cost is measured.

    apt-get install -y wrk postgresql nodejs npm
    .venv/bin/python bench/idp_client_credentials.py [--duration 10] [--workers 2]

Goals: (a) >= 1,000 grants/s on 2 cores; (a) faster than (b); (c) >= 30 logins/s.
Prints figures only; never a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from idp_bench_setup import (  # noqa: E402
    PASSWORD,
    REDIRECT,
    ClientKey,
    cpu_seconds,
    free_port,
    onedoor_env,
    prepare_onedoor,
    serve_onedoor,
    wait,
    write_bodies,
    wrk,
)

LUA = """
-- Each wrk thread takes every n-th line of the bodies file, so no two threads share a jti.
local threads, bodies, counter = {}, {}, 0
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  local n, i = tonumber(args[1]), 0
  for line in io.lines(args[2]) do
    if i % n == id then table.insert(bodies, line) end
    i = i + 1
  end
end
function request()
  counter = counter + 1
  local body = bodies[(counter - 1) % #bodies + 1]
  return wrk.format("POST", nil,
    {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
"""

NODE_SERVER = """
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
if (cluster.isPrimary && config.workers > 1) {
  for (let i = 0; i < config.workers; i += 1) cluster.fork();
} else {
  const { default: Provider } = await import('oidc-provider');
  const resource = 'urn:onedoor:registry';
  const provider = new Provider(config.issuer, {
    clients: [{
      client_id: config.client_id,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      id_token_signed_response_alg: 'ES256',
      jwks: config.client_jwks,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: config.scope,
    }],
    jwks: { keys: [config.signing_jwk] },
    scopes: config.scope.split(' '),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: config.scope,
          audience: resource,
          accessTokenTTL: 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
  });
  provider.listen(config.port);
}
"""


def install_oidc_provider(folder: Path) -> Path:
    """``npm install oidc-provider`` into ``folder``; returns the server script."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.json").write_text(json.dumps({"name": "bench-op", "private": True,
                                                     "type": "module"}))
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
                    "oidc-provider@9"], cwd=folder, check=True, capture_output=True)
    script = folder / "server.mjs"
    script.write_text(NODE_SERVER)
    return script


def smoke(url: str, body_file: Path) -> None:
    """One request with the last body (wrk never reaches it in a short run)."""
    lines = body_file.read_text().splitlines()
    body = lines.pop()
    body_file.write_text("\n".join(lines) + "\n")
    response = httpx.post(url, content=body,
                          headers={"content-type": "application/x-www-form-urlencoded"})
    if response.status_code != 200:
        sys.exit(f"{url} refused a valid client assertion: {response.status_code} {response.text}")


def measure(
    name: str, url: str, pid: int, bodies: Path, lua: Path, args: argparse.Namespace
) -> dict[str, float]:
    before = cpu_seconds(pid)
    figures = wrk(url, script=lua, script_args=[str(args.wrk_threads), str(bodies)],
                  duration=args.duration, connections=args.connections,
                  threads=args.wrk_threads)
    figures["server_cpu_ms"] = (cpu_seconds(pid) - before) * 1000 / max(figures["requests"], 1)
    print(f"  {name}: {figures['rps']:8.1f} grants/s  p50 {figures['p50']:.2f} ms  "
          f"p99 {figures['p99']:.2f} ms  non-2xx {int(figures['errors'])}  "
          f"server CPU {figures['server_cpu_ms']:.2f} ms/grant", flush=True)
    return figures


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{len(os.sched_getaffinity(0))} cores usable, {model}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="server processes, both sides")
    parser.add_argument("--assertions", type=int, default=0,
                        help="pre-signed bodies per server (default: 4,000 x duration)")
    parser.add_argument("--accounts", type=int, default=1500)
    parser.add_argument("--drivers", type=int, default=6, help="login driver processes")
    parser.add_argument("--skip-logins", action="store_true")
    args = parser.parse_args()
    for tool in ("wrk", "node", "npm"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed")
    from tests.support.postgres import start_postgres

    folder = Path(tempfile.mkdtemp(prefix="onedoor-idp-bench-"))
    postgres = start_postgres()
    try:
        run(args, folder, postgres.create_database("idpbench"))
    finally:
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, folder: Path, database_url: str) -> None:
    count = args.assertions or 4000 * args.duration
    onedoor_port, node_port = free_port(), free_port()
    env = onedoor_env(folder, database_url, onedoor_port)
    issuer = f"http://127.0.0.1:{onedoor_port}/idp"
    node_issuer = f"http://127.0.0.1:{node_port}"
    key = ClientKey.generate()
    print(f"machine: {machine()}", flush=True)
    print("preparing: PostgreSQL, migrations, clients, "
          f"{0 if args.skip_logins else args.accounts} accounts...", flush=True)
    prepared = prepare_onedoor(env, key=key, accounts=0 if args.skip_logins else args.accounts)
    lua = folder / "bodies.lua"
    lua.write_text(LUA)
    onedoor_bodies, node_bodies = folder / "onedoor.bodies", folder / "node.bodies"
    signing = write_bodies(onedoor_bodies, key=key, client_id=prepared.ministry_id,
                           audience=issuer, count=count + 1, lifetime=3000)
    write_bodies(node_bodies, key=key, client_id="bench-ministry", audience=node_issuer,
                 count=count + 1, lifetime=3000)
    print(f"signed {2 * (count + 1)} client assertions in {2 * signing:.1f} s", flush=True)
    node_script = install_oidc_provider(folder / "node")
    node_config = folder / "node.json"
    node_config.write_text(json.dumps({
        "issuer": node_issuer, "port": node_port, "workers": args.workers,
        "client_id": "bench-ministry", "client_jwks": {"keys": [key.public_jwk()]},
        "signing_jwk": ClientKey.generate().private_jwk(), "scope": "registry.read registry.write",
    }))
    with (folder / "onedoor.log").open("w") as log:
        onedoor = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(onedoor_port), str(args.workers)],
            env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
        )
    with (folder / "node.log").open("w") as log:
        node = subprocess.Popen(["node", str(node_script), str(node_config)],
                                cwd=node_script.parent, stdout=log, stderr=subprocess.STDOUT)
    results: dict[str, dict[str, float]] = {}
    try:
        wait(f"{issuer}/health")
        wait(f"{node_issuer}/.well-known/openid-configuration")
        time.sleep(1.0)
        smoke(f"{issuer}/token", onedoor_bodies)
        smoke(f"{node_issuer}/token", node_bodies)
        print(f"client credentials + private_key_jwt, {args.duration} s each, "
              f"{args.connections} connections, {args.workers} server processes each:",
              flush=True)
        results["onedoor"] = measure("OneDoor (PostgreSQL)", f"{issuer}/token", onedoor.pid,
                                     onedoor_bodies, lua, args)
        results["node"] = measure("oidc-provider (memory)", f"{node_issuer}/token", node.pid,
                                  node_bodies, lua, args)
        if not args.skip_logins:
            logins(args, issuer, prepared, onedoor.pid)
    finally:
        for process in (onedoor, node):
            process.terminate()
        for process in (onedoor, node):
            process.wait(timeout=20)
    ours, theirs = results["onedoor"], results["node"]
    print(f"(a) OneDoor: {ours['rps']:.0f} grants/s (goal >= 1,000): "
          f"{'met' if ours['rps'] >= 1000 and not ours['errors'] else 'NOT met'}")
    print(f"(b) ratio OneDoor / oidc-provider: {ours['rps'] / theirs['rps']:.2f} "
          f"(goal > 1): {'met' if ours['rps'] > theirs['rps'] else 'NOT met'}")


def logins(args: argparse.Namespace, issuer: str, prepared: object, pid: int) -> None:
    from idp_bench_setup import Prepared
    from idp_login_driver import drive

    assert isinstance(prepared, Prepared)
    print(f"password + TOTP logins (argon2id m=19 MiB t=2 p=1), {args.drivers} driver "
          f"processes, {args.duration} s:", flush=True)
    before = cpu_seconds(pid)
    outcome, elapsed = drive(issuer, client_id=prepared.rp_id, redirect=REDIRECT,
                             password=PASSWORD, accounts=prepared.accounts,
                             processes=args.drivers, duration=args.duration)
    server_cpu = cpu_seconds(pid) - before
    rate = outcome.logins / elapsed
    per_login_driver = outcome.cpu_seconds * 1000 / max(outcome.logins, 1)
    per_login_server = server_cpu * 1000 / max(outcome.logins, 1)
    cores = len(os.sched_getaffinity(0))
    print(f"  {outcome.logins} logins in {elapsed:.1f} s: {rate:.1f} logins/s, "
          f"{outcome.failures} failed {outcome.first_failure[:80]}")
    print(f"  server CPU {per_login_server:.1f} ms/login (5 requests); driver CPU "
          f"{per_login_driver:.1f} ms/login")
    print(f"  driver ceiling on this machine: {cores * 1000 / per_login_driver:.0f} logins/s "
          f"if it had every core; server alone: {cores * 1000 / per_login_server:.0f} logins/s")
    if outcome.logins >= len(prepared.accounts):
        print("  (every account was used: raise --accounts)")
    print(f"(c) {rate:.1f} logins/s (goal >= 30): {'met' if rate >= 30 else 'NOT met'}")


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "--serve":
        serve_onedoor(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
