"""Live pushes: a service publishes an event on a channel; every device subscribed to it gets it at once.

Devices hold one server-sent events stream each (``sse_response``). Each channel numbers its events 1, 2, 3,
... and keeps the last ``LIVE_BACKLOG`` of them, so a device that reconnects with ``Last-Event-ID`` gets what
it missed. With REDIS_URL set the numbering, the backlog and the fan-out go through Redis, so an event
published in one app process reaches devices connected to any other; otherwise they stay in this process.
See docs/live.md.
"""

import asyncio
import contextlib
import json
import logging
import random
import re
import threading
import weakref
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Self

import redis
import redis.asyncio
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, StreamingHttpResponse
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

logger = logging.getLogger(__name__)

NAME = re.compile(r"[A-Za-z0-9_.:-]{1,200}")
DEFAULT_BACKLOG = 100
DEFAULT_HEARTBEAT_SECONDS = 15.0
# A device this many events behind is dropped; it reconnects and catches up from the backlog.
MAX_PENDING = 1000
# Redis connections per process: each channel subscription holds one (a hall has hundreds of tables), and
# backlog reads borrow one briefly; beyond this, connecting phones wait instead of failing.
ASYNC_POOL_SIZE = 2000


@dataclass(frozen=True)
class LiveEvent:
    channel: str
    id: int
    event: str
    data: dict[str, Any]

    @cached_property
    def sse_fields(self) -> bytes:
        """The event's ``event:`` and ``data:`` lines, encoded once however many devices receive it."""
        payload = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))
        return f"event: {self.event}\ndata: {payload}\n\n".encode()


class SubscriptionEnded(Exception):
    """The broker let go of a subscription: the device fell too far behind or the Redis connection broke.

    The device reconnects with its last event id and catches up from the backlog.
    """


class Subscription:
    """One device's events on one channel: those it missed after ``after`` (none if None), then new ones.

    Use it as ``async with subscribe(channel, after) as events:`` and then ``async for event in events``
    or ``await events.get(timeout)``; leaving the block unsubscribes. Several subscriptions can share one
    ``wakeup`` event, so that one task waits for all of them (see ``sse_response``).
    """

    def __init__(
        self, broker: "Broker", channel: str, after: int | None, wakeup: asyncio.Event | None = None
    ) -> None:
        self.broker = broker
        self.channel = channel
        self.after = after
        # The id of the last event handed over or, before the first, of the point the subscription starts from.
        self.last_event_id = 0
        self.loop: asyncio.AbstractEventLoop | None = None
        self._replay: deque[LiveEvent] = deque()
        self._live: deque[LiveEvent] = deque()
        self._wakeup = wakeup or asyncio.Event()
        self._ended = False

    async def __aenter__(self) -> Self:
        self.loop = asyncio.get_running_loop()
        backlog, newest_id = await self.broker.attach(self)
        if self.after is None:
            self.last_event_id = newest_id
        elif self.after > newest_id:
            # The numbering restarted (Redis or the process restarted): the device's id is stale.
            self._replay.extend(backlog)
        else:
            self.last_event_id = self.after
            self._replay.extend(event for event in backlog if event.id > self.after)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.broker.detach(self)

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> LiveEvent:
        try:
            event = await self.get()
        except SubscriptionEnded:
            raise StopAsyncIteration from None
        assert event is not None
        return event

    async def get(self, timeout: float | None = None) -> LiveEvent | None:
        """The next event, or None when none came within ``timeout`` seconds."""
        try:
            async with asyncio.timeout(timeout):
                while (event := self.poll()) is None:
                    self._wakeup.clear()
                    await self._wakeup.wait()
                return event
        except TimeoutError:
            return None

    def poll(self) -> LiveEvent | None:
        """The next event if one is waiting; raises SubscriptionEnded once the broker let go and all is read."""
        event = self._replay.popleft() if self._replay else None
        while event is None and self._live:
            candidate = self._live.popleft()
            # Events that arrived while the backlog was being read come twice: once from each.
            if candidate.id > self.last_event_id:
                event = candidate
        if event is not None:
            self.last_event_id = event.id
        elif self._ended:
            raise SubscriptionEnded(self.channel)
        return event

    def deliver(self, event: LiveEvent) -> None:
        """Hand over a new event; call it on the subscriber's own event loop."""
        if len(self._live) >= MAX_PENDING:
            self._ended = True
        else:
            self._live.append(event)
        self._wakeup.set()

    def end(self) -> None:
        """Let go of the subscriber after what it has already been handed; call it on its event loop."""
        self._ended = True
        self._wakeup.set()


def _deliver_all(subscriptions: list[Subscription], event: LiveEvent) -> None:
    for subscription in subscriptions:
        subscription.deliver(event)


def _check_name(kind: str, name: str) -> None:
    if not NAME.fullmatch(name):
        raise ValueError(f"A live {kind} name is 1-200 of A-Z a-z 0-9 _ . : - (got {name!r}).")


def _to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


class Broker(ABC):
    """Numbers, keeps and fans out the events of each channel."""

    def __init__(self, *, backlog: int = DEFAULT_BACKLOG) -> None:
        self.backlog = backlog

    @abstractmethod
    def publish(self, channel: str, event: str, data: dict[str, Any]) -> int:
        """Send an event to every subscriber of the channel and keep it for replay; returns its id."""

    def subscribe(
        self, channel: str, last_event_id: int | None = None, *, wakeup: asyncio.Event | None = None
    ) -> Subscription:
        _check_name("channel", channel)
        return Subscription(self, channel, last_event_id, wakeup)

    @abstractmethod
    def newest_id(self, channel: str) -> int:
        """The id of the channel's newest event (0 before the first)."""

    @abstractmethod
    def subscriber_count(self, channel: str) -> int:
        """How many subscribers this process holds on the channel."""

    @abstractmethod
    async def attach(self, subscription: Subscription) -> tuple[list[LiveEvent], int]:
        """Start handing events to the subscription; returns the backlog and the newest id since."""

    @abstractmethod
    def detach(self, subscription: Subscription) -> None:
        """Stop handing events to the subscription. Used by Subscription."""


@dataclass
class _MemoryChannel:
    backlog: deque[LiveEvent]
    newest_id: int = 0
    subscribers: set[Subscription] = field(default_factory=set)


class InMemoryBroker(Broker):
    """Fan-out within this process: for development, tests and a single app process."""

    def __init__(self, *, backlog: int = DEFAULT_BACKLOG) -> None:
        super().__init__(backlog=backlog)
        # Services publish from Django's worker threads while subscribers wait on the event loop.
        self._lock = threading.Lock()
        self._channels: dict[str, _MemoryChannel] = {}

    def _channel(self, name: str) -> _MemoryChannel:
        if name not in self._channels:
            self._channels[name] = _MemoryChannel(backlog=deque(maxlen=self.backlog))
        return self._channels[name]

    def publish(self, channel: str, event: str, data: dict[str, Any]) -> int:
        _check_name("channel", channel)
        _check_name("event", event)
        # A round trip through JSON, so that what works here also works through Redis.
        payload = json.loads(_to_json(data))
        with self._lock:
            state = self._channel(channel)
            state.newest_id += 1
            live_event = LiveEvent(channel, state.newest_id, event, payload)
            state.backlog.append(live_event)
            by_loop: dict[asyncio.AbstractEventLoop, list[Subscription]] = {}
            for subscription in state.subscribers:
                assert subscription.loop is not None
                by_loop.setdefault(subscription.loop, []).append(subscription)
            # One wake-up per event loop, not per subscriber; inside the lock, so every loop gets events in order.
            for loop, subscriptions in by_loop.items():
                try:
                    loop.call_soon_threadsafe(_deliver_all, subscriptions, live_event)
                except RuntimeError:  # that event loop has closed
                    state.subscribers.difference_update(subscriptions)
        return live_event.id

    async def attach(self, subscription: Subscription) -> tuple[list[LiveEvent], int]:
        with self._lock:
            state = self._channel(subscription.channel)
            state.subscribers.add(subscription)
            return list(state.backlog), state.newest_id

    def detach(self, subscription: Subscription) -> None:
        with self._lock:
            if state := self._channels.get(subscription.channel):
                state.subscribers.discard(subscription)

    def newest_id(self, channel: str) -> int:
        with self._lock:
            state = self._channels.get(channel)
            return state.newest_id if state else 0

    def subscriber_count(self, channel: str) -> int:
        with self._lock:
            state = self._channels.get(channel)
            return len(state.subscribers) if state else 0


# Numbers, keeps and announces an event in one atomic step, so ids, backlog and fan-out agree across processes.
_PUBLISH_SCRIPT = """
local id = redis.call('INCR', KEYS[1])
local message = id .. ' ' .. ARGV[1]
redis.call('RPUSH', KEYS[2], message)
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('PUBLISH', ARGV[4], message)
return id
"""


def _decode(channel: str, message: bytes) -> LiveEvent:
    event_id, _, body = message.partition(b" ")
    payload = json.loads(body)
    return LiveEvent(channel, int(event_id), payload["event"], payload["data"])


class _RedisChannelHub:
    """The one Redis subscription an event loop holds for a channel, shared by all its local subscribers."""

    def __init__(self, broker: "RedisBroker", client: "redis.asyncio.Redis", channel: str) -> None:
        self.channel = channel
        self.subscribers: set[Subscription] = set()
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._broker = broker
        self._task = asyncio.create_task(self._listen(client.pubsub()), name=f"live hub {channel}")

    async def _listen(self, pubsub: PubSub) -> None:
        try:
            await pubsub.subscribe(self._broker.key(self.channel))
            confirmation = await pubsub.get_message(timeout=self._broker.connect_timeout)
            if confirmation is None or confirmation["type"] != "subscribe":
                raise redis.ConnectionError(f"Redis did not confirm the subscription to {self.channel}.")
            self.ready.set_result(None)
            while True:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=None)
                if message is not None and message["type"] == "message":
                    _deliver_all(list(self.subscribers), _decode(self.channel, message["data"]))
        except Exception as error:
            # Subscribers end and their devices reconnect: retrying here could silently skip events.
            if self.ready.done():
                logger.warning("Live channel %s lost its Redis subscription: %s", self.channel, error)
            else:
                self.ready.set_exception(error)
        finally:
            self._broker.forget(self)
            for subscription in self.subscribers:
                subscription.end()
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    def stop(self) -> asyncio.Task[None]:
        self._task.cancel()
        return self._task


class RedisBroker(Broker):
    """Fan-out across processes through Redis: ids by INCR, a capped list as backlog, pub/sub to deliver.

    Each process subscribes once per channel however many devices it serves; ``publish`` is synchronous
    (services run in worker threads) and subscribing is asynchronous (streams run on the event loop).
    """

    def __init__(
        self,
        url: str,
        *,
        backlog: int = DEFAULT_BACKLOG,
        prefix: str = "tillit:live:",
        backlog_ttl_seconds: int = 24 * 60 * 60,
        connect_timeout: float = 5.0,
    ) -> None:
        super().__init__(backlog=backlog)
        self.url = url
        self.prefix = prefix
        self.backlog_ttl_seconds = backlog_ttl_seconds
        self.connect_timeout = connect_timeout
        self._client = redis.Redis.from_url(url, socket_timeout=connect_timeout)
        self._publish_script = self._client.register_script(_PUBLISH_SCRIPT)
        # Asyncio connections belong to one event loop: the server has one, tests start several.
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, redis.asyncio.Redis] = (
            weakref.WeakKeyDictionary()
        )
        self._hubs: dict[tuple[asyncio.AbstractEventLoop, str], _RedisChannelHub] = {}

    def key(self, channel: str, suffix: str = "") -> str:
        return f"{self.prefix}{channel}{suffix}"

    def publish(self, channel: str, event: str, data: dict[str, Any]) -> int:
        _check_name("channel", channel)
        _check_name("event", event)
        body = _to_json({"event": event, "data": data})
        keys = [self.key(channel, ":id"), self.key(channel, ":backlog")]
        args: list[str | int] = [body, self.backlog, self.backlog_ttl_seconds, self.key(channel)]
        return int(self._publish_script(keys=keys, args=args))

    def _async_client(self) -> "redis.asyncio.Redis":
        loop = asyncio.get_running_loop()
        if loop not in self._clients:
            # A hall of phones connecting at once waits for one of a few connections instead of failing
            # with "Too many connections" (the default pool is not blocking).
            pool = redis.asyncio.BlockingConnectionPool.from_url(
                self.url,
                max_connections=ASYNC_POOL_SIZE,
                timeout=self.connect_timeout * 4,
                socket_connect_timeout=self.connect_timeout,
                socket_keepalive=True,
                retry=Retry(NoBackoff(), 0),
                client_name=f"{self.prefix}subscriber",  # to tell these apart in CLIENT LIST
            )
            self._clients[loop] = redis.asyncio.Redis(connection_pool=pool)
        return self._clients[loop]

    async def attach(self, subscription: Subscription) -> tuple[list[LiveEvent], int]:
        client = self._async_client()
        hub_key = (asyncio.get_running_loop(), subscription.channel)
        hub = self._hubs.get(hub_key)
        if hub is None:
            hub = self._hubs[hub_key] = _RedisChannelHub(self, client, subscription.channel)
        hub.subscribers.add(subscription)
        try:
            # Shielded: one subscriber giving up must not cancel the subscription the others wait for.
            await asyncio.shield(hub.ready)
            # Read once subscribed, so that nothing falls between the backlog and the live events.
            async with client.pipeline(transaction=True) as pipe:
                pipe.lrange(self.key(subscription.channel, ":backlog"), 0, -1)
                pipe.get(self.key(subscription.channel, ":id"))
                messages, newest_id = await pipe.execute()
        except BaseException:
            self.detach(subscription)
            raise
        return [_decode(subscription.channel, message) for message in messages], int(newest_id or 0)

    def detach(self, subscription: Subscription) -> None:
        assert subscription.loop is not None
        hub = self._hubs.get((subscription.loop, subscription.channel))
        if hub is None:
            return
        hub.subscribers.discard(subscription)
        if not hub.subscribers:
            self.forget(hub)
            hub.stop()

    def forget(self, hub: _RedisChannelHub) -> None:
        for hub_key, known in list(self._hubs.items()):
            if known is hub:
                del self._hubs[hub_key]

    def newest_id(self, channel: str) -> int:
        return int(self._client.get(self.key(channel, ":id")) or 0)

    def subscriber_count(self, channel: str) -> int:
        return sum(len(hub.subscribers) for (_, name), hub in self._hubs.items() if name == channel)

    async def aclose(self) -> None:
        """Close this event loop's Redis connections (for tests; a server keeps them for its lifetime)."""
        loop = asyncio.get_running_loop()
        for (hub_loop, _), hub in list(self._hubs.items()):
            if hub_loop is loop:
                await asyncio.gather(hub.stop(), return_exceptions=True)
        if client := self._clients.pop(loop, None):
            await client.aclose()

    def close(self) -> None:
        self._client.close()


_broker: Broker | None = None
_broker_lock = threading.Lock()


def get_broker() -> Broker:
    """The broker the settings choose: Redis when REDIS_URL is set, this process's memory otherwise."""
    global _broker
    with _broker_lock:
        if _broker is None:
            backlog = getattr(settings, "LIVE_BACKLOG", DEFAULT_BACKLOG)
            backend = getattr(settings, "LIVE_BACKEND", "redis" if settings.REDIS_URL else "memory")
            if backend == "redis":
                _broker = RedisBroker(settings.REDIS_URL, backlog=backlog)
            elif backend == "memory":
                _broker = InMemoryBroker(backlog=backlog)
            else:
                raise ValueError(f"LIVE_BACKEND is 'redis' or 'memory', not {backend!r}.")
        return _broker


@receiver(setting_changed)
def _forget_broker(*, setting: str, **kwargs: Any) -> None:
    global _broker
    if setting in {"LIVE_BACKEND", "LIVE_BACKLOG", "REDIS_URL"}:
        with _broker_lock:
            _broker = None


def publish(channel: str, event: str, data: dict[str, Any]) -> int:
    """Push an event to every device on the channel; returns its id.

    Call it from a service inside ``transaction.on_commit(..., robust=True)``, so devices only hear of
    data that is saved and a Redis hiccup does not fail the request. It blocks briefly on Redis, so an
    async caller wraps it in ``sync_to_async``.
    """
    return get_broker().publish(channel, event, data)


def subscribe(channel: str, last_event_id: int | None = None) -> Subscription:
    """The channel's events after ``last_event_id`` (none if None), then new ones; see Subscription."""
    return get_broker().subscribe(channel, last_event_id)


def last_event_ids(channels: Sequence[str]) -> str:
    """Where a page's stream should start, as the page's own data is read: put it in the stream's URL as
    ``?last_event_id=`` and the stream replays anything published after this call."""
    broker = get_broker()
    return ",".join(str(broker.newest_id(channel)) for channel in channels)


def _last_event_ids(request: HttpRequest, count: int) -> list[int | None]:
    """Where a reconnecting EventSource left off in each channel, from the id it sends back.

    A page can also put the id in the stream's URL for the first connection, which cannot send headers.
    """
    value = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id", "")
    ids = value.split(",")
    if len(ids) == count and all(part.isascii() and part.isdigit() for part in ids):
        return [int(part) for part in ids]
    return [None] * count


def sse_response(
    request: HttpRequest,
    channels: str | Sequence[str],
    *,
    heartbeat: float | None = None,
    broker: Broker | None = None,
) -> StreamingHttpResponse:
    """Stream one or more channels to one device as server-sent events over a single connection.

    Check the person may see the channels first; the stream itself checks nothing. With several channels
    an event's id lists where the device is in each, in order ("12,4"), so keep the order stable.
    """
    if str(request.META.get("SERVER_SOFTWARE", "")).startswith("WSGIServer"):
        # A WSGI server (runserver, the test live server) would hold a thread forever on an endless
        # stream; 204 tells the browser's EventSource not to reconnect. Live pages then work by reloading.
        return StreamingHttpResponse(iter(()), status=204)
    names = [channels] if isinstance(channels, str) else list(channels)
    interval = heartbeat or float(getattr(settings, "LIVE_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS))
    wakeup = asyncio.Event()
    source = broker or get_broker()
    subscriptions = [
        source.subscribe(name, last_event_id, wakeup=wakeup)
        for name, last_event_id in zip(names, _last_event_ids(request, len(names)), strict=True)
    ]
    stream = _event_stream(subscriptions, wakeup, interval)
    response = StreamingHttpResponse(stream, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


async def _event_stream(
    subscriptions: list[Subscription], wakeup: asyncio.Event, heartbeat: float
) -> AsyncIterator[bytes]:
    async with contextlib.AsyncExitStack() as stack:
        for subscription in subscriptions:
            await stack.enter_async_context(subscription)
        # Sent once subscribed, so a client that has read it misses nothing. The jitter (not security)
        # spreads out the reconnections of a hall full of phones after a restart.
        yield f"retry: {random.randint(2000, 6000)}\n\n".encode()  # noqa: S311
        while True:
            sent = False
            # One event at a time, so the position in each id is exactly what the device has received.
            for subscription in subscriptions:
                try:
                    event = subscription.poll()
                except SubscriptionEnded:
                    return
                if event is not None:
                    sent = True
                    yield _sse(event, subscriptions)
            if not sent:
                wakeup.clear()
                try:
                    async with asyncio.timeout(heartbeat):
                        await wakeup.wait()
                except TimeoutError:
                    # Comments keep proxies and phone networks from closing a quiet connection.
                    yield b": heartbeat\n\n"


def _sse(event: LiveEvent, subscriptions: list[Subscription]) -> bytes:
    position = ",".join(str(subscription.last_event_id) for subscription in subscriptions)
    return f"id: {position}\n".encode() + event.sse_fields
