"""Offline checks of the deployment files: no Docker engine, no cluster.

    python deploy/validate.py k8s deploy/k8s/base deploy/k8s/overlays/production
    python deploy/validate.py compose deploy/compose.yaml

`k8s` renders each kustomization with `kubectl kustomize` and checks every object:
built-in kinds against the Kubernetes JSON schemas bundled with kubernetes-validate (strict:
unknown fields are errors), for the oldest and the newest Kubernetes we support; the CRDs
we use (KEDA ScaledObject, Prometheus Operator ServiceMonitor/PodMonitor) against the
small schemas below; and the references between objects (selectors, scale targets,
ConfigMaps). `compose` checks the structure deploy/README.md promises.
Prints one line per file checked; exits 1 on any problem. deploy/check runs both;
tests/deploy imports this module.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
# The oldest Kubernetes the manifests claim (autoscaling/v2, policy/v1, Pod Security
# admission labels are all GA there) and the newest kubernetes-validate knows.
KUBERNETES_VERSIONS = ("1.25.0", None)

Doc = dict[str, Any]

_STR = {"type": "string"}
_INT = {"type": "integer"}
_LABELS = {"type": "object", "additionalProperties": _STR}
_SELECTOR = {
    "type": "object",
    "properties": {"matchLabels": _LABELS, "matchExpressions": {"type": "array"}},
    "additionalProperties": False,
}
_METADATA = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": _STR,
        "namespace": _STR,
        "labels": _LABELS,
        "annotations": _LABELS,
    },
}
_BEHAVIOR = {"type": "object"}  # autoscaling/v2 HPA behavior, checked by the API server


def _crd(spec: Doc) -> Doc:
    return {
        "type": "object",
        "required": ["apiVersion", "kind", "metadata", "spec"],
        "properties": {"apiVersion": _STR, "kind": _STR, "metadata": _METADATA, "spec": spec},
        "additionalProperties": False,
    }


# The fields of keda.sh/v1alpha1 ScaledObject (KEDA 2.x). Trigger metadata is a map of
# strings: an unquoted `false` or `200` there is rejected by the API server.
SCALED_OBJECT = _crd(
    {
        "type": "object",
        "required": ["scaleTargetRef", "triggers"],
        "additionalProperties": False,
        "properties": {
            "scaleTargetRef": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": False,
                "properties": {
                    "apiVersion": _STR,
                    "kind": _STR,
                    "name": _STR,
                    "envSourceContainerName": _STR,
                },
            },
            "pollingInterval": _INT,
            "cooldownPeriod": _INT,
            "initialCooldownPeriod": _INT,
            "idleReplicaCount": _INT,
            "minReplicaCount": _INT,
            "maxReplicaCount": _INT,
            "fallback": {
                "type": "object",
                "required": ["failureThreshold", "replicas"],
                "additionalProperties": False,
                "properties": {"failureThreshold": _INT, "replicas": _INT, "behavior": _STR},
            },
            "advanced": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "restoreToOriginalReplicaCount": {"type": "boolean"},
                    "horizontalPodAutoscalerConfig": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {"name": _STR, "behavior": _BEHAVIOR},
                    },
                    "scalingModifiers": {"type": "object"},
                },
            },
            "triggers": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["type", "metadata"],
                    "additionalProperties": False,
                    "properties": {
                        "type": _STR,
                        "name": _STR,
                        "metadata": {"type": "object", "additionalProperties": _STR},
                        "authenticationRef": {"type": "object"},
                        "metricType": {"enum": ["AverageValue", "Value", "Utilization"]},
                        "useCachedMetrics": {"type": "boolean"},
                    },
                },
            },
        },
    }
)
_SCRAPE_ENDPOINT = {
    "type": "object",
    "required": ["port"],
    "properties": {"port": _STR, "path": _STR, "interval": _STR, "scrapeTimeout": _STR},
}
SERVICE_MONITOR = _crd(
    {
        "type": "object",
        "required": ["selector", "endpoints"],
        "additionalProperties": False,
        "properties": {
            "selector": _SELECTOR,
            "endpoints": {"type": "array", "minItems": 1, "items": _SCRAPE_ENDPOINT},
            "namespaceSelector": {"type": "object"},
            "jobLabel": _STR,
            "targetLabels": {"type": "array"},
            "podTargetLabels": {"type": "array"},
        },
    }
)
POD_MONITOR = _crd(
    {
        "type": "object",
        "required": ["selector", "podMetricsEndpoints"],
        "additionalProperties": False,
        "properties": {
            "selector": _SELECTOR,
            "podMetricsEndpoints": {"type": "array", "minItems": 1, "items": _SCRAPE_ENDPOINT},
            "namespaceSelector": {"type": "object"},
            "jobLabel": _STR,
            "podTargetLabels": {"type": "array"},
        },
    }
)
CRD_SCHEMAS = {
    ("keda.sh/v1alpha1", "ScaledObject"): SCALED_OBJECT,
    ("monitoring.coreos.com/v1", "ServiceMonitor"): SERVICE_MONITOR,
    ("monitoring.coreos.com/v1", "PodMonitor"): POD_MONITOR,
}
WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "Job")


def kubectl() -> str | None:
    """The kubectl to render with: $KUBECTL, else the one on PATH."""
    return os.environ.get("KUBECTL") or shutil.which("kubectl")


def render(kustomization: Path | str) -> list[Doc]:
    """`kubectl kustomize` of one directory, as a list of objects."""
    binary = kubectl()
    if binary is None:
        raise RuntimeError("kubectl not found (set KUBECTL or install kubernetes-client)")
    result = subprocess.run(
        [binary, "kustomize", str(kustomization)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"kubectl kustomize {kustomization} failed:\n{result.stderr}")
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def pod_spec(doc: Doc) -> Doc | None:
    if doc.get("kind") in WORKLOADS:
        return doc["spec"]["template"]["spec"]
    return None


def _name(doc: Doc) -> str:
    return f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"


def _matches(selector: Doc, labels: dict[str, str]) -> bool:
    wanted = selector.get("matchLabels") or {}
    return bool(wanted) and all(labels.get(key) == value for key, value in wanted.items())


def schema_errors(docs: list[Doc]) -> list[str]:
    """Each object against its schema (kubernetes-validate's, or ours for the CRDs)."""
    import jsonschema
    import kubernetes_validate
    from kubernetes_validate.utils import SchemaNotFoundError, latest_version

    errors = []
    for doc in docs:
        crd = CRD_SCHEMAS.get((doc.get("apiVersion"), doc.get("kind")))
        if crd is not None:
            validator = jsonschema.Draft202012Validator(crd)
            for error in validator.iter_errors(doc):
                path = ".".join(str(part) for part in error.absolute_path)
                errors.append(f"{_name(doc)}: {path}: {error.message}")
            continue
        for version in KUBERNETES_VERSIONS:
            version = version or latest_version()
            try:
                kubernetes_validate.validate(doc, version, strict=True)
            except SchemaNotFoundError:
                errors.append(f"{_name(doc)}: no schema for {doc.get('apiVersion')} in {version}")
            except jsonschema.ValidationError as error:
                path = ".".join(str(part) for part in error.path)
                errors.append(f"{_name(doc)} (Kubernetes {version}): {path}: {error.message}")
    return errors


def reference_errors(docs: list[Doc]) -> list[str]:
    """What the schemas cannot see: objects that point at objects that are not there."""
    errors = []
    by_kind: dict[str, dict[str, Doc]] = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc
    workloads = [doc for doc in docs if pod_spec(doc) is not None]
    config_maps = by_kind.get("ConfigMap", {})

    for doc in workloads:
        spec = pod_spec(doc)
        assert spec is not None
        volumes = {volume["name"] for volume in spec.get("volumes", [])}
        for volume in spec.get("volumes", []):
            name = (volume.get("configMap") or {}).get("name")
            if name and name not in config_maps:
                errors.append(f"{_name(doc)}: volume {volume['name']}: no ConfigMap {name}")
        for container in spec.get("initContainers", []) + spec["containers"]:
            for source in container.get("envFrom", []):
                name = (source.get("configMapRef") or {}).get("name")
                if name and name not in config_maps:
                    errors.append(f"{_name(doc)}: {container['name']}: no ConfigMap {name}")
            for mount in container.get("volumeMounts", []):
                if mount["name"] not in volumes:
                    errors.append(f"{_name(doc)}: {container['name']}: no volume {mount['name']}")
        if doc["kind"] != "Job":
            template_labels = doc["spec"]["template"]["metadata"].get("labels", {})
            if not _matches(doc["spec"]["selector"], template_labels):
                errors.append(f"{_name(doc)}: selector does not match its pod template")

    def pods_of(selector: Doc) -> list[Doc]:
        return [
            doc
            for doc in workloads
            if doc["kind"] != "Job"
            and _matches(selector, doc["spec"]["template"]["metadata"].get("labels", {}))
        ]

    def container_ports(workload: Doc) -> set[str]:
        spec = pod_spec(workload) or {}
        return {
            port["name"]
            for container in spec.get("containers", [])
            for port in container.get("ports", [])
            if "name" in port
        }

    for service in by_kind.get("Service", {}).values():
        targets = pods_of({"matchLabels": service["spec"].get("selector", {})})
        if not targets:
            errors.append(f"{_name(service)}: selects no pods")
        for port in service["spec"]["ports"]:
            target = port.get("targetPort")
            if isinstance(target, str) and not all(target in container_ports(t) for t in targets):
                errors.append(f"{_name(service)}: targetPort {target} is no container port")
    for budget in by_kind.get("PodDisruptionBudget", {}).values():
        if not pods_of(budget["spec"]["selector"]):
            errors.append(f"{_name(budget)}: selects no pods")
    for kind in ("HorizontalPodAutoscaler", "ScaledObject"):
        for scaler in by_kind.get(kind, {}).values():
            target = scaler["spec"]["scaleTargetRef"]["name"]
            if target not in by_kind.get("Deployment", {}):
                errors.append(f"{_name(scaler)}: no Deployment {target}")
    for monitor in by_kind.get("ServiceMonitor", {}).values():
        services = [
            service
            for service in by_kind.get("Service", {}).values()
            if _matches(monitor["spec"]["selector"], service["metadata"].get("labels", {}))
        ]
        if not services:
            errors.append(f"{_name(monitor)}: selects no Service")
        for endpoint in monitor["spec"]["endpoints"]:
            if not all(
                any(port.get("name") == endpoint["port"] for port in service["spec"]["ports"])
                for service in services
            ):
                errors.append(f"{_name(monitor)}: no Service port {endpoint['port']}")
    for monitor in by_kind.get("PodMonitor", {}).values():
        targets = pods_of(monitor["spec"]["selector"])
        if not targets:
            errors.append(f"{_name(monitor)}: selects no pods")
        for endpoint in monitor["spec"]["podMetricsEndpoints"]:
            if not all(endpoint["port"] in container_ports(target) for target in targets):
                errors.append(f"{_name(monitor)}: no container port {endpoint['port']}")
    return errors


def check_kustomization(path: str) -> list[str]:
    try:
        docs = render(path)
    except RuntimeError as error:
        return [str(error)]
    return schema_errors(docs) + reference_errors(docs)


def compose_errors(path: Path | str) -> list[str]:
    """deploy/compose.yaml: health-gated start order, and workers that can be scaled."""
    compose = yaml.safe_load(Path(path).read_text())
    services = compose.get("services", {})
    errors = []
    for name in ("postgres", "redis", "migrate", "api", "worker"):
        if name not in services:
            errors.append(f"no service {name}")
    if errors:
        return errors
    for name in ("postgres", "redis"):
        if "test" not in (services[name].get("healthcheck") or {}):
            errors.append(f"{name}: no healthcheck to gate on")
    if services["migrate"].get("restart") != "no":
        errors.append("migrate: a one-shot must not restart")
    wanted = {
        "postgres": "service_healthy",
        "redis": "service_healthy",
        "migrate": "service_completed_successfully",
    }
    for name in ("api", "worker"):
        depends = services[name].get("depends_on") or {}
        for dependency, condition in wanted.items():
            if (depends.get(dependency) or {}).get("condition") != condition:
                errors.append(f"{name}: does not wait for {dependency} ({condition})")
    if (services["migrate"].get("depends_on") or {}).get("postgres", {}).get(
        "condition"
    ) != "service_healthy":
        errors.append("migrate: does not wait for postgres healthy")
    worker = services["worker"]
    for key in ("container_name", "ports"):
        if key in worker:
            errors.append(f"worker: {key} stops `--scale worker=N`")
    if "SUPPORTDESK_WORKER_METRICS_PORT" not in (worker.get("environment") or {}):
        errors.append("worker: no SUPPORTDESK_WORKER_METRICS_PORT")
    for name in ("migrate", "api", "worker"):
        environment = services[name].get("environment") or {}
        secret_keys = str(environment.get("SUPPORTDESK_SECRET_KEYS", ""))
        if not secret_keys.startswith("${SUPPORTDESK_SECRET_KEYS"):
            errors.append(f"{name}: SUPPORTDESK_SECRET_KEYS must come from the environment")
    return errors


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("k8s", "compose"):
        print(__doc__, file=sys.stderr)
        return 2
    failed = False
    for path in argv[1:]:
        errors = compose_errors(path) if argv[0] == "compose" else check_kustomization(path)
        if errors:
            failed = True
            print(f"FAIL {path}")
            for error in errors:
                print(f"  {error}")
        else:
            print(f"ok   {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
