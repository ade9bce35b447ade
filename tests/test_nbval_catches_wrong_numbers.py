"""A wrong number in a stored output must make the notebook validation fail."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_nbval(notebook: Path):
    env = {**os.environ, "SECORGS_RENDERER": "book"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", str(notebook), "-q", "-p", "no:cacheprovider",
         "--nbval-sanitize-with", str(ROOT / "tests" / "sanitize.cfg"), "-x"],
        capture_output=True, text=True, cwd=notebook.parent, env=env)


def test_a_tampered_glued_number_fails_nbval(tmp_path):
    source = ROOT / "chapters" / "data_appendix.ipynb"
    nb = json.loads(source.read_text(encoding="utf-8"))
    tampered = False
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            plain = output.get("data", {}).get("application/papermill.record/text/plain")  # a glued value
            if plain and not tampered and any(ch.isdigit() for ch in "".join(plain)):
                text = "".join(plain)
                digit = next(ch for ch in text if ch.isdigit())
                output["data"]["application/papermill.record/text/plain"] = text.replace(digit, str((int(digit) + 1) % 10), 1)
                tampered = True
    assert tampered, "no numeric output found to tamper with"
    copy = tmp_path / "chapters" / source.name
    copy.parent.mkdir()
    copy.write_text(json.dumps(nb), encoding="utf-8")
    result = run_nbval(copy)
    assert result.returncode != 0, result.stdout[-2000:]
    assert "mismatch" in result.stdout.lower() or "failed" in result.stdout.lower()


def test_the_untampered_copy_passes(tmp_path):
    copy = tmp_path / "chapters" / "data_appendix.ipynb"
    copy.parent.mkdir()
    shutil.copy2(ROOT / "chapters" / "data_appendix.ipynb", copy)
    result = run_nbval(copy)
    assert result.returncode == 0, result.stdout[-2000:]
