"""Where models run and in which precision: CUDA when present, else the CPU."""
from __future__ import annotations

from pathlib import Path

from pipeline.backends.base import BackendError

# CTranslate2 weight types for quantization "auto": int8 weights everywhere, fp16 activations on GPUs.
CT2_AUTO = {"cpu": "int8", "cuda": "int8_float16"}


def cpu_has_bf16() -> bool:
    """True when the CPU computes bf16 natively (AMX or AVX512-BF16); emulated bf16 is slower than fp32."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


def choose_device(requested: str = "auto") -> str:
    """`auto`: CUDA when torch sees a GPU, else the CPU; an unavailable explicit choice is an error."""
    import torch

    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if requested == "cuda" and not torch.cuda.is_available():
        raise BackendError("device 'cuda' requested but torch sees no GPU; use device: auto or cpu")
    return requested


def choose_dtype(requested: str, device: str):
    """bf16 on GPUs and bf16-capable CPUs, fp32 elsewhere, unless the config names one."""
    import torch

    if requested != "auto":
        return getattr(torch, requested)
    if device.startswith("cuda"):
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.bfloat16 if cpu_has_bf16() else torch.float32


def torch_placement(run_config) -> tuple[str, object]:
    """The torch device and dtype a run asks for (`run.device`, `run.dtype`)."""
    device = choose_device(run_config.device)
    return device, choose_dtype(run_config.dtype, device)


def set_threads(threads: int) -> None:
    """Cap torch's intra-op threads when the config asks (0 leaves torch's default)."""
    if threads:
        import torch

        torch.set_num_threads(threads)


def ct2_device(requested: str = "auto") -> str:
    """The CTranslate2 device: CUDA when its CUDA build sees a GPU, else the CPU."""
    import ctranslate2

    has_gpu = ctranslate2.get_cuda_device_count() > 0
    if requested == "auto":
        return "cuda" if has_gpu else "cpu"
    if requested == "cuda" and not has_gpu:
        raise BackendError("device 'cuda' requested but CTranslate2 sees no GPU; use device: auto or cpu")
    return requested


def ct2_quantization(requested: str, device: str) -> str:
    """The weight type to convert to: `auto` is int8 on CPU and int8_float16 on CUDA."""
    import ctranslate2

    chosen = CT2_AUTO[device] if requested == "auto" else requested
    supported = ctranslate2.get_supported_compute_types(device)
    if chosen not in supported:
        raise BackendError(
            f"quantization {chosen!r} is not supported by CTranslate2 on {device} "
            f"(supported: {', '.join(sorted(supported))}); set quantization: auto or one of those"
        )
    return chosen


def ct2_placement(run_config, quantization: str) -> tuple[str, str]:
    """The CTranslate2 device a run asks for (`run.device`), and the weight type for a role's `quantization`."""
    device = ct2_device(run_config.device)
    return device, ct2_quantization(quantization, device)
