"""The README's TypeScript example is the file the client's `tsc --strict` build type-checks."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "clients" / "typescript" / "examples" / "readme.ts"


def _without_header(source: str) -> str:
    """The example's code: the file opens with comment lines saying what it is."""
    lines = source.splitlines()
    while lines and lines[0].startswith("//"):
        lines.pop(0)
    return "\n".join(lines).strip()


def test_the_readme_typescript_example_is_the_type_checked_file():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```ts\n(.*?)```", readme, re.DOTALL)
    assert len(blocks) == 1, "the README should hold one TypeScript example"
    assert blocks[0].strip() == _without_header(EXAMPLE.read_text())


def test_the_readme_python_example_compiles_and_its_imports_exist():
    readme = (ROOT / "README.md").read_text()
    block = re.search(
        r"## Use it from TypeScript / Python.*?```python\n(.*?)```", readme, re.DOTALL
    )
    assert block, "the README's Python example is missing"
    tree = ast.parse(block.group(1))
    imports = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    assert imports
    exec(compile(ast.Module(body=imports, type_ignores=[]), "README.md", "exec"), {})
