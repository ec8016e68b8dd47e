"""The clients generated from the OpenAPI spec (`supportdesk openapi`): TypeScript types by
openapi-typescript (clients/typescript/src/schema.ts) and a Python package by
openapi-python-client (clients/python), each generated into a scratch folder first."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi" / "openapi.json"
# The clients generated from the spec, and what tools leave beside them that is not generated
# (an editable install's metadata, bytecode, the formatter's cache).
CLIENTS = ROOT / "clients"
TYPESCRIPT = CLIENTS / "typescript"
TYPESCRIPT_SCHEMA = TYPESCRIPT / "src" / "schema.ts"
PYTHON_CLIENT = CLIENTS / "python"
NOT_GENERATED = ("__pycache__", "*.egg-info", ".ruff_cache")


def _run_generator(command: list[str], cwd: Path) -> None:
    """Runs a generator with this venv's tools first on PATH (openapi-python-client's ruff)."""
    import subprocess

    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "")])}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{Path(command[0]).name} failed:\n{result.stdout}\n{result.stderr}")


def generate_clients(spec: Path, into: Path) -> None:
    """Generates both clients from `spec`: `into/schema.ts` (openapi-typescript, the
    TypeScript client's types) and `into/python` (openapi-python-client)."""
    typescript = TYPESCRIPT / "node_modules" / ".bin" / "openapi-typescript"
    if not typescript.exists():
        sys.exit("clients/typescript has no node_modules: run `npm ci` there (scripts/test does)")
    # Properties with a server default stay optional: they are optional in request bodies.
    _run_generator(
        [
            *(str(typescript), str(spec)),
            *("--default-non-nullable", "false"),
            *("--output", str(into / "schema.ts")),
        ],
        cwd=TYPESCRIPT,
    )
    _run_generator(
        [
            *(str(Path(sys.executable).parent / "openapi-python-client"), "generate"),
            *("--path", str(spec)),
            *("--config", str(CLIENTS / "openapi-python-client.yaml")),
            *("--meta", "setup", "--output-path", str(into / "python")),
        ],
        cwd=into,
    )


def _generated(path: Path) -> bool:
    """False for what tools leave in a generated tree (NOT_GENERATED, at any depth)."""
    from fnmatch import fnmatch

    return not any(fnmatch(part, pattern) for part in path.parts for pattern in NOT_GENERATED)


def _tree(root: Path) -> dict[str, bytes]:
    """Every generated file under `root` by relative path, with its content."""
    files = (path for path in root.rglob("*") if path.is_file())
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in files
        if _generated(path.relative_to(root))
    }


def _stale(spec: str, scratch: Path) -> list[str]:
    """The committed artefacts that differ from what the served spec generates."""
    stale = []
    if not SPEC_PATH.exists() or SPEC_PATH.read_text() != spec:
        stale.append("openapi/openapi.json")
    if (
        not TYPESCRIPT_SCHEMA.exists()
        or TYPESCRIPT_SCHEMA.read_bytes() != (scratch / "schema.ts").read_bytes()
    ):
        stale.append("clients/typescript/src/schema.ts")
    if _tree(PYTHON_CLIENT) != _tree(scratch / "python"):
        stale.append("clients/python")
    return stale


def _write(spec: str, scratch: Path) -> None:
    import shutil

    SPEC_PATH.parent.mkdir(exist_ok=True)
    SPEC_PATH.write_text(spec)
    shutil.copyfile(scratch / "schema.ts", TYPESCRIPT_SCHEMA)
    for entry in PYTHON_CLIENT.glob("*"):
        if not _generated(Path(entry.name)):
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    shutil.copytree(
        scratch / "python",
        PYTHON_CLIENT,
        ignore=shutil.ignore_patterns(*NOT_GENERATED),
        dirs_exist_ok=True,
    )


def openapi(spec: str, *, check: bool) -> None:
    """Writes the spec and both clients generated from it, or (`check`) exits naming those that
    differ from what the served spec generates."""
    with tempfile.TemporaryDirectory(prefix="supportdesk-openapi-") as directory:
        scratch = Path(directory)
        (scratch / "openapi.json").write_text(spec)
        generate_clients(scratch / "openapi.json", scratch)
        if check:
            if stale := _stale(spec, scratch):
                sys.exit(f"stale: {', '.join(stale)}: run `supportdesk openapi`")
            print("openapi/openapi.json and the clients match the served spec")
            return
        _write(spec, scratch)
    print("wrote openapi/openapi.json, clients/typescript/src/schema.ts and clients/python")
