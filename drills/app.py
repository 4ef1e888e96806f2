"""SIPANTAU against a private cluster: a throw-away settings environment, manage.py, and gunicorn on loopback."""

import atexit
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .cluster import PrivateCluster, _as_owner, free_port

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
if not PYTHON.exists():
    PYTHON = Path(sys.executable)


def app_env(database_url: str, **extra: str) -> dict:
    """Production-like settings (DEBUG off, a random key) over plain HTTP on loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "GUNICORN_")) and key != "PYTEST_CURRENT_TEST"
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="drill-" + os.urandom(24).hex(),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SESSION_COOKIE_SECURE="0",
        DJANGO_CSRF_COOKIE_SECURE="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict, *args: str) -> str:
    """Run a manage.py command in the drill's environment; its output."""
    result = subprocess.run([PYTHON, ROOT / "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def prepare_database(env: dict) -> None:
    """Static files as production serves them, then schema, regions, checkpoints, demo accounts (`petugas`)."""
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_regions")
    manage(env, "seed_demo", "--allow-production")


_template: PrivateCluster | None = None


def prepared_cluster(name: str, **settings) -> PrivateCluster:
    """A private cluster holding a prepared `sipantau` database, not started yet.

    The first call of a process prepares a template cluster (initdb, migrate, regions, demo
    accounts); later calls copy its data folder, so several drills in one run (the pytest
    wrapper) pay for the preparation once. `settings` go into the copy's postgresql.conf.
    """
    global _template
    if _template is None:
        template = PrivateCluster("template")
        atexit.register(template.destroy)
        template.init()
        template.start()
        template.createdb()
        prepare_database(app_env(template.url()))
        template.stop("fast")
        _template = template
    cluster = PrivateCluster(name)
    subprocess.run(_as_owner() + ["cp", "-a", str(_template.datadir), str(cluster.datadir)], check=True)
    cluster.configure(**settings)
    return cluster


class Gunicorn:
    """gunicorn serving SIPANTAU on 127.0.0.1:<free port>, with the project's gunicorn.conf.py."""

    def __init__(self, env: dict, *, workers: int = 3, timeout: int = 30, logfile: Path):
        self.port = free_port(18000, 19000)
        self.url = f"http://127.0.0.1:{self.port}"
        self.logfile = logfile
        self.env = dict(
            env,
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_WORKERS=str(workers),
            GUNICORN_THREADS="1",
            GUNICORN_TIMEOUT=str(timeout),
        )
        self.process: subprocess.Popen | None = None

    def start(self, ready_within: float = 60) -> None:
        log = open(self.logfile, "ab")  # noqa: SIM115 - gunicorn writes to it for its whole life
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "sipantau.wsgi"],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.logfile}")
            if self.healthz() == 200:
                return
            time.sleep(0.3)
        raise TimeoutError(f"gunicorn not healthy after {ready_within}s; see {self.logfile}")

    def healthz(self) -> int | None:
        """Status of GET /healthz, or None when nothing answers."""
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    def worker_pids(self) -> list[int]:
        """The master's current worker processes (its children)."""
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in children.split()]

    def stop(self) -> None:
        """SIGTERM the master (graceful), SIGKILL the whole group if it lingers."""
        if not self.process or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
