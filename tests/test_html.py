"""The HTML audit: one self-contained file, autoescaped against a hostile repository, filters that work."""
import re
import shutil
import subprocess

import pytest

from reprolint.report import html
from tests.conftest import FIXTURES, run

DEMO = FIXTURES / "demo"
INJECTION = '<script>document.body.setAttribute("data-pwned", "1")</script>'


def test_the_audit_is_one_self_contained_file():
    page = html.render(run(DEMO))
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<link\b|<img\b|@import|url\(|<script[^>]*\bsrc=|https?://[^\s\"'<]*\.(css|js|woff2?)",
                         page)
    assert page.count("<article class=\"finding") == len(run(DEMO).findings)
    assert "ML Code Completeness Checklist" in page and "3/5" in page and "not shown in the README" in page
    assert page.count('<span class="fixable"') == sum(bool(f.fixable) for f in run(DEMO).findings)
    assert 'data-filter="area" value="Randomness"' in page and 'data-filter="severity" value="error"' in page


def test_the_audit_shows_the_code_around_each_finding():
    page = html.render(run(DEMO))
    assert '<span class="line flagged"><span class="ln">21</span>    cudnn.benchmark = True' in page


def hostile_repository(root):
    (root / "README.md").write_text(f"# Project {INJECTION}\n\nTraining code coming soon {INJECTION}\n")
    (root / f"{INJECTION.replace('/', '_')}.py").write_text(f"import numpy  # {INJECTION}\n"
                                                            "print(numpy.random.rand())\n")
    return root


def test_everything_from_the_repository_is_escaped(tmp_path):
    page = html.render(run(hostile_repository(tmp_path)))
    assert INJECTION not in page
    assert "&lt;script&gt;document.body.setAttribute(&#34;data-pwned&#34;, &#34;1&#34;)&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # the audit's own filter script, and nothing else


def chromium():
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not found:
        pytest.skip("no Chromium on this machine (Debian: apt install chromium)")
    return found


def rendered_dom(path, fragment=""):
    result = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=2000",
                             "--dump-dom", path.as_uri() + fragment], capture_output=True, text=True, timeout=120)
    return result.stdout


def test_an_injected_script_does_not_run_in_a_browser(tmp_path):
    page = tmp_path / "audit.html"
    repository = tmp_path / "repo"
    repository.mkdir()
    page.write_text(html.render(run(hostile_repository(repository))))
    dom = rendered_dom(page)
    assert "<body>" in dom and 'data-pwned="1"' not in dom


def test_filters_work_in_a_browser(tmp_path):
    page = tmp_path / "audit.html"
    result = run(DEMO)
    page.write_text(html.render(result))
    errors = sum(f.severity.label == "error" for f in result.findings)
    dom = rendered_dom(page, "#severity=error")
    assert dom.count('class="finding sev-error') == errors
    assert len(re.findall(r'<article class="finding [^"]*"', dom)) == len(result.findings)
    visible = re.findall(r'<article class="finding (sev-\w+)"', dom)  # hidden ones carry the class "hidden"
    assert visible == ["sev-error"] * errors
    assert f'<span id="shown">{errors}</span>' in dom
