"""A README read as a document: headings, code blocks with their info tags, inline code, links and tables, each
with its line. Markdown is parsed with markdown-it-py (CommonMark plus tables); reStructuredText by its headings,
literal blocks, links and tables; plain text by its indented and `$ ` lines.

The result is plain lists and dicts, so that it is cached with the rest of a file's facts.
"""
from __future__ import annotations

import re
from typing import Optional

_URL = re.compile(r"https?://[^\s<>\"'`)\]}|*]+")
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.I)
_IMG = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["'][^>]*>""", re.I)
_ALT = re.compile(r"""\balt\s*=\s*["']([^"']*)["']""", re.I)
_RST_IMAGE = re.compile(r"^\.\.\s+(?:\|[^|]+\|\s+)?(?:image|figure)::\s*(\S+)")
_HTML_ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S | re.I)
_HTML_CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S | re.I)
_HTML_TAG = re.compile(r"<[^>]+>")
_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+:.])\1{2,}\s*$")
_RST_LINK = re.compile(r"`([^`<]*)<(https?://[^>]+)>`_{1,2}")
_RST_DIRECTIVE = re.compile(r"^\.\.\s+(code-block|code|sourcecode|highlight)::\s*(\S*)")
_RST_INLINE = re.compile(r"``([^`]+)``")
_MD_INLINE = re.compile(r"`([^`\n]+)`")
_HTML_PRE = re.compile(r"<pre\b[^>]*>(.*?)</pre>", re.S | re.I)


def empty() -> dict:
    return {"headings": [], "blocks": [], "inline": [], "links": [], "tables": [], "images": []}


def parse_readme(name: str, text: str) -> dict:
    """headings [level, text, line]; blocks [info, [[line, code], ...]]; inline [code, line]; links [url, label,
    line]; tables [line, header, rows]."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix in ("md", "markdown", "mdown", "mkd"):
        doc = _markdown(text)
    elif suffix in ("rst", "rest"):
        doc = _restructured_text(text)
    else:
        doc = _plain(text)
    _bare_urls(text, doc)
    return doc


# ---------------------------------------------------------------- Markdown

def _markdown(text: str) -> dict:
    from markdown_it import MarkdownIt

    doc = empty()
    lines = text.split("\n")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    table: Optional[list] = None
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            doc["headings"].append([int(token.tag[1:]), tokens[index + 1].content.strip(), token.map[0] + 1])
        elif token.type in ("fence", "code_block") and token.map:
            first = token.map[0] + (2 if token.type == "fence" else 1)
            code = token.content.rstrip("\n").split("\n")
            doc["blocks"].append([token.info.strip(), [[first + i, line] for i, line in enumerate(code)]])
        elif token.type == "table_open":
            table = [token.map[0] + 1, [], []]
        elif token.type == "table_close" and table is not None:
            if table[2]:
                table[1] = table[2].pop(0)  # the first row is the header
            doc["tables"].append(table)
            table = None
        elif token.type == "tr_open" and table is not None:
            table[2].append([])
        elif token.type == "inline" and token.map:
            if table is not None and table[2]:
                table[2][-1].append(token.content.strip())
            _inline(token, lines, doc)
            for offset, prose in enumerate(token.content.split("\n")):  # `python train.py` as a line of prose
                quoted = [q for q in _QUOTED.findall(prose) if _SCRIPT_RUN.match(q)]  # run "python demo.py coat"
                for command in quoted or ([prose.strip()] if _SCRIPT_RUN.match(prose.strip()) else []):
                    doc["inline"].append([command, token.map[0] + 1 + offset])
        elif token.type == "html_block" and token.map:
            for url in _HREF.findall(token.content):
                doc["links"].append([url, "", _line_in(lines, token.map, url)])
            _html_images(token.content, token.map, lines, doc)
            rows = [[_HTML_TAG.sub("", cell).strip() for cell in _HTML_CELL.findall(row)]
                    for row in _HTML_ROW.findall(token.content)]
            if rows:
                doc["tables"].append([token.map[0] + 1, rows[0], rows[1:]])
    _html_code(text, doc)
    return doc


def _html_code(text: str, doc: dict) -> None:
    """`<pre>` elements, which GitHub shows as code: READMEs write commands and BibTeX in them too."""
    import html

    in_code = {line for _, block in doc["blocks"] for line, _ in block}
    for match in _HTML_PRE.finditer(text):
        first = text.count("\n", 0, match.start(1)) + 1
        if first in in_code:
            continue  # HTML shown as a listing, not a `<pre>` GitHub renders
        code = html.unescape(_HTML_TAG.sub("", match.group(1))).split("\n")
        block = [[first + i, line] for i, line in enumerate(code) if line.strip()]
        if block:
            doc["blocks"].append(["", block])


def _inline(token, lines: list, doc: dict) -> None:
    label: list = []
    href = None
    for child in token.children or []:
        if child.type == "link_open":
            href, label = child.attrs.get("href", ""), []
        elif child.type == "link_close" and href is not None:
            doc["links"].append([href, "".join(label).strip(), _line_in(lines, token.map, href)])
            href = None
        elif child.type == "code_inline":
            doc["inline"].append([child.content, _line_in(lines, token.map, child.content)])
            label.append(child.content)
        elif child.type == "image":
            src = child.attrs.get("src", "")
            doc["images"].append([src, child.content, _line_in(lines, token.map, src)])
        elif child.type in ("text", "html_inline"):
            label.append(child.content)
            for url in _HREF.findall(child.content) if child.type == "html_inline" else ():
                doc["links"].append([url, "", _line_in(lines, token.map, url)])
            if child.type == "html_inline":
                _html_images(child.content, token.map, lines, doc)


def _html_images(html: str, span: list, lines: list, doc: dict) -> None:
    """[src, alt, line] of each `<img>` of a piece of HTML."""
    for tag in _IMG.finditer(html):
        alt = _ALT.search(tag.group(0))
        doc["images"].append([tag.group(1), alt.group(1) if alt else "", _line_in(lines, span, tag.group(1))])


def _line_in(lines: list, span: list, needle: str) -> int:
    """The line (1-based) of a span's lines that holds a piece of inline content, else the span's first."""
    if span[1] - span[0] <= 1:  # a one-line paragraph: no search (thousands of links on one long line)
        return span[0] + 1
    for number in range(span[0], min(span[1], len(lines))):
        if needle and needle in lines[number]:
            return number + 1
    return span[0] + 1


# ---------------------------------------------------------------- reStructuredText

def _restructured_text(text: str) -> dict:
    doc = empty()
    lines = text.split("\n")
    number = 0
    while number < len(lines):
        line = lines[number]
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if line.strip() and _RST_UNDERLINE.match(following) and len(following.strip()) >= len(line.strip()) and \
                not _RST_UNDERLINE.match(line):
            doc["headings"].append([_rst_level(doc, following.strip()[0]), line.strip(), number + 1])
            number += 2
            continue
        image = _RST_IMAGE.match(line.strip())
        if image:
            doc["images"].append([image.group(1), "", number + 1])
        directive = _RST_DIRECTIVE.match(line.strip())
        if directive or (line.rstrip().endswith("::") and not line.strip().startswith("..")):
            block, number = _indented_block(lines, number + 1)
            if block:
                doc["blocks"].append([directive.group(2) if directive else "", block])
            continue
        if line.startswith(("+-", "+=")):
            number = _grid_table(lines, number, doc)
            continue
        if re.match(r"^=+(\s+=+)+\s*$", line):
            number = _simple_table(lines, number, doc)
            continue
        for label, url in _RST_LINK.findall(line):
            doc["links"].append([url, label.strip(), number + 1])
        for code in _RST_INLINE.findall(line):
            doc["inline"].append([code, number + 1])
        number += 1
    return doc


def _rst_level(doc: dict, mark: str) -> int:
    """Levels in order of first appearance of each underline character, as docutils assigns them."""
    seen = doc.setdefault("_marks", [])
    if mark not in seen:
        seen.append(mark)
    return seen.index(mark) + 1


def _indented_block(lines: list, start: int) -> tuple:
    """The indented lines after a `::` or a directive (options and blank lines skipped), and where they end."""
    number = start
    while number < len(lines) and (not lines[number].strip() or lines[number].strip().startswith(":")):
        number += 1
    block = []
    while number < len(lines) and (not lines[number].strip() or lines[number][:1] in (" ", "\t")):
        if lines[number].strip():
            block.append([number + 1, lines[number].strip()])
        number += 1
    return block, number


def _grid_table(lines: list, start: int, doc: dict) -> int:
    rows: list = []
    number = start
    while number < len(lines) and lines[number].startswith(("+", "|")):
        if lines[number].startswith("|"):
            rows.append([cell.strip() for cell in lines[number].strip().strip("|").split("|")])
        number += 1
    if rows:
        doc["tables"].append([start + 1, rows[0], rows[1:]])
    return number


def _simple_table(lines: list, start: int, doc: dict) -> int:
    rows: list = []
    number = start + 1
    borders = 1
    while number < len(lines) and borders < 3 and lines[number].strip():
        if re.match(r"^=+(\s+=+)+\s*$", lines[number]):
            borders += 1
        else:
            rows.append(re.split(r"\s{2,}", lines[number].strip()))
        number += 1
    if rows:
        doc["tables"].append([start + 1, rows[0], rows[1:]])
    return number


# ---------------------------------------------------------------- plain text

def _plain(text: str) -> dict:
    doc = empty()
    block: list = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith(("    ", "\t", "$ ")):
            block.append([number, line.strip().removeprefix("$ ")])
        elif block:
            doc["blocks"].append(["", block])
            block = []
    if block:
        doc["blocks"].append(["", block])
    return doc


def _bare_urls(text: str, doc: dict) -> None:
    """URLs written out in the text (GitHub links them) that no link or code block already holds."""
    known = {(url, line) for url, _, line in doc["links"]}
    in_code = {line for _, block in doc["blocks"] for line, _ in block}
    for number, line in enumerate(text.split("\n"), 1):
        if number in in_code:
            continue
        for url in _URL.findall(line):
            url = url.rstrip(".,;:")
            if (url, number) not in known and not any(k[0].startswith(url) and k[1] == number for k in known):
                doc["links"].append([url, "", number])
    doc.pop("_marks", None)


# ---------------------------------------------------------------- commands

_PROMPT = re.compile(r"^\s*(?:\([\w.-]+\)\s*)?(?:[\w@.-]+:[~\w/.-]*)?[$#%>]\s+")
_COMMAND_WORDS = re.compile(r"^(python[\d.]*|bash|sh|zsh|source|\./|torchrun|accelerate|deepspeed|pip[\d]*|conda|"
                            r"mamba|uv|poetry|pipenv|docker|make|srun|sbatch|mpirun|horovodrun|CUDA_VISIBLE_DEVICES|"
                            r"[A-Z_]+=|git|wget|curl|gdown|huggingface-cli|kaggle|jupyter|tensorboard)")


# A line that can only be a shell command, whatever the block's tag says (```yaml around `python eval.py`).
_SCRIPT_RUN = re.compile(r"^(python[\d.]*|bash|sh|torchrun|accelerate\s+launch|deepspeed)\s+(-m\s+[\w.]+|\S+\.(py|sh))"
                         r"(\s|$)")
_QUOTED = re.compile(r"[\"“']([^\"“”']+)[\"”']")
INLINE = "inline"  # the tag of a command written in running text, not in a code block
NOT_SHELL = {"toml", "yaml", "yml", "json", "jsonc", "ini", "cfg", "conf", "python", "py", "python3", "pycon",
             "ipython", "diff", "patch", "html", "xml", "js", "javascript", "ts", "css", "c", "cpp", "java", "go",
             "rust", "r", "julia", "sql", "dockerfile", "makefile", "bibtex", "bib", "latex", "tex", "markdown",
             "md", "rst", "csv", "mermaid", "text", "txt", "output", "log"}


def commands(doc: dict) -> list:
    """[line, command, info tag] of every shell command: the lines of code blocks that are not listings of another
    language (prompts stripped, `\\` continuations joined, Python REPL lines left out), and inline code that starts
    like a command (tagged INLINE)."""
    found = []
    session = ("", 0, 0)  # (`cd X && `, its section's level, its line): a block of only `cd X` holds for the section
    for info, block in doc["blocks"]:
        language = info.split()[0].lower() if info.split() else ""
        if language in NOT_SHELL:  # a config, Python or other listing: only a script run slipped into it
            found += [[line, code.strip(), language] for line, code in block if _SCRIPT_RUN.match(code.strip())]
            continue
        start = block[0][0]
        session = session if _same_section(doc, session, start) else ("", 0, 0)
        if _only_directory_changes(block):  # "First go to the experiments directory:" and `cd experiments`
            changes = "".join(_directory_changes(code) for _, code in block if code.strip())
            session = (session[0] + changes, _level(doc, start), start)
            continue
        pending: Optional[list] = None
        folder = session[0]  # a `cd` on one line of a block holds for the lines after it, as in a shell session
        for line, code in block:
            code = _PROMPT.sub("", code, count=1).strip()
            if not code or code.startswith(("#", ">>>", "...")):
                continue
            if pending is not None:
                pending[1] += " " + code.rstrip("\\").strip()
            else:
                pending = [line, folder + code.rstrip("\\").strip(), info.split()[0].lower() if info else ""]
            if not code.endswith("\\"):
                found.append(pending)
                folder += _directory_changes(pending[1][len(folder):])
                pending = None
        if pending is not None:
            found.append(pending)
    for code, line in doc["inline"]:
        code = _PROMPT.sub("", code, count=1).strip()
        if _COMMAND_WORDS.match(code) and " " in code:
            found.append([line, code, INLINE])
    return sorted(found, key=lambda c: c[0])


def _only_directory_changes(block: list) -> bool:
    lines = [_PROMPT.sub("", code, count=1).strip() for _, code in block]
    lines = [code for code in lines if code and not code.startswith("#")]
    return bool(lines) and all(re.fullmatch(r"cd\s+[^\s;&|]+", code) for code in lines)


def _level(doc: dict, line: int) -> int:
    """The level of the heading a line sits under (0 above the first heading)."""
    return max([level for level, _, at in doc["headings"] if at <= line][-1:] or [0])


def _same_section(doc: dict, session: tuple, line: int) -> bool:
    """Whether a line is still in the section where a `cd` block was: no heading of its level or above between."""
    _, level, start = session
    return all(h_level > level for h_level, _, at in doc["headings"] if start < at <= line)


def _directory_changes(command: str) -> str:
    """`cd X && ` for each `cd` a command line makes, to carry into the block's next lines."""
    return "".join(f"cd {words[1]} && " for words in simple_commands(command) if words[0] == "cd" and len(words) == 2)


_ENV_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_WRAPPERS = {"sudo", "nohup", "time", "exec", "RUN", "$", "!", "%"}


def simple_commands(text: str) -> list:
    """The simple commands of a line as words, as the shell splits them (`&&`, `;`, pipes and backticks separate
    them; redirections are dropped)."""
    import shlex

    found = []
    for part in re.split(r"\s*(?:&&|\|\||;|\||`|\$\()\s*", text):
        part = re.split(r"\s(?:\d?>>?|<(?![\w.-]+>))\s?\S*", " " + part)[0].strip()  # `<script>.py` is a placeholder
        try:
            words = shlex.split(part, comments=True)
        except ValueError:
            words = part.split()
        if words:
            found.append(words)
    return found


def program_and_arguments(words: list) -> list:
    """A simple command without what only wraps it: prompts, `sudo`, `RUN`, `VAR=value` assignments."""
    i = 0
    while i < len(words) and (_ENV_ASSIGNMENT.match(words[i]) or words[i] in _WRAPPERS):
        i += 1
    return words[i:]


def section_of(doc: dict, line: int) -> list:
    """The headings a line sits under, outermost first."""
    path: list = []
    for level, text, at in doc["headings"]:
        if at > line:
            break
        path = [h for h in path if h[0] < level] + [(level, text)]
    return [text for _, text in path]
