"""Where media bytes live: the data folder by default, or an S3-compatible bucket when
CASTMATCH_S3_BUCKET is set (so every replica can serve what any replica kept). Rows in
PostgreSQL name files by key; a store only puts, reads and deletes bytes by that key."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bot.services import Services
    from bot.settings import Settings


class StoreUnavailable(OSError):
    """The store refused or couldn't be reached; the message names the store, no data."""


class MediaStore(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    async def read(self, key: str) -> bytes | None:
        """The file's bytes, or None when it isn't in this store."""

    async def delete(self, keys: list[str]) -> None: ...

    async def check(self) -> None:
        """Raises `StoreUnavailable` when files can't be kept."""

    async def close(self) -> None: ...


class LocalStore:
    """Files under `<data folder>/media`: only the replica that received a file has it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        return self.root / key

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(_write, self.path(key), data)

    async def read(self, key: str) -> bytes | None:
        path = self.path(key)
        return await asyncio.to_thread(path.read_bytes) if path.is_file() else None

    async def delete(self, keys: list[str]) -> None:
        def remove() -> None:
            for key in keys:
                self.path(key).unlink(missing_ok=True)

        await asyncio.to_thread(remove)

    async def check(self) -> None:
        return None  # a full or read-only disk shows when a file is written

    async def close(self) -> None:
        return None


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".part")
    partial.write_bytes(data)
    partial.replace(path)  # readers never see half a file


class S3Store:
    """Objects in one bucket under a prefix, through boto3 (its calls block: run in threads;
    a boto3 client is safe to share between threads)."""

    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await self._call(
            self.client.put_object,
            Bucket=self.bucket, Key=self.prefix + key, Body=data, ContentType=content_type,
        )  # fmt: skip

    async def read(self, key: str) -> bytes | None:
        def fetch() -> bytes | None:
            try:
                answer = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)
            except self.client.exceptions.NoSuchKey:
                return None
            with answer["Body"] as body:
                return body.read()

        return await self._call(fetch)

    async def delete(self, keys: list[str]) -> None:
        objects = [{"Key": self.prefix + key} for key in keys]
        for start in range(0, len(objects), 1000):  # the API's batch limit
            batch = {"Objects": objects[start : start + 1000], "Quiet": True}
            await self._call(self.client.delete_objects, Bucket=self.bucket, Delete=batch)

    async def check(self) -> None:
        """Raises `StoreUnavailable` unless the bucket can be reached with these credentials."""
        await self._call(self.client.head_bucket, Bucket=self.bucket)

    async def _call(self, call: Any, *args: Any, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return await asyncio.to_thread(call, *args, **kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "error")
            raise StoreUnavailable(f"S3 bucket {self.bucket}: {code}") from None
        except BotoCoreError as exc:
            raise StoreUnavailable(f"S3 bucket {self.bucket}: {type(exc).__name__}") from None

    async def close(self) -> None:
        await asyncio.to_thread(self.client.close)


def open_store(settings: Settings) -> MediaStore:
    if not settings.s3_bucket:
        return LocalStore(settings.data_path / "media")
    import boto3  # only deployments with a bucket pay for importing it
    from botocore.config import Config

    client = boto3.session.Session().client(
        "s3",
        endpoint_url=settings.s3_endpoint_url or None,
        region_name=settings.s3_region or None,
        config=Config(retries={"mode": "standard"}, max_pool_connections=20),
    )
    return S3Store(client, settings.s3_bucket, settings.s3_prefix)


class _Opened:
    def __init__(self, store: MediaStore) -> None:
        self.store = store


def media_store(services: Services) -> MediaStore:
    """This process's store, opened on first use (and closed with the services)."""
    opened = services.find(_Opened)
    if opened is None:
        opened = services.provide(_Opened(open_store(services.settings)))
        services.closers.append(opened.store.close)
    return opened.store
