"""Determinism rules (RPL2xx) on fixture repositories: exact findings, and the traps that must stay silent."""
from tests.conftest import FIXTURES, found, run

DETERMINISM = FIXTURES / "determinism"


def determinism_of(path):
    return found(path, select=["RPL2"])


def determinism(fixture):
    return determinism_of(DETERMINISM / fixture)


def test_gpu_training_without_deterministic_mode_and_its_nondeterministic_ops():
    # infer.py runs on the GPU but does not train; interpolate in its default nearest mode is deterministic
    assert determinism("unset") == {
        ("RPL202", "train.py", 8),  # model.cuda()
        ("RPL205", "train.py", 11),  # scatter_add_
        ("RPL205", "train.py", 12),  # interpolate(mode="bilinear")
        ("RPL205", "train.py", 14),  # torch.bincount
    }


def test_determinism_set_in_a_helper_counts():
    assert determinism("helper") == set()


def test_cudnn_benchmark_under_an_alias_and_not_in_tests():
    assert determinism("benchmark") == {("RPL201", "train.py", 6)}  # infer.py does not train


def test_cublas_workspace_config_depends_on_the_pinned_torch():
    assert determinism("cublas_old_torch") == {("RPL203", "train.py", 7)}
    message = run(DETERMINISM / "cublas_old_torch", select=["RPL203"]).findings[0].message
    assert "torch ==2.1.0+cu118 (requirements.txt:1)" in message
    assert determinism("cublas_new_torch") == set()  # torch>=2.10 no longer needs it
    assert determinism("cublas_env_set") == set()  # os.environ[...] in the script
    assert determinism("cublas_in_script") == set()  # exported by run.sh


def test_lightning_and_keras_determinism():
    # Trainer(accelerator="gpu", deterministic=True) and enable_op_determinism() are silent
    assert determinism_of(FIXTURES / "randomness" / "ecosystem") == {("RPL204", "keras_unseeded.py", 6)}


def test_a_device_chosen_by_cuda_availability_is_gpu_use():
    assert determinism("auto_device") == {("RPL202", "train.py", 5)}


def test_tensorflow_1_estimator_training_without_op_determinism():
    assert determinism_of(FIXTURES / "randomness" / "tf1") == {
        ("RPL204", "run_classifier.py", 19), ("RPL204", "run_seeded.py", 20)}  # estimator.train(...)


def test_resizing_a_checkpoints_tensors_is_not_a_nondeterministic_training_op(tmp_path):
    (tmp_path / "train.py").write_text(
        "import torch\nimport torch.nn.functional as F\n\n\n"
        "def load_pretrained(model, path):\n"
        "    state = torch.load(path, map_location='cpu')\n"
        "    state['pos'] = F.interpolate(state['pos'], size=14, mode='bicubic')\n"
        "    model.load_state_dict(state)\n\n\n"
        "def forward(model, x):\n"
        "    return F.interpolate(model(x), scale_factor=2, mode='bilinear')\n\n\n"
        "if __name__ == '__main__':\n"
        "    torch.manual_seed(0)\n"
        "    model = torch.nn.Conv2d(3, 3, 3).cuda()\n"
        "    load_pretrained(model, 'weights.pth')\n"
        "    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "    forward(model, torch.randn(2, 3, 8, 8).cuda()).sum().backward()\n"
        "    optimizer.step()\n")
    assert found(tmp_path, select=["RPL205"]) == {("RPL205", "train.py", 12)}
