"""CAM++ at run time: its fbank front end and the onnxruntime session built from its checkpoint.

The checkpoint (``campp_weights.weights_path``) is read by the restricted unpickler; torch is never
imported.
"""

from __future__ import annotations

import os
from pathlib import Path

import kaldi_native_fbank as knf
import numpy as np
import numpy.typing as npt
import onnxruntime as ort

from desktop import i18n
from desktop.sandbox.engines import campp_model as model
from desktop.sandbox.engines.torch_pickle import ModelFileError, load_checkpoint

i18n.register(
    {
        "campp.not_campp": {
            "en": "The model file {path} is not the CAM++ checkpoint this engine reads: {reason}",
            "zh": "模型文件 {path} 不是本引擎可读取的 CAM++ 模型：{reason}",
        },
    }
)

F32 = npt.NDArray[np.float32]

SAMPLE_RATE = 16000
THREADS_ENV = "VPW_CAMPP_THREADS"  # onnxruntime's intra-op threads (default 1)


def _fbank_options() -> knf.FbankOptions:
    # As 3D-Speaker trained the checkpoint (torchaudio's Kaldi fbank): 80 bands, 25 ms / 10 ms,
    # Povey window, no dither; the other settings are Kaldi's defaults in both libraries.
    opts = knf.FbankOptions()
    opts.frame_opts.samp_freq = SAMPLE_RATE
    opts.frame_opts.frame_length_ms = 25.0
    opts.frame_opts.frame_shift_ms = 10.0
    opts.frame_opts.window_type = "povey"
    opts.frame_opts.dither = 0.0
    opts.frame_opts.snip_edges = True
    opts.mel_opts.num_bins = model.N_MELS
    return opts


def fbank(wav: npt.NDArray[np.floating]) -> F32:
    """Mean-normalised log-mel fbank (frames x 80) of float samples in [-1, 1] at 16 kHz.

    Samples are scaled as torchaudio loads 16-bit files (int / 32768), as in training; the mean
    subtraction removes most of the scale's effect anyway, except at the log floor.
    """
    computer = knf.OnlineFbank(_fbank_options())
    computer.accept_waveform(SAMPLE_RATE, np.ascontiguousarray(wav, np.float32))
    computer.input_finished()
    n = computer.num_frames_ready
    feats = np.empty((n, model.N_MELS), np.float32)
    for i in range(n):
        feats[i] = computer.get_frame(i)
    if n:
        feats -= feats.mean(axis=0, keepdims=True)
    return feats


# Frames the network needs: 2 after its strided layer, i.e. 3 fbank frames (45 ms of audio).
MIN_FRAMES = 3


class CamppNetwork:
    """The CAM++ graph on onnxruntime's CPU provider; ``run`` is thread-safe."""

    def __init__(self, state: dict[str, object], threads: int = 1) -> None:
        graph = model.build_model(state)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # errors only: the sandbox logs what matters itself
        # Busy-waiting worker threads would burn a core between requests.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

    @classmethod
    def load(cls, path: Path) -> CamppNetwork:
        """The network with the checkpoint at ``path``. Raises ``ModelFileError``."""
        state = load_checkpoint(path)
        if not isinstance(state, dict):
            raise ModelFileError(i18n.tr("campp.not_campp", path=path, reason="no table of tensors"))
        try:
            return cls(state, _threads())
        except (ValueError, TypeError) as exc:
            raise ModelFileError(i18n.tr("campp.not_campp", path=path, reason=exc)) from None

    def embed_features(self, feats: F32) -> F32:
        """The raw (not normalised) 192-d embedding of mean-normalised fbank (frames x 80)."""
        feats = np.asarray(feats, np.float32)
        if feats.ndim != 2 or feats.shape[1] != model.N_MELS or feats.shape[0] < MIN_FRAMES:
            raise ValueError(f"CAM++ takes at least {MIN_FRAMES} frames of {model.N_MELS} bands, not {feats.shape}")
        inputs = {model.INPUT_FEATS: np.ascontiguousarray(feats.T)[None, None]}
        inputs.update(model.pooling_inputs(model.tdnn_frames(feats.shape[0])))
        out = self._session.run([model.OUTPUT], inputs)[0]
        return np.asarray(out[0], np.float32)


def _threads() -> int:
    try:
        return max(1, min(16, int(os.environ.get(THREADS_ENV, "1"))))
    except ValueError:
        return 1
