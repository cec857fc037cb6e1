"""Work in a forked child: it runs beside the caller, and its failures come back to it."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from graph.forked import ChildFailed, in_child

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="children are forked on Linux only")


def write_pid(path: Path) -> None:
    path.write_text(str(os.getpid()))


def test_the_work_runs_in_another_process_that_sees_what_this_one_holds(tmp_path: Path):
    held = {"numbers": list(range(1000))}  # not pickled: the child reads the parent's memory
    out = tmp_path / "out"

    child = in_child(lambda: out.write_text(f"{os.getpid()} {sum(held['numbers'])}"))
    child.wait()
    pid, total = out.read_text().split()
    assert int(pid) != os.getpid() and int(total) == sum(range(1000))


def test_a_child_can_run_at_a_lower_priority_than_its_parent(tmp_path: Path):
    out = tmp_path / "niceness"
    in_child(lambda: out.write_text(str(os.getpriority(os.PRIO_PROCESS, 0))), lower_by=3).wait()
    assert int(out.read_text()) == min(os.getpriority(os.PRIO_PROCESS, 0) + 3, 19)


def test_the_childs_exception_is_raised_by_wait():
    def full_disk():
        raise OSError(28, "No space left on device")

    child = in_child(full_disk)
    with pytest.raises(OSError, match="No space left on device") as raised:
        child.wait()
    assert raised.value.errno == 28


def test_an_exception_that_cannot_be_pickled_comes_back_as_its_text():
    class Local(Exception):  # defined in a function: pickle cannot find it again
        pass

    def fail():
        raise Local("the reason")

    child = in_child(fail)
    with pytest.raises(ChildFailed, match="Local: the reason"):
        child.wait()


def test_a_child_killed_without_a_word_is_reported():
    child = in_child(lambda: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(ChildFailed, match="killed by signal 9"):
        child.wait()


def test_stop_ends_a_child_still_at_work():
    child = in_child(lambda: time.sleep(60))
    pid = child.pid
    started = time.monotonic()
    child.stop()
    assert time.monotonic() - started < 30
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no such child any more
    child.stop()  # a second stop, or a wait, does nothing
    child.wait()


def test_with_another_python_thread_running_the_work_is_done_here(tmp_path: Path):
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        child = in_child(lambda: write_pid(tmp_path / "pid"))
        assert int((tmp_path / "pid").read_text()) == os.getpid()  # done before in_child returned
        child.wait()
        with pytest.raises(ZeroDivisionError):
            in_child(lambda: 1 / 0)
    finally:
        stop.set()
        other.join()
