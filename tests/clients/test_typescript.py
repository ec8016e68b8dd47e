"""The TypeScript client's own test (`npm test` in clients/typescript: a `tsc --strict` build,
then node's test runner) against a real server."""

import os
import re
import shutil
import subprocess
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "clients" / "typescript"


def test_typescript_client_walks_the_api_and_verifies_a_webhook(server_env: dict[str, str]):
    npm = shutil.which("npm")
    assert npm, "npm is missing: scripts/test installs Debian's nodejs and npm"
    assert (PACKAGE / "node_modules").is_dir(), "run scripts/test (it runs npm ci there)"
    result = subprocess.run(
        [npm, "test", "--silent"],
        cwd=PACKAGE,
        env={**os.environ, **server_env},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, f"npm test failed:\n{result.stdout}\n{result.stderr}"
    # The summary of node's spec reporter ends with lines like "pass 5" and "fail 0".
    assert re.search(r"pass [1-9]", result.stdout), result.stdout
    assert re.search(r"fail 0$", result.stdout, re.MULTILINE), result.stdout
