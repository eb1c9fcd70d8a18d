"""The installer's smoke test: build the bundle, then run the server and the app from it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from routing_client.rpc import RpcClient

# The build (PyInstaller's analysis of Qt and every dependency) runs in the first test's set-up
# and takes minutes on a busy machine: far past the default per-test timeout.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]
pytest.importorskip("PyInstaller", reason="the installer build needs PyInstaller (dev extra)")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle, built once for this module."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))
    try:
        from build import build  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    executable: Path = build(tmp_path_factory.mktemp("dist"))
    assert executable.is_file()
    return executable


async def test_the_bundled_server_serves(bundle: Path, tmp_path: Path) -> None:
    """`agent-inbox server serve` from the bundle listens, accepts a gateway and routes."""
    db = tmp_path / "db.sqlite3"
    add = await asyncio.create_subprocess_exec(
        str(bundle), "server", "token", "create", "--integration", "gw", "--db", str(db),
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, _ = await add.communicate()
    assert add.returncode == 0
    token = out.decode().strip()
    proc = await asyncio.create_subprocess_exec(
        str(bundle), "server", "serve", "--port", "0", "--db", str(db),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode().strip()
        assert line.startswith("listening on ws://")
        client = await RpcClient.open(line.removeprefix("listening on "))
        await client.request("auth", token=token)
        result = await client.call(
            "inbound", {"channel": "sms", "from": "+1555", "body": "hi", "external_id": "x"}
        )
        assert result["duplicate"] is False
        await client.close()
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 15) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_the_bundled_app_runs_the_demo(bundle: Path, tmp_path: Path) -> None:
    """`agent-inbox --demo` from the bundle starts, stays up, and exits 0 when asked to."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    proc = await asyncio.create_subprocess_exec(
        str(bundle), "--demo", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await asyncio.sleep(8)
        assert proc.returncode is None, (await proc.stderr.read()).decode()[-2000:]  # type: ignore[union-attr]
        proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), 20)
        err = (await proc.stderr.read()).decode()  # type: ignore[union-attr]
        assert code == 0, err[-2000:]
        # Closing on SIGTERM leaves no task behind (it used to print a traceback).
        assert "Task exception was never retrieved" not in err
        assert "Traceback" not in err
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_the_bundle_passes_its_self_test(bundle: Path, tmp_path: Path) -> None:
    """`agent-inbox --self-test` from the bundle finds its Qt plugins, fonts, the chime and
    QtMultimedia, and runs its bundled server: nothing fails."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    proc = await asyncio.create_subprocess_exec(
        str(bundle), "--self-test", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    report = out.decode()
    assert proc.returncode == 0, report + err.decode()[-2000:]
    assert "FAIL" not in report
    assert "cannot be loaded" not in report  # QtMultimedia is in the bundle
