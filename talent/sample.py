"""The bundled sample catalogue: loaded into a freshly created embedded database."""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from talent.importer import ImportReport, import_records
from talent.models import SHARED
from talent.profile import TalentRecord

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

DATA = Path(__file__).with_name("data")
CATALOGUE = DATA / "sample_catalogue.jsonl.gz"
VECTORS = DATA / "sample_vectors.npy"
EVALUATION = DATA / "sample_eval.jsonl"


def read_sample() -> tuple[list[TalentRecord], dict[str, np.ndarray]]:
    """The sample profiles and their precomputed embeddings (blocking: use a thread)."""
    lines = gzip.decompress(CATALOGUE.read_bytes()).decode("utf-8").splitlines()
    records = [TalentRecord.model_validate(json.loads(line)) for line in lines if line.strip()]
    vectors: dict[str, np.ndarray] = {}
    if VECTORS.exists():
        matrix = np.load(VECTORS).astype(np.float32)
        if len(matrix) == len(records):
            # float16 on disk: renormalise so inner products stay cosines
            matrix /= np.linalg.norm(matrix, axis=1, keepdims=True).clip(1e-6)
            vectors = {r.id: matrix[i] for i, r in enumerate(records)}
        else:
            log.warning("sample vectors do not match the sample profiles; embedding instead")
    return records, vectors


def read_evaluation() -> list[dict[str, Any]]:
    return [json.loads(line) for line in EVALUATION.read_text("utf-8").splitlines() if line]


async def load_sample_catalogue(services: Services, *, workspace: str = SHARED) -> ImportReport:
    """Import the sample into `workspace` (the shared catalogue unless told otherwise)."""
    records, vectors = await asyncio.to_thread(read_sample)
    report = await import_records(services, records, workspace=workspace, vectors=vectors)
    log.info("sample catalogue loaded: %s", report.summary())
    return report
