"""The production stack as a separate process: production settings from a clean
environment, `manage.py` commands and gunicorn, run from the project's root."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "k7Q" * 15,
    "DJANGO_ALLOWED_HOSTS": "archive.example.org,127.0.0.1",
}


def environment(**extra):
    """This process's environment without its Django, database and cache settings."""
    cleared = ("DJANGO_", "DATABASE_", "REDIS_", "AWS_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(cleared)}
    env.update(PRODUCTION, **extra)
    return env


def stack_environment(folder, *commands, **settings):
    """The production settings with the database, static and media files in ``folder``
    (plain HTTP, on this machine), after running each of ``commands`` with them."""
    env = environment(
        DATABASE_URL=f"sqlite:///{folder / 'archive.sqlite3'}",
        DJANGO_STATIC_ROOT=str(folder / "static"),
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        DJANGO_SECURE_SSL_REDIRECT="0",
        **settings,
    )
    for command in commands:
        result = manage(*command, "--verbosity", "0", env=env)
        assert result.returncode == 0, result.stderr
    return env


def manage(*args, env, timeout=120):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port, env, output):
    """The production stack, as `make serve` runs it, on 127.0.0.1:``port``."""
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "config/gunicorn.py",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        text=True,
    )


@contextmanager
def serving(folder, env):
    """The stack of ``env`` served by gunicorn on a free port, once it answers: yields
    (its base URL, the file its log goes to); stopped on leaving."""
    port = free_port()
    log_path = folder / "gunicorn.log"
    with log_path.open("w") as log:
        server = start_gunicorn(port, env, log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{base}/documents/", timeout=10) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer:\n" + log_path.read_text()[-3000:])
        yield base, log_path
    finally:
        server.terminate()
        server.wait(timeout=30)
