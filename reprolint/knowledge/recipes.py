"""The training recipe in library calls, as data: which arguments of which optimizers, schedulers, trainers, loaders
and augmentations are hyperparameters. Sources: the API references of torch.optim and torch.optim.lr_scheduler,
Keras optimizers, optax, transformers TrainingArguments and schedules, Lightning Trainer, torchvision transforms."""
from __future__ import annotations

# (name prefix, {position: parameter}, parameters judged when given by keyword). Numerical epsilons (`eps`,
# `epsilon`, `adam_epsilon`) are not among them: they guard a division, and nobody tunes or reports them.
OPTIMIZER_KWARGS = {"lr", "learning_rate", "weight_decay", "momentum", "betas", "beta_1", "beta_2", "b1", "b2",
                     "alpha", "rho", "dampening", "lr_decay", "initial_accumulator_value"}

SCHEDULER_POSITIONS = {
    "StepLR": ("step_size", "gamma"), "MultiStepLR": ("milestones", "gamma"), "ExponentialLR": ("gamma",),
    "CosineAnnealingLR": ("T_max", "eta_min"), "CosineAnnealingWarmRestarts": ("T_0", "T_mult", "eta_min"),
    "OneCycleLR": ("max_lr", "total_steps", "epochs"), "PolynomialLR": ("total_iters", "power"),
    "LinearLR": ("start_factor", "end_factor", "total_iters"), "ConstantLR": ("factor", "total_iters"),
    "CyclicLR": ("base_lr", "max_lr", "step_size_up"),
}

SCHEDULER_KWARGS = {p for ps in SCHEDULER_POSITIONS.values() for p in ps} | {
    "factor", "patience", "min_lr", "cooldown", "threshold", "pct_start", "div_factor", "final_div_factor"}

TRAINING_ARGUMENTS = {"learning_rate", "num_train_epochs", "per_device_train_batch_size", "train_batch_size",
                       "gradient_accumulation_steps", "weight_decay", "warmup_steps", "warmup_ratio", "max_steps",
                       "label_smoothing_factor", "max_grad_norm", "adam_beta1", "adam_beta2"}

TRAINER_KWARGS = {"max_epochs", "min_epochs", "max_steps", "gradient_clip_val", "accumulate_grad_batches"}

AUGMENTATIONS = {
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

TORCHVISION = ("torchvision.transforms.", "torchvision.transforms.v2.")

KERAS_OPTIMIZERS = ("tensorflow.keras.optimizers.", "keras.optimizers.", "tf_keras.optimizers.",
                     "tensorflow.optimizers.")

OPTAX_SCHEDULES = {"warmup_cosine_decay_schedule": ("init_value", "peak_value", "warmup_steps", "decay_steps"),
                    "exponential_decay": ("init_value", "transition_steps", "decay_rate"),
                    "cosine_decay_schedule": ("init_value", "decay_steps"),
                    "linear_schedule": ("init_value", "end_value", "transition_steps"),
                    "piecewise_constant_schedule": ("init_value", "boundaries_and_scales")}

ANY_PREFIX = ("torch.", "torch_optimizer.", "torch_ema.", "timm.", "bitsandbytes.", "apex.", "tensorflow.", "keras.", "tf_keras.", "optax.",
               "transformers.", "pytorch_lightning.", "lightning.", "sklearn.model_selection.", "torchvision.")
