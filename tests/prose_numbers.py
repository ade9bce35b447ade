"""Find numbers typed by hand into the prose of chapter notebooks.

A digit may appear in a markdown cell only inside a role (``{glue}``, ``{cite}``, ``{ref}``,
``{numref}``, ``{doc}`` ...), inline code, maths, a fenced code block, a link target, a directive
option or an HTML comment, or as part of a name on :data:`ALLOWED_NAMES`.
"""
import json
import re
from pathlib import Path

ALLOWED_NAMES = re.compile(r"ASEAN\s*\+\s*3|\bG20\b|\bCOVID-19\b")
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,}|:{3,})\s*(\{?[\w:-]*\}?)")
CODE_FENCE_INFO = re.compile(r"^(\{code-cell\}|\{code-block\}|\{code\}|\{math\}|\w*)$")
STRIP = [
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"\$\$.*?\$\$", re.S),
    re.compile(r"\$[^$\n]+\$"),
    re.compile(r"\{[\w:-]+\}`[^`]*`"),          # roles
    re.compile(r"``[^`]+``|`[^`\n]+`"),          # inline code
    re.compile(r"\]\([^)]*\)"),                  # link targets
    re.compile(r"<https?://[^>]+>|https?://\S+"),
    re.compile(r"^\s*:[\w-]+:.*$", re.M),        # directive options
    re.compile(r"^\s*\([\w-]+\)=\s*$", re.M),    # labels
]


def without_code_blocks(text: str) -> str:
    kept, stack = [], []
    for line in text.split("\n"):
        m = FENCE.match(line)
        if m:
            fence, info = m.group(2), m.group(3)
            if stack and stack[-1][0] == fence and not info:
                stack.pop()
                continue
            if not any(code for _, code in stack):
                stack.append((fence, bool(CODE_FENCE_INFO.fullmatch(info)) and not fence.startswith(":")))
                continue
        if not any(code for _, code in stack):
            kept.append(line)
    return "\n".join(kept)


def hand_typed_numbers(markdown: str) -> list[str]:
    text = without_code_blocks(markdown)
    for pattern in STRIP:
        text = pattern.sub(" ", text)
    text = ALLOWED_NAMES.sub(" ", text)
    return [n.rstrip(".,") for n in re.findall(r"\d[\d,.]*", text)]


def scan_notebook(path: Path) -> list[tuple[int, str]]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            found += [(index, number) for number in hand_typed_numbers(source)]
    return found
