"""A real S3 wire protocol for media tests: moto's server, run as a separate process."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import boto3

BUCKET = "castmatch-media-test"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "castmatch", "AWS_SECRET_ACCESS_KEY": "secret"}


@contextlib.contextmanager
def s3_server() -> Iterator[str]:
    """The server's URL, with BUCKET created."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("moto's S3 server did not start") from None
                time.sleep(0.1)
        url = f"http://127.0.0.1:{port}"
        client(url).create_bucket(Bucket=BUCKET)
        yield url
    finally:
        server.terminate()
        server.wait(10)


def client(url: str):  # type: ignore[no-untyped-def]
    """A boto3 client of its own (what another replica would see)."""
    keys = {"aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
            "aws_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"]}  # fmt: skip
    return boto3.client("s3", endpoint_url=url, region_name="us-east-1", **keys)
