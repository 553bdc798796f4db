"""Debian's nginx in front of test servers, running the shipped site file deploy/nginx.conf.

The site file is rendered with the test's upstream addresses and a free loopback port (each substitution must
match, so that a change of the file's shape fails here rather than testing something else), and included from a
minimal main configuration whose logs, pid and temporary files all live in a temporary prefix.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from ..servers import free_port

NGINX = Path("/usr/sbin/nginx")
SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
SHIPPED_UPSTREAMS = ("127.0.0.1:7861", "127.0.0.1:7862")
MAIN = """\
{user}
worker_processes 1;
events {{ worker_connections 512; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/temp/body;
    proxy_temp_path {dir}/temp/proxy;
    fastcgi_temp_path {dir}/temp/fastcgi;
    uwsgi_temp_path {dir}/temp/uwsgi;
    scgi_temp_path {dir}/temp/scgi;
    include {dir}/site.conf;
}}
"""


def render_site(upstreams: Sequence[str], port: int) -> str:
    """deploy/nginx.conf with the test's upstream servers and listening address."""
    text = SITE.read_text(encoding="utf-8")
    for line in ("    server 127.0.0.1:7862;\n", "    listen 80;"):
        assert line in text, f"deploy/nginx.conf no longer has {line.strip()!r}; update tests/backends/nginx.py"
    others = "".join(f"    server {address};\n" for address in upstreams[1:])
    text = text.replace("    server 127.0.0.1:7862;\n", others).replace(SHIPPED_UPSTREAMS[0], upstreams[0])
    return text.replace("    listen 80;", f"    listen 127.0.0.1:{port};")


@contextmanager
def run_nginx(upstreams: Sequence[str], folder: Path, port: int | None = None) -> Iterator[str]:
    """nginx on a loopback port (a free one by default) in front of upstreams (host:port); yields its URL and
    stops it afterwards."""
    port = port or free_port()
    (folder / "temp").mkdir(parents=True)
    (folder / "site.conf").write_text(render_site(upstreams, port), encoding="utf-8")
    # As root, nginx's workers would switch to `nobody`, who cannot write the temporary folder.
    user = "user root;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(MAIN.format(user=user, dir=folder), encoding="utf-8")
    argv = [str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", "stderr"]
    check = subprocess.run([*argv, "-t"], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    log = (folder / "error.log").open("w")
    process = subprocess.Popen(
        [*argv, "-g", f"daemon off; pid {folder}/nginx.pid;"], stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (folder / "error.log").read_text()
            assert time.monotonic() < deadline, "nginx did not start"
            try:
                httpx.get(f"{url}/nginx-started", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
