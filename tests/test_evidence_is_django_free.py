import pkgutil
import subprocess
import sys

import alongside.evidence


def test_the_evidence_library_imports_without_django():
    modules = [m.name for m in pkgutil.walk_packages(alongside.evidence.__path__, "alongside.evidence.")
               if not m.name.endswith("__main__")]  # __main__ runs the CLI on import
    # Make any attempt to import Django fail, then import every evidence module.
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'django' or name.startswith('django.'):\n"
        "            raise ImportError('evidence imported ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {modules!r}: __import__(m)\n"
        "print('ok', len(" + repr(modules) + "))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")
