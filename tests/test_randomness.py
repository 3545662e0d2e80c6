"""Randomness rules (RPL1xx) on fixture repositories: exact findings, and the traps that must stay silent."""
import pytest

from tests.conftest import FIXTURES, found, run

RANDOMNESS = FIXTURES / "randomness"


def randomness(fixture):
    return found(RANDOMNESS / fixture, select=["RPL1"])


def test_seeding_in_a_helper_two_imports_away_counts():
    # train.py seeds through project.setup.prepare -> project.seeding.seed_all (a relative re-export);
    # sample.py only imports the helper; project/noise.py is library code with no entrypoint.
    assert randomness("helper") == {("RPL101", "sample.py", 7)}


def test_ecosystem_seeding_helpers():
    # lightning seed_everything, transformers set_seed, accelerate set_seed, tf.keras.utils.set_random_seed
    assert randomness("ecosystem") == {("RPL101", "keras_unseeded.py", 4)}


def test_seeds_from_the_clock_or_entropy():
    # silent: default_rng(args.seed), manual_seed(42), PRNGKey(0), manual_seed(args.seed), default_rng(0).integers
    assert randomness("entropy") == {
        ("RPL102", "seeds.py", 11),  # np.random.seed(int(time.time()))
        ("RPL102", "seeds.py", 13),  # seed = int(time.time() * 1000) % 2**32; random.seed(seed)
        ("RPL102", "seeds.py", 14),  # np.random.default_rng()
        ("RPL102", "seeds.py", 17),  # jax.random.PRNGKey(time.time_ns())
        ("RPL102", "seeds.py", 19),  # random.seed(os.urandom(8))
    }


def test_notebooks_seeded_in_their_first_cell_and_not():
    assert randomness("notebooks") == {("RPL101", "unseeded.ipynb", "cell 2:1")}


def test_a_library_without_entrypoints_is_not_flagged():
    assert randomness("library") == set()


def test_dataloader_workers_in_a_run_that_seeds_torch_are_seeded_since_torch_1_9():
    assert randomness("dataloader_seeded") == set()
    assert randomness("dataloader_old_torch") == {("RPL103", "train.py", 8), ("RPL103", "train.py", 9)}


def test_dataloader_workers():
    # loaders.py is reached from train.py, which never seeds torch (so RPL101 says why, at the first draw)
    assert randomness("dataloader") == {
        ("RPL101", "loaders.py", 6),
        ("RPL103", "loaders.py", 6),  # shuffle=True, num_workers=4
        ("RPL103", "loaders.py", 9),  # num_workers=args.workers: not a literal
        ("RPL103", "loaders.py", 12),  # a sampler, with workers
    }


def test_sklearn_random_state_only_where_numpy_is_not_seeded():
    # silent: random_state=0, KFold without shuffle, LogisticRegression, seeded.py, a test script
    assert randomness("sklearn") == {
        ("RPL104", "split.py", 7), ("RPL104", "split.py", 10), ("RPL104", "split.py", 11)}


@pytest.mark.parametrize("fixture", ["helper", "ecosystem", "entropy", "dataloader", "sklearn"])
def test_messages_name_the_generator_and_the_fix(fixture):
    from reprolint.report import fix_text
    from tests.conftest import run

    result = run(RANDOMNESS / fixture, select=["RPL1"])
    assert result.findings
    for finding in result.findings:
        assert finding.message and fix_text(finding, result.rules)


def test_seed_only_behind_a_flag_without_default():
    assert randomness("optional_seed") == {("RPL105", "main.py", 8)}  # with_default.py has default=0


def test_scripts_run_by_readme_or_shell_commands_are_entrypoints():
    assert randomness("commanded") == {("RPL101", "train.py", 4), ("RPL101", "finetune.py", 3)}


def test_seeding_helper_in_the_package_init_reached_by_a_relative_import():
    assert randomness("package_init") == set()


def test_tensorflow_1_draws_inside_a_returned_model_fn():
    # run_seeded.py calls tf.set_random_seed(42) first; both train with an Estimator (RPL204 in test_determinism)
    assert randomness("tf1") == {("RPL101", "run_classifier.py", 10)}


def test_flat_scripts_without_main_guard_or_readme_are_entrypoints():
    # features.py is imported by the script; hubconf.py is loaded by torch.hub
    assert randomness("flat_scripts") == {("RPL101", "features.py", 6), ("RPL104", "random_forest.py", 8)}


def test_a_library_module_s_demo_and_an_export_run_are_not_runs_that_report_results():
    # mylib/blur.py (imported by the package) and mylib/shapes.py (inside it) demo themselves in a main block that
    # nothing runs; tools/export_onnx.py draws only the example input that tracing needs. The README runs
    # mylib/evaluate.py, and tools/sample.py's draws are its output.
    assert randomness("demos") == {("RPL101", "mylib/evaluate.py", 5), ("RPL101", "tools/sample.py", 7)}


@pytest.mark.parametrize("layer, draws", [
    ("Dense", True), ("Conv2D", True), ("Embedding", True), ("Dropout", True), ("RandomFlip", True),
    ("Softmax", False), ("Flatten", False), ("BatchNormalization", False), ("MaxPooling2D", False)])
def test_keras_layers_draw_only_where_their_weights_or_outputs_are_random(layer, draws):
    from reprolint.facts import Call
    from reprolint.project.calls import draw_family

    call = Call(f"tensorflow.keras.layers.{layer}", 1, 1, "", (), {})
    assert (draw_family(call) == "tensorflow") is draws


def test_tensorflow_ops_without_an_op_seed_draw_from_the_global_generator(tmp_path):
    (tmp_path / "train.py").write_text(
        "import tensorflow as tf\n\n\n"
        "def augment(image):\n"
        "    image = tf.image.random_flip_left_right(image)\n"
        "    return tf.image.random_crop(image, [24, 24, 3], seed=1)\n\n\n"
        "def pipeline(ds, rng):\n"
        "    rng.shuffle(ds.files)\n"  # a generator's shuffle of a list: not tf.data
        "    ds = ds.shuffle(1000).map(augment)\n"
        "    return ds.shuffle(buffer_size=64, seed=3)\n\n\n"
        "if __name__ == '__main__':\n"
        "    print(list(pipeline(tf.data.Dataset.range(10), None)))\n")
    # the first unseeded draw of the run: tf.data's shuffle (line 11) comes before the flip it maps (line 5)
    [finding] = run(tmp_path, select=["RPL101"]).findings
    assert (finding.line, "`ds.shuffle`" in finding.message) == (11, True)
    script = (tmp_path / "train.py").read_text().replace("shuffle(1000)", "shuffle(1000, seed=2)")
    (tmp_path / "train.py").write_text(script.replace("print(list(", "print(augment(tf.zeros([32, 32, 3])), list("))
    [finding] = run(tmp_path, select=["RPL101"]).findings
    assert "`tensorflow.image.random_flip_left_right`" in finding.message and finding.line == 5


def test_a_base_class_that_seeds_in_its_init_seeds_what_its_subclass_draws(tmp_path):
    (tmp_path / "data.py").write_text(
        "import random\n\n\nclass Base:\n    def __init__(self):\n        random.seed(0)\n        self.make()\n\n\n"
        "class Shuffled(Base):\n    def make(self):\n        self.items = list(range(9))\n"
        "        random.shuffle(self.items)\n")
    (tmp_path / "train.py").write_text("from data import Shuffled\n\nif __name__ == '__main__':\n"
                                       "    print(Shuffled().items)\n")
    assert found(tmp_path, select=["RPL101"]) == set()
    (tmp_path / "data.py").write_text((tmp_path / "data.py").read_text().replace("        random.seed(0)\n", ""))
    assert found(tmp_path, select=["RPL101"]) == {("RPL101", "data.py", 12)}


def test_a_method_the_subclass_overrides_is_not_inherited(tmp_path):
    (tmp_path / "model.py").write_text(
        "import numpy as np\n\n\nclass Base:\n    def init(self):\n        return np.random.randint(3)\n\n\n"
        "class Custom(Base):\n    def init(self):\n        return 0\n")
    (tmp_path / "train.py").write_text("from model import Custom\n\nif __name__ == '__main__':\n"
                                       "    print(Custom().init())\n")
    assert found(tmp_path, select=["RPL101"]) == set()
