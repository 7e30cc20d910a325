"""Live pushes (tillit.core.live): brokers in memory and through Redis, the SSE stream, and real server processes."""

import asyncio
import contextlib
import datetime
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from django.core.handlers.asgi import ASGIHandler
from django.test import RequestFactory

from tillit.core import live
from tillit.core.live import InMemoryBroker, LiveEvent, RedisBroker, SubscriptionEnded

ROOT = Path(__file__).resolve().parents[2]
TEST_REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def _redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5).ping())
    except redis.RedisError:
        return False


requires_redis = pytest.mark.skipif(
    not _redis_answers(TEST_REDIS_URL), reason=f"no Redis answers at {TEST_REDIS_URL}"
)


def _delete_keys(pattern: str) -> None:
    client = redis.Redis.from_url(TEST_REDIS_URL)
    keys = list(client.scan_iter(match=pattern))
    if keys:
        client.delete(*keys)
    client.close()


async def _wait_until(condition: Callable[[], bool], timeout: float = 2.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def _next_ids(subscription: live.Subscription, count: int) -> list[int]:
    events = [await subscription.get(timeout=2) for _ in range(count)]
    return [event.id for event in events if event is not None]


# In memory ----------------------------------------------------------------------------------------------------


def test_subscribers_get_the_events_of_their_channel_in_order() -> None:
    broker = InMemoryBroker()

    async def scenario() -> None:
        async with (
            broker.subscribe("meeting-1") as first,
            broker.subscribe("meeting-1") as second,
            broker.subscribe("meeting-2") as elsewhere,
        ):
            ids = [broker.publish("meeting-1", "step", {"step": step}) for step in range(3)]
            assert ids == [1, 2, 3]
            for subscription in (first, second):
                received = [await subscription.get(timeout=1) for _ in ids]
                assert received == [LiveEvent("meeting-1", i, "step", {"step": i - 1}) for i in ids]
            assert await elsewhere.get(timeout=0.05) is None

    asyncio.run(scenario())


def test_a_reconnecting_subscriber_gets_what_it_missed_from_the_backlog() -> None:
    broker = InMemoryBroker(backlog=3)
    for step in range(5):
        broker.publish("meeting", "step", {"step": step})

    async def scenario() -> None:
        async with (
            broker.subscribe("meeting", last_event_id=3) as reconnected,
            broker.subscribe("meeting") as newcomer,
        ):
            broker.publish("meeting", "step", {"step": 5})
            assert await _next_ids(reconnected, 3) == [4, 5, 6]
            assert await _next_ids(newcomer, 1) == [6]
        # A device that was away longer than the backlog reaches gets what is kept.
        async with broker.subscribe("meeting", last_event_id=1) as long_away:
            assert await _next_ids(long_away, 3) == [4, 5, 6]
        # After a restart the numbering starts again: a device's newer id means "send everything kept".
        async with broker.subscribe("meeting", last_event_id=99) as from_before_a_restart:
            assert await _next_ids(from_before_a_restart, 3) == [4, 5, 6]

    asyncio.run(scenario())


def test_a_cancelled_subscriber_is_unsubscribed() -> None:
    broker = InMemoryBroker()
    received: list[LiveEvent] = []

    async def listen() -> None:
        async with broker.subscribe("meeting") as events:
            async for event in events:
                received.append(event)

    async def scenario() -> None:
        listener = asyncio.create_task(listen())
        await _wait_until(lambda: broker.subscriber_count("meeting") == 1)
        broker.publish("meeting", "step", {})
        await _wait_until(lambda: len(received) == 1)
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener
        assert broker.subscriber_count("meeting") == 0

    asyncio.run(scenario())


def test_services_publish_from_worker_threads() -> None:
    broker = InMemoryBroker(backlog=200)

    def publish_many(worker: int) -> None:
        for n in range(50):
            broker.publish("meeting", "vote", {"worker": worker, "n": n})

    async def scenario() -> list[LiveEvent]:
        async with broker.subscribe("meeting") as events:
            workers = [threading.Thread(target=publish_many, args=(worker,)) for worker in range(4)]
            for worker in workers:
                worker.start()
            received = [await events.get(timeout=2) for _ in range(200)]
            for worker in workers:
                worker.join()
            return [event for event in received if event is not None]

    received = asyncio.run(scenario())
    assert [event.id for event in received] == list(range(1, 201))
    for worker in range(4):
        assert [e.data["n"] for e in received if e.data["worker"] == worker] == list(range(50))


def test_a_subscriber_too_far_behind_is_let_go_after_what_it_has(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live, "MAX_PENDING", 3)
    broker = InMemoryBroker()

    async def scenario() -> None:
        async with broker.subscribe("meeting") as slow:
            for step in range(5):
                broker.publish("meeting", "step", {"step": step})
            await _wait_until(lambda: slow._ended)
            assert await _next_ids(slow, 3) == [1, 2, 3]
            with pytest.raises(SubscriptionEnded):
                await slow.get()

    asyncio.run(scenario())


def test_publish_checks_names_and_sends_data_as_json() -> None:
    broker = InMemoryBroker()
    with pytest.raises(ValueError, match="channel"):
        broker.publish("meeting 1", "step", {})
    with pytest.raises(ValueError, match="event"):
        broker.publish("meeting", "step\ndata: injected", {})
    with pytest.raises(TypeError):
        broker.publish("meeting", "step", {"not json": object()})

    async def scenario() -> LiveEvent | None:
        async with broker.subscribe("meeting", last_event_id=0) as events:
            return await events.get(timeout=1)

    broker.publish("meeting", "step", {"at": datetime.date(2026, 3, 1), "text": "två\nrader"})
    event = asyncio.run(scenario())
    assert event is not None
    assert event.data == {"at": "2026-03-01", "text": "två\nrader"}
    assert event.sse_fields == 'event: step\ndata: {"at":"2026-03-01","text":"två\\nrader"}\n\n'.encode()


def test_the_settings_choose_the_broker(settings: Any) -> None:
    settings.LIVE_BACKEND = "memory"
    assert isinstance(live.get_broker(), InMemoryBroker)
    assert live.get_broker() is live.get_broker()
    settings.REDIS_URL = TEST_REDIS_URL
    settings.LIVE_BACKEND = "redis"
    broker = live.get_broker()
    assert isinstance(broker, RedisBroker)
    assert broker.url == TEST_REDIS_URL
    broker.close()


# The SSE stream, through Django's ASGI handler --------------------------------------------------------------


def test_the_stream_replays_pushes_beats_and_ends_when_the_device_goes(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.core.live_app"
    settings.LIVE_BACKEND = "memory"
    settings.LIVE_HEARTBEAT_SECONDS = 0.2
    broker = live.get_broker()
    first = broker.publish("hall", "step", {"step": 1})
    broker.publish("hall", "step", {"step": 2})

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/live/hall/events",
        "raw_path": b"/live/hall/events",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost"), (b"last-event-id", str(first).encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("localhost", 80),
    }

    async def scenario() -> None:
        sent: asyncio.Queue[Mapping[str, Any]] = asyncio.Queue()
        device_gone = asyncio.Event()

        messages = [{"type": "http.request", "body": b"", "more_body": False}]

        async def receive() -> dict[str, Any]:
            if messages:
                return messages.pop()
            await device_gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: Mapping[str, Any]) -> None:
            await sent.put(message)

        async def next_body() -> bytes:
            message = await asyncio.wait_for(sent.get(), 2)
            return bytes(message["body"])

        server = asyncio.create_task(ASGIHandler()(scope, receive, send))
        start = await asyncio.wait_for(sent.get(), 2)
        headers = dict(start["headers"])
        assert start["status"] == 200
        assert headers[b"Content-Type"] == b"text/event-stream"
        assert headers[b"Cache-Control"] == b"no-cache"
        assert headers[b"X-Accel-Buffering"] == b"no"
        assert b"Content-Length" not in headers
        assert (await next_body()).startswith(b"retry: ")
        assert await next_body() == b'id: 2\nevent: step\ndata: {"step":2}\n\n'
        await asyncio.to_thread(broker.publish, "hall", "step", {"step": 3})
        assert await next_body() == b'id: 3\nevent: step\ndata: {"step":3}\n\n'
        assert await next_body() == b": heartbeat\n\n"
        assert broker.subscriber_count("hall") == 1

        device_gone.set()
        await asyncio.wait_for(server, 2)
        assert broker.subscriber_count("hall") == 0

    asyncio.run(scenario())


def test_the_stream_of_several_channels_says_where_the_device_is_in_each(settings: Any) -> None:
    settings.LIVE_BACKEND = "memory"
    broker = live.get_broker()
    for step in range(3):
        broker.publish("hall", "step", {"step": step})
    broker.publish("hall.table-2", "note", {"note": 1})
    request = RequestFactory().get("/events", headers={"last-event-id": "2,0"})
    response = live.sse_response(request, ["hall", "hall.table-2"], heartbeat=0.1)

    async def scenario() -> list[bytes]:
        stream = aiter(response)
        blocks = [await anext(stream) for _ in range(3)]
        broker.publish("hall.table-2", "note", {"note": 2})
        blocks += [await anext(stream), await anext(stream)]
        await stream.aclose()  # type: ignore[attr-defined]
        return blocks

    retry, *blocks = asyncio.run(scenario())
    assert retry.startswith(b"retry: ")
    assert blocks == [
        b'id: 3,0\nevent: step\ndata: {"step":2}\n\n',
        b'id: 3,1\nevent: note\ndata: {"note":1}\n\n',
        b'id: 3,2\nevent: note\ndata: {"note":2}\n\n',
        b": heartbeat\n\n",
    ]
    assert broker.subscriber_count("hall") == broker.subscriber_count("hall.table-2") == 0


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ({"headers": {"last-event-id": "42"}}, [42]),
        ({"data": {"last_event_id": "41"}}, [41]),  # the first connection cannot send headers
        ({"headers": {"last-event-id": "-1"}}, [None]),
        ({"headers": {"last-event-id": "٣"}}, [None]),
        ({}, [None]),
    ],
)
def test_where_a_device_left_off_is_read_from_its_last_event_id(
    sent: dict[str, Any], expected: list[Any]
) -> None:
    assert live._last_event_ids(RequestFactory().get("/events", **sent), 1) == expected


def test_a_last_event_id_for_other_channels_counts_as_none() -> None:
    request = RequestFactory().get("/events", headers={"last-event-id": "4,5"})
    assert live._last_event_ids(request, 2) == [4, 5]
    assert live._last_event_ids(request, 3) == [None, None, None]


# Through Redis: two brokers stand for two server processes ---------------------------------------------------


@pytest.fixture
def redis_brokers() -> Iterator[tuple[RedisBroker, RedisBroker]]:
    prefix = f"test-live-{uuid.uuid4().hex[:12]}:"
    first = RedisBroker(TEST_REDIS_URL, prefix=prefix, backlog=5)
    second = RedisBroker(TEST_REDIS_URL, prefix=prefix, backlog=5)
    yield first, second
    first.close()
    second.close()
    _delete_keys(f"{prefix}*")


@requires_redis
def test_an_event_published_through_one_broker_reaches_subscribers_of_another(
    redis_brokers: tuple[RedisBroker, RedisBroker],
) -> None:
    here, there = redis_brokers
    monitor = redis.Redis.from_url(TEST_REDIS_URL)

    async def scenario() -> None:
        async with contextlib.AsyncExitStack() as stack:
            devices = [await stack.enter_async_context(here.subscribe("hall")) for _ in range(50)]
            # One Redis subscription for the whole process, not one per device.
            assert monitor.pubsub_numsub(here.key("hall")) == [(here.key("hall").encode(), 1)]
            assert here.subscriber_count("hall") == 50
            event_id = there.publish("hall", "step", {"step": 2})
            for device in devices:
                assert await device.get(timeout=2) == LiveEvent("hall", event_id, "step", {"step": 2})
            assert here.publish("hall", "step", {"step": 3}) == event_id + 1
            assert (await devices[0].get(timeout=2)) == LiveEvent("hall", event_id + 1, "step", {"step": 3})
        assert here.subscriber_count("hall") == 0
        await _wait_until(lambda: monitor.pubsub_numsub(here.key("hall"))[0][1] == 0)
        await here.aclose()

    asyncio.run(scenario())
    monitor.close()


@requires_redis
def test_replay_by_last_event_id_works_across_brokers(redis_brokers: tuple[RedisBroker, RedisBroker]) -> None:
    here, there = redis_brokers
    ids = [there.publish("hall", "step", {"step": step}) for step in range(7)]
    assert ids == list(range(1, 8))

    async def scenario() -> None:
        async with here.subscribe("hall", last_event_id=4) as reconnected:
            there.publish("hall", "step", {"step": 7})
            received = [await reconnected.get(timeout=2) for _ in range(4)]
            assert [event.id for event in received if event] == [5, 6, 7, 8]
            assert await reconnected.get(timeout=0.1) is None  # no duplicates from backlog and live
        # The backlog keeps five: a device away longer gets those.
        async with here.subscribe("hall", last_event_id=1) as long_away:
            assert await _next_ids(long_away, 5) == [4, 5, 6, 7, 8]
        await here.aclose()

    asyncio.run(scenario())


@requires_redis
def test_subscribers_end_when_the_redis_connection_breaks(
    redis_brokers: tuple[RedisBroker, RedisBroker],
) -> None:
    here, _ = redis_brokers
    admin = redis.Redis.from_url(TEST_REDIS_URL)

    async def scenario() -> None:
        async with here.subscribe("hall") as device:
            killed = [
                admin.client_kill_filter(_id=client["id"])
                for client in admin.client_list(_type="pubsub")
                if client["name"] == f"{here.prefix}subscriber"
            ]
            assert killed
            with pytest.raises(SubscriptionEnded):
                await device.get(timeout=2)
        # The next subscriber (the device reconnecting) gets a fresh Redis subscription.
        async with here.subscribe("hall", last_event_id=0) as reconnected:
            here.publish("hall", "step", {})
            assert (await reconnected.get(timeout=2)) is not None
        await here.aclose()

    asyncio.run(scenario())
    admin.close()


# Real server processes --------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def wait_until_ready(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"uvicorn exited with {self.process.returncode}:\n{self.log.read_text()}")
            with contextlib.suppress(OSError):
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                connection.request("GET", "/live/ping")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
            time.sleep(0.1)
        pytest.fail(f"uvicorn on port {self.port} did not answer:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


@contextlib.contextmanager
def _servers(count: int, data_dir: Path, redis_url: str | None) -> Iterator[list[Server]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.core.live_settings",
        "TILLIT_TESTING": "1",
        "TILLIT_DATA_DIR": str(data_dir),
        "LIVE_HEARTBEAT_SECONDS": "1",
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    servers: list[Server] = []
    try:
        for number in range(count):
            port = _free_port()
            log = data_dir / f"uvicorn-{number}.log"
            command = [sys.executable, "-m", "uvicorn", "tillit.config.asgi:application"]
            command += ["--host", "127.0.0.1", "--port", str(port), "--timeout-graceful-shutdown", "2"]
            with log.open("wb") as output:
                process = subprocess.Popen(  # noqa: S603 - our own command line
                    command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
                )
            servers.append(Server(process, port, log))
        deadline = time.monotonic() + 30
        for server in servers:
            server.wait_until_ready(deadline)
        yield servers
    finally:
        for server in servers:
            server.stop()


def _publish_through(server: Server, channel: str, event: str, data: dict[str, Any]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request("POST", f"/live/{channel}/publish", body=json.dumps({"event": event, "data": data}))
    response = connection.getresponse()
    assert response.status == 200, response.read()
    event_id = int(json.loads(response.read())["id"])
    connection.close()
    return event_id


class Device:
    """A phone's EventSource, reduced to reading the stream: blocks of lines ended by a blank line."""

    def __init__(self, server: Server, path: str, last_event_id: int | None = None) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        headers = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        self.connection.request("GET", path, headers=headers)
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.headers["Content-Type"] == "text/event-stream"
        # The retry hint comes once the server has subscribed: from here on nothing is missed.
        assert self.next_block()[0].startswith("retry: ")

    def next_block(self) -> list[str]:
        lines: list[str] = []
        while True:
            line = self.response.readline()
            if not line:
                raise EOFError("the server closed the stream")
            if line == b"\n":
                return lines
            lines.append(line.decode().rstrip("\n"))

    def next_event(self) -> dict[str, Any]:
        while True:
            fields = dict(line.split(": ", 1) for line in self.next_block() if not line.startswith(":"))
            if "data" in fields:
                return {"id": fields["id"], "event": fields["event"], "data": json.loads(fields["data"])}

    def close(self) -> None:
        self.connection.close()


@requires_redis
def test_an_event_raised_in_one_server_process_reaches_a_device_connected_to_another(tmp_path: Path) -> None:
    channel = f"test-processes-{uuid.uuid4().hex[:12]}"
    devices: list[Device] = []
    try:
        with _servers(2, tmp_path, TEST_REDIS_URL) as (first, second):
            device = Device(first, f"/live/{channel}/events")
            devices.append(device)

            latencies = []
            for step in range(20):
                started = time.perf_counter()
                event_id = _publish_through(second, channel, "step", {"step": step})
                assert device.next_event() == {"id": str(event_id), "event": "step", "data": {"step": step}}
                latencies.append(time.perf_counter() - started)
            assert max(latencies) < 2
            print(
                f"\nprocess B → device on process A: median {statistics.median(latencies) * 1000:.1f} ms, "
                f"max {max(latencies) * 1000:.1f} ms over {len(latencies)} events (includes the POST)"
            )

            # The phone drops after event 20, two more are raised, and it reconnects to the other process.
            missed = [_publish_through(first, channel, "step", {"step": step}) for step in (20, 21)]
            reconnected = Device(second, f"/live/{channel}/events", last_event_id=event_id)
            devices.append(reconnected)
            assert missed == [21, 22]
            assert [reconnected.next_event()["id"] for _ in missed] == ["21", "22"]

            # Stopping a server with open streams does not wait for the devices to hang up.
            stopping = time.perf_counter()
            first.process.send_signal(signal.SIGTERM)
            first.process.wait(timeout=10)
            assert time.perf_counter() - stopping < 6
            assert [device.next_event()["id"] for _ in missed] == ["21", "22"]
            with pytest.raises(EOFError):
                device.next_event()
    finally:
        for open_device in devices:
            open_device.close()
        _delete_keys(f"tillit:live:{channel}*")


def test_without_redis_an_event_raised_in_one_process_stays_there(tmp_path: Path) -> None:
    with _servers(2, tmp_path, None) as (first, second):
        device = Device(first, "/live/hall/tables/t1/events")
        _publish_through(second, "hall", "step", {"step": 1})
        # Within a heartbeat or two only comments arrive.
        started = time.monotonic()
        while time.monotonic() - started < 1.5:
            assert all(line.startswith(":") for line in device.next_block())
        step = _publish_through(first, "hall", "step", {"step": 2})
        note = _publish_through(first, "hall.t1", "note", {"note": 1})
        assert device.next_event() == {"id": f"{step},0", "event": "step", "data": {"step": 2}}
        assert device.next_event() == {"id": f"{step},{note}", "event": "note", "data": {"note": 1}}
        device.close()
