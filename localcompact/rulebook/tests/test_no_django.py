"""The rules package stands alone: importing it loads no part of Django."""

import subprocess
import sys


def test_the_rulebook_imports_without_django():
    code = (
        "import sys, localcompact.rulebook\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(loaded)\n"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
