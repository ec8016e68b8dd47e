"""A worker gives the memory it freed back to the system (app/memory.py): glibc keeps the
freed pages of a fragmented heap resident until trimmed, as after a backlog worked off in
large batches."""

import asyncio

import psutil

from app import memory


def rss_mib() -> float:
    return psutil.Process().memory_info().rss / 2**20


def fragmented_heap() -> list[bytes]:
    """80 MiB of 2 KiB objects freed but every 64th, which keeps the heap from shrinking."""
    every = [bytes(2048) for _ in range(40_000)]
    return every[::64]


async def test_the_trimmer_gives_a_fragmented_heaps_free_pages_back():
    kept = fragmented_heap()
    held = rss_mib()
    await asyncio.sleep(0.3)
    assert rss_mib() > held - 5, "freed without trimming: nothing for the trimmer to do"
    trimmer = asyncio.create_task(memory.keep_trimmed(every=0.05))
    try:
        await asyncio.sleep(0.5)
        assert rss_mib() < held - 40, "the freed pages are still resident"
        assert len(kept) == 625
    finally:
        trimmer.cancel()
