"""Start a throwaway PostgreSQL server (initdb + pg_ctl) in a temporary folder on loopback."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.support.ports import free_port

SKIP_ENV = "ONEDOOR_SKIP_POSTGRES"


class PostgresUnavailableError(RuntimeError):
    """PostgreSQL binaries are missing or the server did not start."""


def find_bin_dir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if candidates:
        return Path(candidates[-1]).parent
    raise PostgresUnavailableError(
        "pg_ctl not found: install PostgreSQL (apt-get install -y postgresql, which "
        "scripts/ensure-system-packages.sh does) or set ONEDOOR_SKIP_POSTGRES=1 on purpose"
    )


@dataclass
class PostgresServer:
    bin_dir: Path
    root: Path
    port: int
    run_as: str | None

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://onedoor@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    def start(self) -> None:
        initdb = self._run(
            "initdb", "-D", str(self.data_dir), "-U", "onedoor", "--auth=trust",
            "-E", "UTF8", "--no-locale", "--no-sync",
        )
        if initdb.returncode != 0:
            raise PostgresUnavailableError(f"initdb failed: {initdb.stderr.strip()[-500:]}")
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        started = self._run(
            "pg_ctl", "-D", str(self.data_dir), "-o", options,
            "-l", str(self.root / "server.log"), "-w", "-t", "60", "start",
        )
        if started.returncode != 0:
            log = (self.root / "server.log")
            tail = log.read_text()[-800:] if log.exists() else started.stderr
            raise PostgresUnavailableError(f"pg_ctl start failed: {tail.strip()}")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self, name: str) -> str:
        created = self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "onedoor", "-d", "postgres",
            "-v", "ON_ERROR_STOP=1", "-c", f'CREATE DATABASE "{name}"',
        ) if (self.bin_dir / "psql").exists() else None
        if created is None:
            import psycopg

            with psycopg.connect(
                f"host=127.0.0.1 port={self.port} user=onedoor dbname=postgres", autocommit=True
            ) as connection:
                connection.execute(f'CREATE DATABASE "{name}"')
        elif created.returncode != 0:
            raise PostgresUnavailableError(f"CREATE DATABASE failed: {created.stderr.strip()}")
        return self.url(name)


def start_postgres() -> PostgresServer:
    """A running server owned by the caller (call ``stop``); raises PostgresUnavailableError."""
    bin_dir = find_bin_dir()
    run_as = None
    if os.geteuid() == 0:  # initdb refuses to run as root
        try:
            pwd.getpwnam("postgres")
            run_as = "postgres"
        except KeyError:
            run_as = "nobody"
    root = Path(tempfile.mkdtemp(prefix="onedoor-pg-"))
    if run_as:
        entry = pwd.getpwnam(run_as)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    server = PostgresServer(bin_dir=bin_dir, root=root, port=free_port(), run_as=run_as)
    try:
        server.start()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return server
