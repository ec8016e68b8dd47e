"""Attachment upload and download throughput, and the API's memory while a file streams in.

Run from the repository root::

    .venv/bin/python bench/attachments.py                     # file folder, then moto S3
    .venv/bin/python bench/attachments.py --storages file --uploads 3
    .venv/bin/python bench/attachments.py --part-mib 5 --parts-in-flight 1   # writer variant

It drops and recreates the bench database, migrates it, and for each storage (a folder under
``bench/results/``; moto's S3 server on 127.0.0.1 with one bucket) starts one real
``supportdesk serve`` (uvicorn, one process) with a bootstrap admin key, then:

1. warm-up: one small upload; the API's idle RSS;
2. memory: one ``--size-mib`` (100) MiB upload while a thread samples the API's VmRSS every
   ``--sample-ms`` (20) ms, with VmHWM reset before it (``/proc/<pid>/clear_refs``) and read
   after; goal: peak - idle <= 30 MiB;
3. sequential: ``--uploads`` (5) uploads of that file, MiB/s each and overall;
4. concurrent: ``--concurrent`` (8) uploads of ``--concurrent-mib`` (10) MiB at once,
   aggregate MiB/s;
5. download of the 100 MiB file: from the API (file storage); from S3 the API answers 307 and
   the presigned URL is fetched from moto directly (moto's speed, not the app's).

Every upload is a multipart/form-data body built by hand and sent chunked by httpx from an
async generator (``--chunk-kib``, 1 MiB chunks): a valid MP4 ``ftyp`` box, then random
bytes. Each response's status, sha256, size and content type are checked, and every download's
sha256 and size; uploads are deleted through the API once timed. The CPU seconds of the API,
this bench (the client) and moto are read around each timed step. ``--part-mib`` and
``--parts-in-flight`` serve through this script's ``_serve`` mode instead, with the storage
writer's constants set in the process (``app/attachments/storage.py`` is not changed).
Server and moto logs and the last results go to ``bench/results/`` (git-ignored).
Exit status: 0 ok (the RSS verdict is informational), 1 setup error, 3 a request failed or a
sha256/size was wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import secrets
import shutil
import statistics
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
from harness import (
    RESULTS_DIR,
    BenchError,
    Process,
    add_common,
    app_env,
    code_line,
    cpu_seconds,
    drop_unless_kept,
    flush_redis,
    fmt,
    free_port,
    fresh_database,
    hwm_mib,
    log,
    parse,
    parser,
    process,
    provenance,
    reset_hwm,
    rounded,
    rss_mib,
    run_bench,
    supportdesk_bin,
    wait_until,
    write_report,
)

SCRIPT = str(Path(__file__).resolve())
DEFAULT_DATABASE = "supportdesk_bench_attachments"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/10"
MiB = 2**20
TARGET_RSS_GROWTH_MIB = 30.0  # peak - idle RSS of the API while one 100 MiB upload streams
STOP_TIMEOUT_S = 30.0
STORAGE_DIR = RESULTS_DIR / "attachments-storage"
BUCKET = "supportdesk-bench"
# obstore reads these; moto takes any credentials. The machine's own AWS setup is left out.
AWS_VARIABLES = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
AWS_UNSET = ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT", "AWS_ENDPOINT_URL", "AWS_REGION")
# An ISO base media `ftyp` box (24 bytes): the API sniffs video/mp4 from it.
FTYP = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
CONTENT_TYPE = "video/mp4"


# --------------------------------------------------------------------- results


@dataclass
class Upload:
    mib: float
    seconds: float
    mib_per_s: float
    # the API's RSS just before, and its peak (VmHWM) during this upload; None if unread
    rss_before_mib: float | None = None
    peak_mib: float | None = None
    # CPU seconds used meanwhile: the API, this bench (the client), moto (S3)
    cpu: dict[str, float] = field(default_factory=dict)
    problem: str | None = None


@dataclass
class Memory:
    idle_mib: float  # after the warm-up upload, the median of 10 samples over 0.5 s
    peak_sampled_mib: float  # the highest VmRSS sample while the upload streamed
    peak_hwm_mib: float | None  # VmHWM after, reset just before (None: reset refused)
    peak_mib: float
    growth_mib: float  # peak - idle
    samples: int
    sample_ms: float
    after_mib: float  # VmRSS 1 s after the upload's response
    upload: Upload
    # (seconds since the upload's start, MiB) every 100 ms or so
    series: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class Download:
    source: str  # "api" or "moto (presigned URL)"
    mib: float
    seconds: float
    mib_per_s: float
    api_status: int
    redirect_ms: float | None = None  # S3: the API's 307 answer
    peak_mib: float | None = None  # the API's VmHWM during the download (file storage)
    rss_before_mib: float | None = None
    cpu: dict[str, float] = field(default_factory=dict)
    problem: str | None = None


@dataclass
class StorageRun:
    storage: str
    url: str
    server_pid: int
    memory: Memory | None = None
    sequential: list[Upload] = field(default_factory=list)
    sequential_mib_per_s: float | None = None
    concurrent: list[Upload] = field(default_factory=list)
    concurrent_wall_s: float | None = None
    concurrent_mib_per_s: float | None = None
    concurrent_rss_before_mib: float | None = None
    concurrent_peak_mib: float | None = None
    concurrent_cpu: dict[str, float] = field(default_factory=dict)
    download: Download | None = None
    rss_end_mib: float | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class Result:
    params: dict[str, Any]
    code: dict[str, Any]
    runs: list[StorageRun] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------- CLI


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = parser(__doc__)
    p.add_argument("--storages", default="file,s3", help="comma list of file, s3 (in that order)")
    p.add_argument("--size-mib", type=int, default=100, help="the large file (memory, sequential)")
    p.add_argument("--uploads", type=int, default=5, help="sequential uploads of the large file")
    p.add_argument("--concurrent", type=int, default=8, help="uploads at once")
    p.add_argument("--concurrent-mib", type=int, default=10, help="size of each concurrent one")
    p.add_argument("--chunk-kib", type=int, default=1024, help="chunks the client sends")
    p.add_argument("--sample-ms", type=float, default=20.0, help="VmRSS sampling period")
    p.add_argument(
        "--part-mib",
        type=float,
        help="variant: serve through this script with app.attachments.storage.PART_BYTES set\n"
        "to this many MiB (the file is not changed; default: the app's, 8)",
    )
    p.add_argument(
        "--parts-in-flight",
        type=int,
        help="variant: ... and PARTS_IN_FLIGHT (default: the app's, 2)",
    )
    p.add_argument("--startup-timeout", type=float, default=60.0, help="seconds to /readyz 200")
    add_common(p, database=DEFAULT_DATABASE, redis_url=DEFAULT_REDIS_URL)
    args = parse(p, argv)
    storages = [s.strip() for s in args.storages.split(",") if s.strip()]
    if not storages or set(storages) - {"file", "s3"}:
        p.error("--storages takes file, s3 or both")
    args.storages = [s for s in ("file", "s3") if s in storages]
    if min(args.size_mib, args.uploads, args.concurrent, args.concurrent_mib, args.chunk_kib) < 1:
        p.error("sizes and counts must be positive")
    return args


# ---------------------------------------------------------------------- payloads


class Payload:
    """A file held in memory as the chunks the client sends: an MP4 header, random bytes."""

    def __init__(self, size: int, chunk: int, seed: int) -> None:
        data = FTYP + random.Random(seed).randbytes(size - len(FTYP))
        view = memoryview(data)
        self.chunks = [bytes(view[i : i + chunk]) for i in range(0, size, chunk)]
        self.size = size
        self.sha256 = hashlib.sha256(data).hexdigest()

    @property
    def mib(self) -> float:
        return self.size / MiB


def multipart(payload: Payload, filename: str) -> tuple[str, AsyncIterator[bytes]]:
    """The Content-Type and the body of a multipart/form-data upload of `payload` as `file`."""
    boundary = "bench-" + secrets.token_hex(16)
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        f"Content-Type: {CONTENT_TYPE}\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    async def body() -> AsyncIterator[bytes]:
        yield head
        for chunk in payload.chunks:
            yield chunk
        yield tail

    return f"multipart/form-data; boundary={boundary}", body()


# ------------------------------------------------------------------------ memory


def idle_rss(pid: int) -> float:
    """The median of 10 VmRSS samples over 0.5 s."""
    samples = []
    for _ in range(10):
        samples.append(rss_mib(pid))
        time.sleep(0.05)
    return statistics.median(samples)


class Sampler(threading.Thread):
    """VmRSS of a process every `period` s, on its own thread (the event loop uploads)."""

    def __init__(self, pid: int, period: float) -> None:
        super().__init__(daemon=True)
        self.pid, self.period = pid, period
        self.samples: list[tuple[float, float]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.samples.append((time.monotonic(), rss_mib(self.pid)))
            self.done.wait(self.period)

    def stop(self) -> list[tuple[float, float]]:
        self.done.set()
        self.join()
        self.samples.append((time.monotonic(), rss_mib(self.pid)))
        return self.samples


# ------------------------------------------------------------------------ client


@dataclass
class Api:
    base_url: str
    pid: int
    headers: dict[str, str]
    hwm: bool = True  # VmHWM can be reset
    # whose CPU time is read around each timed request: "api", "bench", "moto"
    pids: dict[str, int] = field(default_factory=dict)

    def cpu(self) -> dict[str, float]:
        """CPU seconds (user + system) each process has used so far."""
        return {name: cpu_seconds(pid) or 0.0 for name, pid in self.pids.items()}

    def cpu_since(self, before: dict[str, float]) -> dict[str, float]:
        now = self.cpu()
        return {name: round(now[name] - before[name], 2) for name in now}


def peak_since_reset(api: Api) -> float | None:
    """The API's VmHWM, i.e. its peak RSS since the last reset_hwm(); None if not resettable."""
    return round(hwm_mib(api.pid), 1) if api.hwm else None


def fail(what: str, response: httpx.Response) -> str:
    return f"{what}: HTTP {response.status_code}: {response.text[:300]}"


async def upload(
    client: httpx.AsyncClient, api: Api, payload: Payload, name: str, *, delete: bool
) -> tuple[Upload, str | None]:
    """One upload, timed from the request's start to its response; checked. Returns it and
    the attachment's id (None once deleted, or if it failed)."""
    content_type, body = multipart(payload, name)
    headers = {**api.headers, "Content-Type": content_type}
    cpu = api.cpu()
    started = time.perf_counter()
    try:
        response = await client.post("/v1/attachments", content=body, headers=headers)
    except httpx.HTTPError as error:
        seconds = time.perf_counter() - started
        problem = f"upload {name}: {type(error).__name__}: {error}"
        return Upload(round(payload.mib, 2), round(seconds, 3), 0.0, problem=problem), None
    seconds = time.perf_counter() - started
    result = Upload(round(payload.mib, 2), round(seconds, 3), round(payload.mib / seconds, 1))
    result.cpu = api.cpu_since(cpu)
    if response.status_code != 201:
        result.problem = fail(f"upload {name}", response)
        return result, None
    got = response.json()
    wrong = [
        f"{key} {got.get(key)!r} (want {want!r})"
        for key, want in (
            ("sha256", payload.sha256),
            ("size", payload.size),
            ("content_type", CONTENT_TYPE),
            ("filename", name),
        )
        if got.get(key) != want
    ]
    if wrong:
        result.problem = f"upload {name}: " + ", ".join(wrong)
    attachment_id: str | None = got["id"]
    if delete:
        deleted = await client.delete(f"/v1/attachments/{attachment_id}", headers=api.headers)
        if deleted.status_code != 200:
            result.problem = (result.problem or "") + fail(f" delete {name}", deleted)
        attachment_id = None
    return result, attachment_id


async def fetch(
    client: httpx.AsyncClient, url: str, payload: Payload, headers: dict[str, str] | None = None
) -> tuple[float, str | None]:
    """GETs a whole file as it streams, hashing it; its seconds and a problem, if any."""
    started = time.perf_counter()
    digest, size = hashlib.sha256(), 0
    async with client.stream("GET", url, headers=headers) as response:
        if response.status_code != 200:
            await response.aread()
            return time.perf_counter() - started, fail(f"GET {url[:80]}", response)
        async for chunk in response.aiter_raw():
            digest.update(chunk)
            size += len(chunk)
    seconds = time.perf_counter() - started
    if size != payload.size or digest.hexdigest() != payload.sha256:
        wrong = f"{size} bytes, sha256 {digest.hexdigest()}"
        return seconds, f"download: {wrong} (want {payload.size}, {payload.sha256})"
    return seconds, None


# ----------------------------------------------------------------------- servers


@dataclass
class Server:
    api: Api
    proc: Process
    log_path: Path


def serve_command(args: argparse.Namespace, port: int) -> list[str]:
    serve = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    serve += ["--grace", "5"]
    if args.part_mib is None and args.parts_in_flight is None:
        return [supportdesk_bin(), *serve]
    cmd = [sys.executable, SCRIPT, "_serve"]
    if args.part_mib is not None:
        cmd += ["--part-bytes", str(int(args.part_mib * MiB))]
    if args.parts_in_flight is not None:
        cmd += ["--parts-in-flight", str(args.parts_in_flight)]
    return [*cmd, "--", *serve]


def serve_main(argv: list[str]) -> None:
    """`supportdesk serve` with the storage writer's buffer constants set (the module's
    globals, read by `Storage.writer` at each call; the file is not changed)."""
    p = argparse.ArgumentParser(prog="attachments.py _serve")
    p.add_argument("--part-bytes", type=int)
    p.add_argument("--parts-in-flight", type=int)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    a = p.parse_args(argv)
    from app import cli
    from app.attachments import storage

    if a.part_bytes is not None:
        storage.PART_BYTES = a.part_bytes
    if a.parts_in_flight is not None:
        storage.PARTS_IN_FLIGHT = a.parts_in_flight
    rest = a.rest[1:] if a.rest[:1] == ["--"] else a.rest
    print(
        f"bench variant: PART_BYTES={storage.PART_BYTES} PARTS_IN_FLIGHT={storage.PARTS_IN_FLIGHT}",
        flush=True,
    )
    cli.main(rest)


@contextmanager
def api_server(
    args: argparse.Namespace,
    storage: str,
    storage_url: str,
    extra_env: dict[str, str],
    other_pids: dict[str, int],
) -> Iterator[Server]:
    """One API process on `storage`, ready (its /readyz says the storage answers)."""
    port = free_port()
    admin_key = secrets.token_urlsafe(32)
    env = app_env(args.database, args.redis_url)
    for name in AWS_UNSET:
        env.pop(name, None)
    env.update(extra_env)
    env["SUPPORTDESK_ADMIN_KEY"] = admin_key
    env["SUPPORTDESK_STORAGE_URL"] = storage_url
    # Room for the large file; the multipart framing is counted apart.
    limit = max(args.size_mib, args.concurrent_mib) * MiB
    env["SUPPORTDESK_MAX_ATTACHMENT_BYTES"] = str(limit)
    env["SUPPORTDESK_LOG_LEVEL"] = "warning"
    env["SUPPORTDESK_LOG_FORMAT"] = "text"
    log_path = RESULTS_DIR / f"attachments-{storage}-server.log"
    cmd = serve_command(args, port)
    log(f"{storage}: starting the API on :{port}: {' '.join(Path(c).name for c in cmd[:2])} …")
    with process(f"the {storage} API", cmd, env, log_path, STOP_TIMEOUT_S) as proc:
        base_url = f"http://127.0.0.1:{port}"
        asyncio.run(wait_ready(proc, base_url, args.startup_timeout, log_path))
        children = psutil.Process(proc.pid).children(recursive=True)
        if children:
            raise BenchError(f"the API has child processes {children}: one process expected")
        headers = {"Authorization": f"Bearer {admin_key}"}
        pids = {"api": proc.pid, "bench": os.getpid(), **other_pids}
        api = Api(base_url, proc.pid, headers, hwm=reset_hwm(proc.pid), pids=pids)
        if not api.hwm:
            log("cannot reset VmHWM (clear_refs refused): peaks are the sampled ones only")
        yield Server(api, proc, log_path)


async def wait_ready(proc: Process, base_url: str, limit_s: float, log_path: Path) -> None:
    """Until GET /readyz answers 200 with the storage check `ok`."""
    async with httpx.AsyncClient(base_url=base_url, timeout=5.0) as client:

        async def ready() -> bool:
            try:
                response = await client.get("/readyz")
            except httpx.TransportError:
                return False
            return response.status_code == 200 and response.json()["checks"]["storage"].startswith(
                "ok"
            )

        await wait_until(ready, proc, "the API", log_path, limit_s=limit_s, interval=0.3)


@contextmanager
def moto_server(args: argparse.Namespace) -> Iterator[tuple[str, int]]:
    """moto's S3 server with one bucket; yields the SUPPORTDESK_STORAGE_URL of that bucket
    and the server's pid."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    log_path = RESULTS_DIR / "attachments-moto.log"
    log(f"s3: starting moto's server on :{port}")
    with process("moto", cmd, os.environ.copy(), log_path, STOP_TIMEOUT_S) as proc:

        async def ready() -> bool:
            try:
                async with httpx.AsyncClient(timeout=1.0) as client:
                    await client.get(f"{endpoint}/moto-api/")
                return True
            except httpx.TransportError:
                return False

        asyncio.run(wait_until(ready, proc, "moto", log_path, limit_s=args.startup_timeout))
        # obstore cannot create buckets; moto takes an unsigned CreateBucket.
        httpx.put(f"{endpoint}/{BUCKET}").raise_for_status()
        yield f"s3://{BUCKET}?endpoint_url={endpoint}&region=us-east-1", proc.pid


# ------------------------------------------------------------------------ phases


async def measure(
    args: argparse.Namespace, run: StorageRun, api: Api, large: Payload, small: Payload
) -> None:
    """Warm-up, memory, sequential, concurrent and download, against one running API."""
    limits = httpx.Limits(max_connections=args.concurrent + 2)
    async with httpx.AsyncClient(
        base_url=api.base_url, timeout=httpx.Timeout(300.0), limits=limits
    ) as client:

        def problem(item: Upload | Download) -> None:
            if item.problem:
                run.problems.append(f"{run.storage}: {item.problem}")
                log(f"PROBLEM {run.storage}: {item.problem}")

        # 1. Warm-up: the first upload loads what the upload path imports and connects.
        warm, _ = await upload(client, api, small, "warm-up.mp4", delete=True)
        problem(warm)
        await asyncio.sleep(1.0)
        idle = await asyncio.to_thread(idle_rss, api.pid)
        log(f"{run.storage}: idle RSS {idle:.1f} MiB")

        pending: list[str] = []

        # 2. Memory: one large upload, sampled; kept for the download.
        hwm = reset_hwm(api.pid)
        sampler = Sampler(api.pid, args.sample_ms / 1000)
        sampler.start()
        started = time.monotonic()
        first, kept_id = await upload(client, api, large, "memory.mp4", delete=False)
        samples = sampler.stop()
        peak_hwm = hwm_mib(api.pid) if hwm else None
        problem(first)
        await asyncio.sleep(1.0)
        peak_sampled = max(mib for _, mib in samples)
        peak = max(peak_sampled, peak_hwm or 0.0)
        step = max(1, round(0.1 / (args.sample_ms / 1000)))
        series = [(round(t - started, 3), round(m, 1)) for t, m in samples[::step]]
        run.memory = Memory(
            idle_mib=round(idle, 1),
            peak_sampled_mib=round(peak_sampled, 1),
            peak_hwm_mib=rounded(peak_hwm),
            peak_mib=round(peak, 1),
            growth_mib=round(peak - idle, 1),
            samples=len(samples),
            sample_ms=args.sample_ms,
            after_mib=round(rss_mib(api.pid), 1),
            upload=first,
            series=series,
        )
        log(
            f"{run.storage}: peak RSS {peak:.1f} MiB (+{peak - idle:.1f}) over "
            f"{len(samples)} samples; {first.mib_per_s:.1f} MiB/s"
        )

        # 3. Sequential uploads of the large file (each deleted once checked).
        for n in range(args.uploads):
            before = rss_mib(api.pid)
            reset_hwm(api.pid)
            one, stored = await upload(client, api, large, f"sequential-{n + 1}.mp4", delete=False)
            pending += [stored] if stored else []
            one.rss_before_mib, one.peak_mib = round(before, 1), peak_since_reset(api)
            problem(one)
            run.sequential.append(one)
            log(f"{run.storage}: upload {n + 1}/{args.uploads}: {one.mib_per_s:.1f} MiB/s")
            # Deleted between uploads, untimed: 1 GB less on disk, or in moto's memory.
            await delete_all(client, api, run, pending)
        total = sum(u.seconds for u in run.sequential)
        if total:
            run.sequential_mib_per_s = round(large.mib * len(run.sequential) / total, 1)

        # 4. Concurrent uploads.
        medium = Payload(args.concurrent_mib * MiB, args.chunk_kib * 1024, seed=3)
        run.concurrent_rss_before_mib = round(rss_mib(api.pid), 1)
        reset_hwm(api.pid)
        cpu = api.cpu()
        started = time.perf_counter()
        done = await asyncio.gather(
            *(
                upload(client, api, medium, f"concurrent-{n + 1}.mp4", delete=False)
                for n in range(args.concurrent)
            )
        )
        wall = time.perf_counter() - started
        run.concurrent_cpu = api.cpu_since(cpu)
        run.concurrent_peak_mib = peak_since_reset(api)
        run.concurrent = [one for one, _ in done]
        pending += [stored for _, stored in done if stored]
        for one in run.concurrent:
            problem(one)
        run.concurrent_wall_s = round(wall, 3)
        run.concurrent_mib_per_s = round(medium.mib * args.concurrent / wall, 1)
        log(f"{run.storage}: {args.concurrent} concurrent: {run.concurrent_mib_per_s:.1f} MiB/s")
        await delete_all(client, api, run, pending)

        # 5. Download of the large file.
        if kept_id is not None:
            run.download = await download(client, api, run.storage, kept_id, large)
            problem(run.download)
            await delete_all(client, api, run, [kept_id])
        run.rss_end_mib = round(rss_mib(api.pid), 1)


async def delete_all(client: httpx.AsyncClient, api: Api, run: StorageRun, ids: list[str]) -> None:
    """Deletes uploads (the API answers 200 and removes the content); empties `ids`."""
    for attachment_id in ids:
        deleted = await client.delete(f"/v1/attachments/{attachment_id}", headers=api.headers)
        if deleted.status_code != 200:
            run.problems.append(f"{run.storage}: " + fail(f"delete {attachment_id}", deleted))
    ids.clear()


async def download(
    client: httpx.AsyncClient, api: Api, storage: str, attachment_id: str, payload: Payload
) -> Download:
    url = f"/v1/attachments/{attachment_id}/content"
    if storage == "file":
        before = rss_mib(api.pid)
        reset_hwm(api.pid)
        cpu = api.cpu()
        seconds, problem = await fetch(client, url, payload, headers=api.headers)
        used = api.cpu_since(cpu)
        peak = peak_since_reset(api)
        mib_per_s = round(payload.mib / seconds, 1) if not problem else 0.0
        log(f"file: download {mib_per_s:.1f} MiB/s from the API")
        return Download(
            "api",
            round(payload.mib, 2),
            round(seconds, 3),
            mib_per_s,
            200,
            peak_mib=peak,
            rss_before_mib=round(before, 1),
            cpu=used,
            problem=problem,
        )
    started = time.perf_counter()
    answer = await client.get(url, headers=api.headers, follow_redirects=False)
    redirect_ms = (time.perf_counter() - started) * 1000
    if answer.status_code != 307 or "location" not in answer.headers:
        return Download(
            "moto (presigned URL)",
            round(payload.mib, 2),
            0.0,
            0.0,
            answer.status_code,
            problem=fail("GET content (want 307)", answer),
        )
    # What a browser does with the redirect: no credentials, straight to the bucket.
    async with httpx.AsyncClient(timeout=httpx.Timeout(300.0)) as browser:
        cpu = api.cpu()
        seconds, problem = await fetch(browser, answer.headers["location"], payload)
        used = api.cpu_since(cpu)
    mib_per_s = round(payload.mib / seconds, 1) if not problem else 0.0
    log(f"s3: download {mib_per_s:.1f} MiB/s from moto (presigned URL)")
    return Download(
        "moto (presigned URL)",
        round(payload.mib, 2),
        round(seconds, 3),
        mib_per_s,
        307,
        redirect_ms=round(redirect_ms, 1),
        cpu=used,
        problem=problem,
    )


# --------------------------------------------------------------------------- run


def storage_url_file() -> str:
    """A fresh folder under bench/results/ for the file storage."""
    shutil.rmtree(STORAGE_DIR, ignore_errors=True)
    STORAGE_DIR.mkdir(parents=True)
    return STORAGE_DIR.as_uri()


def run_storage(
    args: argparse.Namespace, storage: str, large: Payload, small: Payload
) -> StorageRun:
    if storage == "file":
        url = storage_url_file()
        with api_server(args, storage, url, {}, {}) as server:
            run = StorageRun(storage, url, server.api.pid)
            asyncio.run(measure(args, run, server.api, large, small))
        left = [p for p in STORAGE_DIR.rglob("*") if p.is_file()]
        if left:
            run.problems.append(f"file: {len(left)} files left in {STORAGE_DIR} after deleting")
        if not args.keep:
            shutil.rmtree(STORAGE_DIR, ignore_errors=True)
        return run
    with (
        moto_server(args) as (url, moto_pid),
        api_server(args, storage, url, AWS_VARIABLES, {"moto": moto_pid}) as server,
    ):
        run = StorageRun(storage, url, server.api.pid)
        asyncio.run(measure(args, run, server.api, large, small))
        return run


def bench(args: argparse.Namespace) -> int:
    params = ["storages", "size_mib", "uploads", "concurrent", "concurrent_mib", "chunk_kib"]
    params += ["sample_ms", "part_mib", "parts_in_flight"]
    result = Result(params={k: getattr(args, k) for k in params}, code=provenance())
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log(f"making the payloads: {args.size_mib} MiB, {args.concurrent_mib} MiB (random bytes)")
    chunk = args.chunk_kib * 1024
    large = Payload(args.size_mib * MiB, chunk, seed=1)
    small = Payload(256 * 1024, chunk, seed=2)
    try:
        asyncio.run(fresh_database(args.database))
        asyncio.run(flush_redis(args.redis_url))
        for storage in args.storages:
            run = run_storage(args, storage, large, small)
            result.runs.append(run)
            result.problems += run.problems
    finally:
        asyncio.run(drop_unless_kept(args.database, args.keep))
    print(report(result, args))
    return 3 if result.problems else 0


# ------------------------------------------------------------------------ report


def rss_met(memory: Memory) -> bool:
    return memory.growth_mib <= TARGET_RSS_GROWTH_MIB


def failed(uploads: list[Upload]) -> str:
    count = sum(1 for u in uploads if u.problem)
    return f" ({count} FAILED)" if count else ""


def verdict_lines(result: Result) -> list[str]:
    """The short table: each figure beside its goal."""
    head = f"{'storage':<8}{'figure':<46}{'measured':>26}  {'goal':<22}verdict"
    rows = [head, "-" * len(head)]

    def row(
        storage: str, figure: str, measured: str, goal: str = "report", verdict: str = ""
    ) -> None:
        rows.append(f"{storage:<8}{figure:<46}{measured:>26}  {goal:<22}{verdict}")

    p = result.params
    for run in result.runs:
        s = run.storage
        if run.sequential_mib_per_s is not None:
            row(
                s,
                f"upload {p['size_mib']} MiB x{len(run.sequential)} sequential, MiB/s",
                f"{run.sequential_mib_per_s:.1f}" + failed(run.sequential),
            )
        if run.concurrent_mib_per_s is not None:
            row(
                s,
                f"upload {p['concurrent_mib']} MiB x{len(run.concurrent)} concurrent, MiB/s",
                f"{run.concurrent_mib_per_s:.1f} aggregate" + failed(run.concurrent),
            )
        if run.memory is not None:
            m = run.memory
            row(
                s,
                f"API RSS idle / peak, one {p['size_mib']} MiB upload",
                f"{m.idle_mib:.1f} / {m.peak_mib:.1f} MiB (+{m.growth_mib:.1f})",
                f"peak - idle <= {TARGET_RSS_GROWTH_MIB:.0f} MiB",
                ("MET" if rss_met(m) else "NOT MET") + failed([m.upload]),
            )
        if run.download is not None:
            d = run.download
            label = (
                "download from the API"
                if d.source == "api"
                else "download, presigned (moto's speed)"
            )
            row(s, f"{label}, MiB/s", "FAILED" if d.problem else f"{d.mib_per_s:.1f}")
    return rows


def cpu_text(cpu: dict[str, float], seconds: float | None) -> str:
    """CPU seconds per process, and the share of the wall time (1.00 = one core busy)."""
    if not cpu:
        return ""
    parts = [
        f"{name} {used:.2f} s" + (f" ({used / seconds:.2f})" if seconds else "")
        for name, used in cpu.items()
    ]
    return "CPU " + ", ".join(parts)


def total_cpu(uploads: list[Upload]) -> dict[str, float]:
    names = uploads[0].cpu if uploads else {}
    return {name: round(sum(u.cpu.get(name, 0.0) for u in uploads), 2) for name in names}


def detail_lines(result: Result) -> list[str]:
    rows: list[str] = []
    for run in result.runs:
        rows.append(f"{run.storage.upper()}: {run.url} (API pid {run.server_pid})")
        m = run.memory
        if m is not None:
            hwm = fmt(m.peak_hwm_mib)
            rows.append(
                f"  memory: idle {m.idle_mib:.1f} MiB; one {m.upload.mib:.0f} MiB upload at "
                f"{m.upload.mib_per_s:.1f} MiB/s ({m.upload.seconds:.2f} s): peak sampled "
                f"{m.peak_sampled_mib:.1f} MiB ({m.samples} samples every {m.sample_ms:g} ms), "
                f"VmHWM {hwm} MiB; 1 s after {m.after_mib:.1f} MiB"
            )
            rows.append(f"    {cpu_text(m.upload.cpu, m.upload.seconds)}")
        if run.sequential:
            each = ", ".join(
                f"{u.mib_per_s:.1f} ({fmt(u.rss_before_mib)} -> {fmt(u.peak_mib)})"
                for u in run.sequential
            )
            rows.append(f"  sequential MiB/s (RSS before -> peak MiB): {each}")
            seconds = sum(u.seconds for u in run.sequential)
            rows.append(f"    {cpu_text(total_cpu(run.sequential), seconds)}")
        if run.concurrent:
            each = " ".join(f"{u.mib_per_s:.1f}" for u in run.concurrent)
            rows.append(
                f"  concurrent: {len(run.concurrent)} in {fmt(run.concurrent_wall_s, '.2f')} s; "
                f"each MiB/s {each}; RSS {fmt(run.concurrent_rss_before_mib)} -> peak "
                f"{fmt(run.concurrent_peak_mib)} MiB"
            )
            rows.append(f"    {cpu_text(run.concurrent_cpu, run.concurrent_wall_s)}")
        d = run.download
        if d is not None:
            extra = (
                f"; API RSS {fmt(d.rss_before_mib)} -> peak {fmt(d.peak_mib)} MiB"
                if d.source == "api"
                else f"; the API's 307 in {fmt(d.redirect_ms)} ms"
            )
            rows.append(
                f"  download from {d.source}: {d.mib:.0f} MiB in {d.seconds:.2f} s = "
                f"{d.mib_per_s:.1f} MiB/s{extra}"
            )
            rows.append(f"    {cpu_text(d.cpu, d.seconds)}")
        rows.append(f"  API RSS at the end: {fmt(run.rss_end_mib)} MiB")
    return rows


def format_table(result: Result) -> str:
    p = result.params
    variant = ""
    if p["part_mib"] is not None or p["parts_in_flight"] is not None:
        variant = (
            f"; VARIANT PART_BYTES={p['part_mib'] or 'app'} MiB, "
            f"PARTS_IN_FLIGHT={p['parts_in_flight'] or 'app'}"
        )
    rows = [f"{code_line(result.code)}{variant}; client chunks {p['chunk_kib']} KiB", ""]
    rows += detail_lines(result)
    rows += ["", *verdict_lines(result)]
    rows += [f"PROBLEM: {problem}" for problem in result.problems]
    return "\n".join(rows)


def report(result: Result, args: argparse.Namespace) -> str:
    return write_report("attachments", asdict(result), format_table(result), args.json)


# -------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_serve"]:
        serve_main(argv[1:])
        return 0
    args = parse_args(argv)
    return run_bench(lambda: bench(args), httpx.HTTPError)


if __name__ == "__main__":
    sys.exit(main())
