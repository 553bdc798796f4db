"""Sentence embeddings with ONNX Runtime: the model exported once from its sentence-transformers folder, quantized
to INT8 when that keeps the vectors close to fp32, and cached beside the model.

Why this path (see benchmarks/ and docs/performance.md): on 2 CPU cores the fp32 torch model is bound
by its matrix products; INT8 weights (per-channel, dynamic activation quantization) with the VNNI kernels of
ONNX Runtime are faster, and one text per run on each core beats padded batches, whose attention over padding
costs more than the batching saves. Only torch's exporter and onnxruntime's own quantizer are used: the
`optimum` backend of sentence-transformers would pin transformers and huggingface-hub below what Gradio needs.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ConfigError

if TYPE_CHECKING:
    from tokenizers import Encoding

log = logging.getLogger(__name__)

OPSET = 17
# The INT8 model is used only when its vectors stay this close to the fp32 model's on the check sentences;
# otherwise the fp32 ONNX model is used (and the reason logged).
MIN_MEAN_COSINE = 0.98
MIN_COSINE = 0.95
CHECK_SENTENCES = (
    "What does a machine learning performance architect do?",
    "How much does a registered nurse earn per year?",
    "Typical education: a bachelor's degree in computer science or a related field.",
    "Median annual wage $98,000 (BLS OEWS, May 2024).",
    "Career path: junior engineer, senior engineer, staff engineer, principal architect.",
    "Skills: profiling GPU kernels, CUDA, distributed training, compilers.",
    "Benefits include health insurance, a 401(k) match and paid time off.",
    "Responsible for planning, directing, or coordinating the operations of public or private organizations.",
    "Hammersmiths forge hot metal into shapes using power hammers.",
    "Is a master's degree required?",
    "salary",
    "Job outlook and growth over the next ten years, with the number of openings each year.",
    "Work context: spend time sitting, use a computer every day, deal with external customers.",
    "Certifications such as AWS Solutions Architect or CKA are a plus but not required.",
    "What challenges do people in this role face at work?",
    "Experience: five or more years building production machine learning systems at scale.",
)


class UnsupportedModel(Exception):
    """The model is not a plain Transformer + Pooling (+ Normalize) sentence-transformers folder."""


@dataclass(frozen=True)
class ModelFolder:
    path: Path
    pooling: str  # "mean" or "cls"
    max_length: int

    @classmethod
    def inspect(cls, path: Path) -> ModelFolder:
        modules_file = path / "modules.json"
        if not (path / "tokenizer.json").is_file() or not modules_file.is_file():
            raise UnsupportedModel(f"{path} has no tokenizer.json or modules.json")
        entries = json.loads(modules_file.read_text())
        modules = [m["type"].rsplit(".", 1)[-1] for m in entries]
        if modules[:2] != ["Transformer", "Pooling"] or any(m != "Normalize" for m in modules[2:]):
            raise UnsupportedModel(f"modules {modules}: only Transformer, Pooling and Normalize are exported")
        config = json.loads((path / entries[1]["path"] / "config.json").read_text())
        modes = [k for k, v in config.items() if k.startswith("pooling_mode_") and v]
        if modes == ["pooling_mode_mean_tokens"]:
            pooling = "mean"
        elif modes == ["pooling_mode_cls_token"]:
            pooling = "cls"
        else:
            raise UnsupportedModel(f"pooling {modes}: only mean or CLS pooling is exported")
        st_config = path / "sentence_bert_config.json"
        max_length = json.loads(st_config.read_text()).get("max_seq_length") if st_config.is_file() else None
        return cls(path=path, pooling=pooling, max_length=int(max_length or 512))

    def fingerprint(self) -> str:
        """Changes when the weights, the tokenizer or the exporting libraries change."""
        import onnxruntime

        parts = [onnxruntime.__version__, str(OPSET)]
        for name in sorted(os.listdir(self.path)):
            f = self.path / name
            if f.is_file():
                stat = f.stat()
                parts.append(f"{name}:{stat.st_size}:{int(stat.st_mtime)}")
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


class OnnxEncoder:
    """Encodes texts into L2-normalised float32 vectors with an ONNX Runtime session shared by `threads` workers."""

    def __init__(self, folder: ModelFolder, model_file: Path, threads: int, precision: str) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.folder = folder
        self.precision = precision
        self.backend = f"onnx-{precision}"
        self.model_file = model_file
        self.threads = max(1, threads)
        options = ort.SessionOptions()
        # One thread per run and `threads` runs side by side: measured faster than one run on all cores.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(folder.path / "tokenizer.json"))
        self.tokenizer.enable_truncation(folder.max_length)
        self.tokenizer.no_padding()
        self.dimension = int(self.session.get_outputs()[0].shape[-1])
        self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="embed") if self.threads > 1 else None

    def known_words(self) -> tuple[str, ...]:
        from .embedding import whole_words

        return whole_words(self.tokenizer.get_vocab())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        # One text per run: no padding, so no attention over padding (token-length bucketing taken to its end).
        encodings = self.tokenizer.encode_batch(list(texts))
        run = self._run_one
        rows = list(self._pool.map(run, encodings)) if self._pool and len(texts) > 1 else [run(e) for e in encodings]
        return np.stack(rows) if rows else np.zeros((0, self.dimension), dtype=np.float32)

    def _run_one(self, encoding: Encoding) -> np.ndarray:
        ids = np.asarray([encoding.ids], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feed)[0][0]
        vector = hidden[0] if self.folder.pooling == "cls" else hidden.mean(axis=0)
        return (vector / max(float(np.linalg.norm(vector)), 1e-12)).astype(np.float32)


def load(path: Path, precision: str, threads: int) -> OnnxEncoder:
    """The encoder for a sentence-transformers model folder, exporting (and checking) it on first use."""
    folder = ModelFolder.inspect(path)
    cache = cache_dir(folder)
    stem = f"advisor-{folder.fingerprint()}"
    fp32, int8, report = cache / f"{stem}-fp32.onnx", cache / f"{stem}-int8.onnx", cache / f"{stem}.json"
    with _lock(cache / ".lock"):
        if not (fp32.is_file() and int8.is_file() and report.is_file()):
            _export(folder, fp32, int8, report)
    check = json.loads(report.read_text())
    int8_ok = check["mean_cosine"] >= MIN_MEAN_COSINE and check["min_cosine"] >= MIN_COSINE
    if precision == "int8" and not int8_ok:
        log.warning(
            "INT8 embedding of %s is off by too much (mean cosine %.4f, min %.4f against fp32); using fp32.",
            path, check["mean_cosine"], check["min_cosine"],
        )  # fmt: skip
        precision = "fp32"
    return OnnxEncoder(folder, int8 if precision == "int8" else fp32, threads, precision)


def cache_dir(folder: ModelFolder) -> Path:
    """Beside the model when its folder is writable (a venv or hub cache), else in the user's cache."""
    beside = folder.path / "onnx"
    try:
        beside.mkdir(exist_ok=True)
        if os.access(beside, os.W_OK):
            return beside
    except OSError:
        pass
    key = hashlib.sha256(str(folder.path.resolve()).encode()).hexdigest()[:12]
    fallback = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "role-advisor" / "onnx" / key
    fallback.mkdir(parents=True, exist_ok=True)
    return fallback


def _export(folder: ModelFolder, fp32: Path, int8: Path, report: Path) -> None:
    log.info("Preparing the embedding model for ONNX Runtime, once (about 15 s): %s -> %s/", folder.path, fp32.parent)
    try:
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from sentence_transformers import SentenceTransformer
        from transformers import AutoModel
        from transformers.utils import logging as hf_logging
    except ImportError as exc:
        raise ConfigError(f"Exporting the embedding model to ONNX needs torch and transformers: {exc}") from None

    hf_logging.disable_progress_bar()
    # Eager attention traces to plain ONNX operators that ONNX Runtime fuses; SDPA's tracing freezes mask branches.
    model = AutoModel.from_pretrained(str(folder.path), attn_implementation="eager").eval()
    # MPNet and DistilBERT take no token types; BERT-like models do.
    takes_types = getattr(model.config, "type_vocab_size", 0)
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if takes_types else [])

    class LastHidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            return self.model(**dict(zip(names, tensors, strict=True))).last_hidden_state

    ones, zeros = torch.ones((2, 8), dtype=torch.long), torch.zeros((2, 8), dtype=torch.long)
    sample = tuple(zeros if n == "token_type_ids" else ones for n in names)
    with tempfile.TemporaryDirectory(dir=fp32.parent) as tmp:
        staged_fp32, staged_int8 = Path(tmp) / fp32.name, Path(tmp) / int8.name
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # the tracer's notes on Python conditionals it froze
            torch.onnx.export(
                LastHidden(), sample, str(staged_fp32),
                input_names=names, output_names=["last_hidden_state"],
                dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
                opset_version=OPSET, dynamo=False,
            )  # fmt: skip
        import onnx

        # The quantizer logs each tensor it skips straight on the root logger: noise to someone building an index.
        # A filter on the root logger drops only records logged there directly, not those of named loggers.
        quiet = _BelowError()
        logging.getLogger().addFilter(quiet)
        try:
            quantize_dynamic(
                str(staged_fp32), str(staged_int8), weight_type=QuantType.QInt8, per_channel=True,
                extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
            )  # fmt: skip
        finally:
            logging.getLogger().removeFilter(quiet)
        reference = SentenceTransformer(str(folder.path), device="cpu").encode(
            list(CHECK_SENTENCES), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        cosines = {}
        for precision, file in (("fp32", staged_fp32), ("int8", staged_int8)):
            vectors = OnnxEncoder(folder, file, threads=1, precision=precision).encode(CHECK_SENTENCES)
            cosines[precision] = (vectors * reference).sum(axis=1)
        if cosines["fp32"].min() < 0.999:
            raise UnsupportedModel(f"the exported fp32 model disagrees with torch (min cosine {cosines['fp32'].min()})")
        int8_cos = cosines["int8"]
        result = {
            "model": str(folder.path),
            "mean_cosine": float(int8_cos.mean()),
            "min_cosine": float(int8_cos.min()),
        }
        staged_report = Path(tmp) / report.name
        staged_report.write_text(json.dumps(result, indent=2))
        os.replace(staged_int8, int8)
        os.replace(staged_fp32, fp32)
        os.replace(staged_report, report)  # last: its presence says the export is complete
    log.info(
        "ONNX export done: INT8 mean cosine %.4f (min %.4f) against fp32", result["mean_cosine"], result["min_cosine"]
    )


class _BelowError(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR


@contextmanager
def _lock(path: Path) -> Iterator[None]:
    """An exclusive flock, so that two processes starting together export once."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
