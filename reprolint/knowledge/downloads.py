"""Downloads and clones, as data: the calls that fetch a file by URL and the keyword that makes each one verify
what it fetched, and what in a shell line fetches data or verifies it.

Sources: the documentation of timm (`download_cached_file(url, check_hash=True)`), torch.hub
(`load_state_dict_from_url(check_hash=)`, `download_url_to_file(hash_prefix=)`),
torchvision.datasets.utils (`download_url(md5=)`, `download_and_extract_archive(md5=)`), tf.keras.utils.get_file
(`file_hash=`), gdown (`cached_download(hash=)` / `download(..., md5=)` in gdown 4, `hash=` in gdown 5) and
huggingface_hub (`hf_hub_download` verifies what it fetches by its ETag and can pin `revision=`, so it is a hub load,
not a download).
"""
from __future__ import annotations

import re

# Call -> (the keywords that, given a value, check the fetched file; the position of the first of them as an
# argument, or None); None when the call cannot check what it fetched.
DOWNLOAD_CALLS = {
    "torch.hub.load_state_dict_from_url": (("check_hash",), 4),
    "torch.utils.model_zoo.load_url": (("check_hash",), 4),
    "torchvision.models.utils.load_state_dict_from_url": (("check_hash",), 4),
    "torchvision._internally_replaced_utils.load_state_dict_from_url": (("check_hash",), 4),
    "torch.hub.download_url_to_file": (("hash_prefix",), 2),
    "torchvision.datasets.utils.download_url": (("md5",), 3),
    "torchvision.datasets.utils.download_and_extract_archive": (("md5",), 4),
    "torchvision.datasets.utils.download_file_from_google_drive": (("md5",), 3),
    "tensorflow.keras.utils.get_file": (("md5_hash", "file_hash"), 3),
    "tensorflow.python.keras.utils.data_utils.get_file": (("md5_hash", "file_hash"), 3),
    "keras.utils.get_file": (("md5_hash", "file_hash"), 3),
    "timm.models.hub.download_cached_file": (("check_hash",), 1),
    "timm.models._hub.download_cached_file": (("check_hash",), 1),
    "urllib.request.urlretrieve": None,
    "wget.download": None,
    "gdown.download": (("md5", "hash"), None),
    "gdown.cached_download": (("md5", "hash"), None),
}

# In a file that downloads, these show that something checks what was fetched.
CHECKSUM_CALLS = re.compile(r"(^|\.)(hashlib\.|check_integrity$|check_md5$|calculate_md5$|verify_str_arg$|"
                            r"md5sum$|sha256sum$|check_hash$|verify_checksum|checksum)")

# A shell line that fetches: the tool and the URL it fetches.
SHELL_FETCH = re.compile(r"\b(wget|curl|gdown|aria2c|axel)\b[^|;&]*?(https?://[^\s'\"|;&)]+|\b[\w-]{25,}\b)")
# What makes the fetched thing data or weights rather than a tool, a web page or a demo's sample picture: its name,
# or the host it is on.
DATA_URL = re.compile(
    r"\.(zip|tar|tgz|gz|bz2|xz|7z|rar|pt|pth|ckpt|h5|hdf5|npz|npy|pkl|pickle|bin|safetensors|onnx|tflite|pb|"
    r"mat|csv|tsv|parquet|jsonl?|txt|tfrecords?|index|data-\d+-of-\d+|params|model)"
    r"(\?[^\s]*)?$|drive\.google\.com|docs\.google\.com/uc|dropbox\.com|huggingface\.co/.+/resolve/|zenodo\.org|"
    r"figshare\.com|heibox|ommer-lab\.com|storage\.googleapis\.com|s3\.amazonaws\.com|/releases/download/", re.I)
# `url=https://...`, `f='labels.zip'`: a shell variable a later fetch line uses (`curl -L $url$f -o $f`).
SHELL_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?(\w+)=(['\"]?)([^'\"\s;#]*)\2")
SHELL_VARIABLE = re.compile(r"\$\{?(\w+)\}?")
# A demo's sample picture, sound or video, wherever it is hosted: an input to look at, not data a result rests on.
MEDIA_URL = re.compile(r"\.(jpe?g|png|gif|bmp|webp|svg|wav|mp3|flac|mp4|webm|avi)(\?[^\s]*)?$", re.I)
# A line or a script that checks what it fetched.
SHELL_CHECKSUM = re.compile(r"\b(sha\d*sum|md5sum|shasum|md5|cksum|b2sum|sha256|--checksum|-c\s+\S+\.(sha\d+|md5))\b")
# `git clone URL` and what pins what it cloned: a checkout or reset of a revision, or a tag or commit branch.
GIT_CLONE = re.compile(r"\bgit\s+clone\b(?P<args>[^|;&#\n]*)")
CLONE_PINNED_ARGS = re.compile(r"(--branch|-b)\s+['\"]?v?\d[\w.-]*|--revision[= ]")
PINNING_COMMANDS = re.compile(r"\bgit\s+(-C\s+\S+\s+)?(checkout|reset\s+--hard|switch\s+--detach)\s+['\"]?(?!-)"
                              r"(?!(main|master|develop|dev|HEAD)\b)\S+")
