"""The training recipe in library calls: which arguments of which calls are hyperparameters (the optimizer's
learning rate, a scheduler's milestones, a DataLoader's batch size, an augmentation's magnitude)."""
from __future__ import annotations

from reprolint.facts import Call

# (name prefix, {position: parameter}, parameters judged when given by keyword)
_OPTIMIZER_KWARGS = {"lr", "learning_rate", "weight_decay", "momentum", "betas", "eps", "epsilon", "beta_1",
                     "beta_2", "b1", "b2", "alpha", "rho", "dampening", "lr_decay", "initial_accumulator_value"}
_SCHEDULER_POSITIONS = {
    "StepLR": ("step_size", "gamma"), "MultiStepLR": ("milestones", "gamma"), "ExponentialLR": ("gamma",),
    "CosineAnnealingLR": ("T_max", "eta_min"), "CosineAnnealingWarmRestarts": ("T_0", "T_mult", "eta_min"),
    "OneCycleLR": ("max_lr", "total_steps", "epochs"), "PolynomialLR": ("total_iters", "power"),
    "LinearLR": ("start_factor", "end_factor", "total_iters"), "ConstantLR": ("factor", "total_iters"),
    "CyclicLR": ("base_lr", "max_lr", "step_size_up"),
}
_SCHEDULER_KWARGS = {p for ps in _SCHEDULER_POSITIONS.values() for p in ps} | {
    "factor", "patience", "min_lr", "cooldown", "threshold", "pct_start", "div_factor", "final_div_factor"}
_TRAINING_ARGUMENTS = {"learning_rate", "num_train_epochs", "per_device_train_batch_size", "train_batch_size",
                       "gradient_accumulation_steps", "weight_decay", "warmup_steps", "warmup_ratio", "max_steps",
                       "label_smoothing_factor", "max_grad_norm", "adam_beta1", "adam_beta2", "adam_epsilon"}
_TRAINER_KWARGS = {"max_epochs", "min_epochs", "max_steps", "gradient_clip_val", "accumulate_grad_batches"}
_AUGMENTATIONS = {
    "RandomResizedCrop": ((), {"scale", "ratio"}), "ColorJitter": (("brightness", "contrast", "saturation", "hue"),
                                                                   {"brightness", "contrast", "saturation", "hue"}),
    "RandAugment": (("num_ops", "magnitude"), {"num_ops", "magnitude"}), "RandomErasing": (("p", "scale"),
                                                                                          {"p", "scale", "ratio"}),
    "RandomRotation": (("degrees",), {"degrees"}), "RandomAffine": (("degrees", "translate", "scale"),
                                                                    {"degrees", "translate", "scale", "shear"}),
    "TrivialAugmentWide": ((), {"num_magnitude_bins"}), "AugMix": (("severity", "mixture_width"),
                                                                   {"severity", "mixture_width", "alpha"}),
}
# Dropout in a model class is architecture a library chooses; only a training script's own is judged.
DROPOUTS = {"torch.nn.Dropout", "torch.nn.Dropout1d", "torch.nn.Dropout2d", "torch.nn.Dropout3d",
            "tensorflow.keras.layers.Dropout", "keras.layers.Dropout"}
_TORCHVISION = ("torchvision.transforms.", "torchvision.transforms.v2.")
_KERAS_OPTIMIZERS = ("tensorflow.keras.optimizers.", "keras.optimizers.", "tf_keras.optimizers.",
                     "tensorflow.optimizers.")
_OPTAX_SCHEDULES = {"warmup_cosine_decay_schedule": ("init_value", "peak_value", "warmup_steps", "decay_steps"),
                    "exponential_decay": ("init_value", "transition_steps", "decay_rate"),
                    "cosine_decay_schedule": ("init_value", "decay_steps"),
                    "linear_schedule": ("init_value", "end_value", "transition_steps"),
                    "piecewise_constant_schedule": ("init_value", "boundaries_and_scales")}


_ANY_PREFIX = ("torch.", "torch_optimizer.", "torch_ema.", "timm.", "bitsandbytes.", "apex.", "tensorflow.", "keras.", "tf_keras.", "optax.",
               "transformers.", "pytorch_lightning.", "lightning.", "sklearn.model_selection.", "torchvision.")


def hyperparameters(call: Call) -> dict:
    """{parameter: value} of the arguments of a call that govern training, as written (literal or Ref)."""
    name = call.name
    last = name.rsplit(".", 1)[-1]
    if not (name.startswith(_ANY_PREFIX) or last in ("fit", "fit_generator")):
        return {}  # most calls: nothing to look up
    positions: tuple = ()
    judged: set = set()
    if name.startswith("torch.optim.lr_scheduler."):
        positions, judged = (("",) + _SCHEDULER_POSITIONS.get(last, ())), _SCHEDULER_KWARGS
    elif name.startswith("torch.optim.") and last[:1].isupper() or name.startswith(
            ("timm.optim.", "torch_optimizer.", "bitsandbytes.optim.", "apex.optimizers.")) and last[:1].isupper():
        positions, judged = ("", "lr"), _OPTIMIZER_KWARGS
    elif name.startswith(_KERAS_OPTIMIZERS) and ".schedules." not in name and last[:1].isupper():
        positions, judged = ("learning_rate",), _OPTIMIZER_KWARGS
    elif name.startswith("optax.") and last in _OPTAX_SCHEDULES:
        positions, judged = _OPTAX_SCHEDULES[last], set(_OPTAX_SCHEDULES[last]) | {"end_value"}
    elif name.startswith("optax.") and last in ("adam", "adamw", "sgd", "lamb", "lars", "rmsprop", "adagrad",
                                                  "adafactor", "lion", "adabelief", "nadam", "radam"):
        positions, judged = ("learning_rate",), _OPTIMIZER_KWARGS
    elif name in ("transformers.TrainingArguments", "transformers.Seq2SeqTrainingArguments"):
        judged = _TRAINING_ARGUMENTS
    elif name.startswith("transformers.get_") and name.endswith("_schedule_with_warmup"):
        positions, judged = ("", "num_warmup_steps", "num_training_steps"), {"num_warmup_steps",
                                                                              "num_training_steps"}
    elif name.startswith(("pytorch_lightning.Trainer", "lightning.Trainer", "lightning.pytorch.Trainer")):
        judged = _TRAINER_KWARGS
    elif name == "torch.utils.data.DataLoader" and (call.kwargs.get("shuffle") is True or
                                                     call.kwargs.get("drop_last") is True):
        positions, judged = ("", "batch_size"), {"batch_size"}  # a training loader: it shuffles
    elif last in ("fit", "fit_generator") and name != "fit":
        judged = {"batch_size", "epochs"}
    elif name in ("sklearn.model_selection.train_test_split",):
        judged = {"test_size", "train_size"}
    elif name.startswith(_TORCHVISION) and last in _AUGMENTATIONS:
        positions, judged = _AUGMENTATIONS[last]
    elif name in DROPOUTS:
        positions, judged = (("rate",), {"rate"}) if "keras" in name else (("p",), {"p"})
    elif name in ("torch.nn.CrossEntropyLoss",):
        judged = {"label_smoothing"}
    elif name in ("torch.nn.utils.clip_grad_norm_", "torch.nn.utils.clip_grad_value_"):
        positions, judged = ("", "max_norm" if last == "clip_grad_norm_" else "clip_value"), {"max_norm",
                                                                                              "clip_value"}
    elif name in ("timm.utils.ModelEmaV2", "timm.utils.ModelEma", "timm.utils.ModelEmaV3",
                  "torch_ema.ExponentialMovingAverage"):
        positions, judged = ("", "decay"), {"decay"}
    found = {p: v for p, v in zip(positions, call.args) if p}
    found.update({k: v for k, v in call.kwargs.items() if k in judged})
    return found
