"""A throw-away PostgreSQL cluster: initdb into a temporary folder, own port, torn down at the end."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


_handed_out: set[int] = set()


def free_port(start: int = 55432, end: int = 56432) -> int:
    """A loopback TCP port in [start, end) that nothing listens on and this process has not handed out yet."""
    # Start at a place of our own so drills running side by side rarely race for one port.
    first = start + os.getpid() % (end - start)
    for port in [*range(first, end), *range(start, first)]:
        if port in _handed_out:
            continue
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            _handed_out.add(port)
            return port
    raise RuntimeError(f"no free port in {start}-{end}")


def _as_owner() -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as the `postgres` OS user then."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


class PrivateCluster:
    """One PostgreSQL cluster of our own, listening on 127.0.0.1:`port` only, trust auth, no fsync games."""

    def __init__(self, name: str, *, port: int | None = None, root: Path | None = None, settings: dict | None = None):
        self.name = name
        self.root = Path(root or tempfile.mkdtemp(prefix=f"sipantau-{name}-"))
        self.datadir = self.root / "data"
        self.socketdir = self.root / "sock"
        self.logfile = self.root / "postgresql.log"
        self.port = port or free_port()
        self.settings = settings or {}
        self._chown(self.root)

    # -- lifecycle -----------------------------------------------------------
    def init(self, *initdb_args: str) -> "PrivateCluster":
        """initdb a fresh data folder and write our settings into postgresql.conf."""
        self._run(
            [
                PG_BIN / "initdb",
                "-D",
                self.datadir,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                *initdb_args,
            ]
        )
        self.configure(**self.settings)
        return self

    def configure(self, **settings) -> None:
        """Append settings to postgresql.conf (later lines win)."""
        base = {
            "port": self.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.socketdir}'",
            "max_connections": 60,
            "shared_buffers": "'32MB'",
            "logging_collector": "off",
        }
        base.update(settings)
        self.socketdir.mkdir(exist_ok=True)
        self._chown(self.socketdir)
        with open(self.datadir / "postgresql.conf", "a") as conf:
            conf.write(f"\n# ---- {self.name} drill ----\n")
            conf.writelines(f"{key} = {value}\n" for key, value in base.items())

    def start(self, timeout: int = 30) -> None:
        for attempt in range(3):
            try:
                command = ["-D", self.datadir, "-l", self.logfile, "-w", "-t", str(timeout), "start"]
                self._run([PG_BIN / "pg_ctl", *command])
                return
            except RuntimeError as error:
                if "could not create any TCP/IP sockets" not in str(error) or attempt == 2:
                    raise
                # A drill in another test worker took this port between our choosing it and starting.
                self.port = free_port()
                self.configure()

    def stop(self, mode: str = "fast") -> None:
        """Stop with pg_ctl's mode: smart, fast, or immediate (a crash: recovery replays WAL at next start)."""
        self._run([PG_BIN / "pg_ctl", "-D", self.datadir, "-m", mode, "-w", "-t", "60", "stop"])

    def restart(self, mode: str = "immediate") -> float:
        """Restart (immediate mode by default: no checkpoint, clients cut off); seconds until ready again."""
        started = time.monotonic()
        self.stop(mode)
        self.start()
        self.wait_ready()
        return time.monotonic() - started

    def running(self) -> bool:
        return (self.datadir / "postmaster.pid").exists() and self._status() == 0

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if subprocess.run([PG_BIN / "pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port)]).returncode == 0:
                return
            time.sleep(0.2)
        raise TimeoutError(f"{self.name}: not ready after {timeout}s; see {self.logfile}")

    def destroy(self) -> None:
        """Stop (immediately) if running and delete everything the cluster wrote."""
        if (self.datadir / "postmaster.pid").exists():
            subprocess.run(
                _as_owner() + [str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "-w", "stop"],
                capture_output=True,
            )
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if os.environ.get("DRILL_KEEP"):
            print(f"DRILL_KEEP set: {self.name} left in {self.root} (port {self.port}, still running if it was)")
            return
        self.destroy()

    # -- SQL -------------------------------------------------------------------
    def url(self, database: str = "sipantau") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "sipantau") -> str:
        """Run SQL with psql; the unaligned, tuples-only output."""
        result = subprocess.run(
            [
                PG_BIN / "psql",
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-tA",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"psql on {self.name}: {result.stderr.strip()}")
        return result.stdout.strip()

    def createdb(self, database: str = "sipantau") -> None:
        self.psql(f'CREATE DATABASE "{database}"', database="postgres")

    # -- helpers ---------------------------------------------------------------
    def _status(self) -> int:
        return subprocess.run(
            _as_owner() + [str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "status"], capture_output=True
        ).returncode

    def _run(self, command: list) -> None:
        result = subprocess.run(
            _as_owner() + [str(part) for part in command], capture_output=True, text=True, cwd=self.root
        )
        if result.returncode:
            log = self.logfile.read_text()[-2000:] if self.logfile.exists() else ""
            raise RuntimeError(f"{self.name}: {' '.join(map(str, command))} failed:\n{result.stderr}\n{log}")

    def _chown(self, path: Path) -> None:
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(path, owner.pw_uid, owner.pw_gid)
