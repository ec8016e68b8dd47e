"""Spectral on the committed spec: spectral:oas plus the OWASP API security rules, as
`.spectral.yaml` says."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPECTRAL = ROOT / "clients" / "typescript" / "node_modules" / ".bin" / "spectral"
# Only errors fail: warnings (strings without a format or pattern...) are advice.
LINT = ["lint", "--ruleset", ".spectral.yaml", "--fail-severity", "error", "--format", "text"]


def test_spec_has_no_spectral_errors():
    if not SPECTRAL.exists():
        raise FileNotFoundError("run scripts/test: it runs npm ci in clients/typescript")
    result = subprocess.run(
        [str(SPECTRAL), *LINT, "--display-only-failures", "openapi/openapi.json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode not in (0, 1):  # 1: lint errors; anything else: Spectral itself
        raise RuntimeError(f"spectral exited {result.returncode}: {result.stderr[-2000:]}")
    assert result.returncode == 0, result.stdout[-4000:]
