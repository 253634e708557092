import re
import subprocess
import sys
import textwrap
from pathlib import Path

LANDING_PAGE = Path(__file__).parents[1] / "docs" / "index.rst"


def test_landing_page_example_prints_the_output_the_page_shows():
    page = LANDING_PAGE.read_text(encoding="utf-8")
    code, output = re.search(
        r"\.\. code-block:: python\n\n(.*?)\n\n\.\. code-block:: text\n\n(.*?)\n\n",
        page,
        re.S,
    ).groups()
    assert len(code.splitlines()) <= 15  # an example to read at a glance
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == textwrap.dedent(output) + "\n"
