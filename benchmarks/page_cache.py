"""What filling the page cache costs on this machine: CPU-seconds per GB written into new files.

The build's figures at a million claims move by a minute from run to run, much of it system
time. This script shows where that comes from on a virtual machine that gives free memory
back to its host: memory the kernel has not used lately costs up to 40 times more to fill
than memory it just freed. Which writes get which memory depends on what the machine did
before (here: large writes, which Linux caches in large folios, paid ~15 CPU-seconds per GB
while writes of 128 KB paid 0.4 in one run; in another, once ~3 GB were written, writes of
every size and kernel copies paid 9-16), so run it more than once.

    python benchmarks/page_cache.py [--folder DIR] [--gigabytes N]

Each line writes one GB into a new file (kept, so that the next write cannot reuse its
memory), except the last, which writes it again into a file just deleted.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

GB = 1 << 30


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def write_file(path: Path, block: bytes, write_size: int) -> float:
    """Write a GB of ``block`` repeated into a new file at ``path``, ``write_size`` bytes a call; CPU-seconds."""
    started = cpu_seconds()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        view = memoryview(block)
        for _ in range(GB // len(block)):
            for at in range(0, len(block), write_size):
                os.write(fd, view[at : at + write_size])
    finally:
        os.close(fd)
    return cpu_seconds() - started


def touch_memory() -> float:
    """CPU-seconds to allocate and fill a GB of anonymous memory, for comparison."""
    started = cpu_seconds()
    memory = bytearray(GB)
    memory[:: 1 << 12] = b"x" * (GB >> 12)
    del memory
    return cpu_seconds() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()), help="where to write the files")
    parser.add_argument("--gigabytes", type=int, default=3, help="how many GB to write in each size of write")
    args = parser.parse_args()
    block = os.urandom(1 << 20) * 64
    print(f"{'written':<44} CPU-s per GB")
    print(f"{'a GB of anonymous memory, filled':<44} {touch_memory():6.2f}")
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        files = iter(Path(folder) / f"{index}.bin" for index in range(10 * args.gigabytes))
        for _ in range(args.gigabytes):
            for write_size in (16 << 20, 128 << 10):
                seconds = write_file(next(files), block, write_size)
                print(f"{f'a new file in writes of {write_size >> 10:,} KB':<44} {seconds:6.2f}", flush=True)
                time.sleep(3)  # the kernel reports free memory to the host within seconds
        last = next(files)
        write_file(last, block, 16 << 20)
        last.unlink()
        seconds = write_file(next(files), block, 16 << 20)
        print(f"{'a file just deleted, again (writes of 16 MB)':<44} {seconds:6.2f}")


if __name__ == "__main__":
    main()
