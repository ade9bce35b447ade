"""Find numbers typed by hand into the prose of chapter notebooks.

The markdown is parsed (markdown-it, with MyST's roles, maths, targets and colon fences), not
pattern-matched, so that what counts as prose is what the book renders as prose:

* digits in text are hand-typed, unless part of a name on :data:`ALLOWED_NAMES`;
* spelled-out numbers used as counts ("eleven members", "two of them") are hand-typed too, unless the
  phrase is an idiom on :data:`IDIOMS`;
* digits in code spans, in fences of plain text, in MyST substitutions (``{{ ... }}``) and numbers of
  two or more digits in maths are hand-typed numbers in disguise;
* roles (``{glue}``, ``{cite}``, ``{numref}`` ...), link targets, labels, directive options, HTML
  comments and code fences in a programming language are not prose.

Directive bodies (admonitions, exercises, solutions, figure captions) are parsed as prose in turn.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

#: Proper names that contain numbers, in digits or words, and are not quantities.
ALLOWED_NAMES = re.compile(r"ASEAN\s*\+\s*3|\bG20\b|\bCOVID-19\b|\b9/11\b"
                           r"|\bPlus\s+Three\b|\bShanghai\s+Five\b"  # ASEAN Plus Three; the SCO's forerunner
                           r"|\bthree\s+evils\b"                       # the SCO's own name for what it fights
                           r"|\bFive-Point\s+Consensus\b"              # ASEAN's plan for Myanmar (2021)
                           r"|\btrack[ -]two\b", re.I)                  # unofficial diplomacy

NUMBER_WORDS = ("two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
                "dozen").split()  # 'one' is left out (one of, one another); million etc. are units after a glue
SPELLED = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b(?:[ -](\w+))?", re.I)

#: Spelled-out numbers that are idioms, not counts of anything in the data. Each entry matches the
#: number word and the word after it.
IDIOMS = re.compile(
    r"^(?:"
    r"two[ -](?:sides|way|level|stage|track|edged|fold|thirds)"  # "a two-track approach", "two-thirds"
    r"|three[ -](?:stage|fold)"                                      # the ARF Concept Paper's "three-stage approach"
    r"|dozens?[ -]of"                                                # an order of magnitude, not a count
    r")$", re.I)

FENCE_CODE_LANGUAGES = re.compile(r"python|py|ipython3?|bash|sh|shell|console|bibtex|json|yaml|toml|csv")
CODE_DIRECTIVES = {"code-cell", "code-block", "code", "literalinclude", "math", "raw", "mermaid"}
SUBSTITUTION = re.compile(r"\{\{(.*?)\}\}", re.S)
OPTION = re.compile(r"^\s*:[\w-]+:.*$", re.M)


def _parser() -> MarkdownIt:
    return (MarkdownIt("commonmark").use(myst_role_plugin).use(myst_block_plugin)
            .use(dollarmath_plugin, allow_digits=True).use(colon_fence_plugin).enable("table"))


PARSER = _parser()


def _directive(info: str) -> str | None:
    match = re.match(r"^\{([\w:-]+)\}", info.strip())
    return match.group(1) if match else None


def _text_findings(text: str) -> list[str]:
    found = []
    for match in SUBSTITUTION.finditer(text):
        found += re.findall(r"\d[\d,.]*", match.group(1))
    text = SUBSTITUTION.sub(" ", text)
    text = ALLOWED_NAMES.sub(" ", text)
    found += [n.rstrip(".,") for n in re.findall(r"\d[\d,.]*", text)]
    for match in SPELLED.finditer(text):
        phrase = match.group(0)
        if not IDIOMS.match(phrase):
            found.append(phrase)
    return found


def _inline_findings(children) -> list[str]:
    found, text = [], []
    for token in list(children or []) + [None]:
        if token is not None and token.type in ("text", "softbreak", "hardbreak"):
            text.append(token.content if token.type == "text" else " ")  # a sentence may wrap
            continue
        found += _text_findings("".join(text))
        text = []
        if token is None:
            break
        if token.type == "code_inline":
            found += re.findall(r"(?<![\w/.-])\d[\d,.]*(?![\w/-])", token.content)
        elif token.type in ("math_inline", "math_inline_double"):
            found += re.findall(r"\d{2,}", token.content)
    return found


def hand_typed_numbers(markdown: str) -> list[str]:
    """Every hand-typed number in a markdown cell, in order of appearance."""
    markdown = re.sub(r"<!--.*?-->", " ", markdown, flags=re.S)
    found = []
    for token in PARSER.parse(markdown):
        if token.type == "inline":
            found += _inline_findings(token.children)
        elif token.type in ("fence", "colon_fence"):
            name = _directive(token.info)
            if name is None:
                language = token.info.strip().split(" ")[0]
                if token.type == "fence" and not FENCE_CODE_LANGUAGES.fullmatch(language or "-"):
                    found += re.findall(r"\d[\d,.]*", token.content)  # a text fence is prose in disguise
            elif name not in CODE_DIRECTIVES:
                found += hand_typed_numbers(OPTION.sub("", token.content))
        elif token.type in ("math_block", "math_block_label"):
            found += re.findall(r"\d{2,}", token.content)
    return found


def scan_notebook(path: Path) -> list[tuple[int, str]]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            found += [(index, number) for number in hand_typed_numbers(source)]
    return found
