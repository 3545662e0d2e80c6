"""Determinism in the ecosystem, as data: the trainers whose run trains, and the CUDA ops without a deterministic
implementation. Source of the op table: the documentation of torch.use_deterministic_algorithms (PyTorch 2.x), which
lists the ops that raise under deterministic mode on CUDA, and which of them do so only in their backward pass."""
from __future__ import annotations

LIGHTNING_TRAINERS = ("pytorch_lightning.Trainer", "lightning.Trainer", "lightning.pytorch.Trainer")

TRAINERS = LIGHTNING_TRAINERS + ("transformers.Trainer", "transformers.Seq2SeqTrainer", "trl.SFTTrainer")

TENSORFLOW = ("tensorflow.", "keras.", "tf_keras.")

TF1_TRAINING = ("tensorflow.estimator.", "tensorflow.contrib.tpu.", "tensorflow.train.",
                 "tensorflow.compat.v1.estimator.", "tensorflow.compat.v1.train.")

# Operations PyTorch documents as raising under use_deterministic_algorithms(True) on CUDA: they have no
# deterministic implementation (torch.use_deterministic_algorithms, PyTorch 2.x documentation).
NONDETERMINISTIC_OPS = {
    "torch.nn.AvgPool3d": "backward", "torch.nn.AdaptiveAvgPool2d": "backward",
    "torch.nn.AdaptiveAvgPool3d": "backward", "torch.nn.MaxPool3d": "backward",
    "torch.nn.AdaptiveMaxPool2d": "backward", "torch.nn.FractionalMaxPool2d": "backward",
    "torch.nn.FractionalMaxPool3d": "backward", "torch.nn.MaxUnpool1d": "forward",
    "torch.nn.MaxUnpool2d": "forward", "torch.nn.MaxUnpool3d": "forward",
    "torch.nn.ReflectionPad1d": "backward", "torch.nn.ReflectionPad2d": "backward",
    "torch.nn.ReflectionPad3d": "backward", "torch.nn.ReplicationPad3d": "backward",
    "torch.nn.NLLLoss": "forward", "torch.nn.CTCLoss": "backward", "torch.nn.functional.ctc_loss": "backward",
    "torch.nn.functional.grid_sample": "backward", "torch.nn.functional.adaptive_avg_pool2d": "backward",
    "torch.nn.functional.adaptive_avg_pool3d": "backward", "torch.nn.functional.adaptive_max_pool2d": "backward",
    "torch.nn.functional.embedding_bag": "backward", "torch.nn.EmbeddingBag": "backward",
    "torch.bincount": "forward", "torch.histc": "forward", "torch.kthvalue": "forward", "torch.median": "forward",
}

NONDETERMINISTIC_METHODS = {"index_add_": "forward", "scatter_add_": "forward", "scatter_reduce": "forward",
                            "scatter_reduce_": "forward", "index_copy": "forward", "index_copy_": "forward",
                            "bincount": "forward", "histc": "forward", "put_": "forward", "index_put_": "forward"}

INTERPOLATE_NONDETERMINISTIC_MODES = {"linear", "bilinear", "bicubic", "trilinear"}

# cuBLAS needs CUBLAS_WORKSPACE_CONFIG=:4096:8 (or :16:8) for deterministic results under
# use_deterministic_algorithms(True) (CUDA 10.2+ documentation, "Results reproducibility"); PyTorch 2.10 dropped the
# requirement (pytorch/pytorch#161749: cuBLAS workspaces are per handle and stream).
CUBLAS = "CUBLAS_WORKSPACE_CONFIG"
CUBLAS_NOT_NEEDED_FROM = "2.10"

CUDNN_BENCHMARK = "torch.backends.cudnn.benchmark"
CUDNN_DETERMINISTIC = "torch.backends.cudnn.deterministic"
