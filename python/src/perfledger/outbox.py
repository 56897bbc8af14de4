"""Registrations and records sent in the background, kept in a journal so that nothing is lost
or sent twice: what the training-framework callbacks use.

An :class:`Outbox` appends every request to a journal file (JSON lines) before returning, and a
worker thread hashes and submits them in order. A chain that cannot be reached, a dropped
connection or a full block is retried with back-off; a refusal by the chain (a pallet error) is
final and logged. A training run never waits for the chain and never fails because of it:
:meth:`Outbox.flush` waits, for at most the time given, for what is queued.

Requests may refer to earlier ones (a checkpoint's parent is the run's previous checkpoint,
whose id is not known until it is registered): ``Ref("key")`` is replaced by that request's id
when it is sent. A run that ends offline leaves its journal; ``python -m perfledger flush
JOURNAL`` (or ``Outbox(JOURNAL).flush()``) sends the rest later. A registration is never sent
twice: before sending, the chain is asked whether the digest is registered already (a digest is
registered once), and a record carries the digest of its fields, which the chain refuses a
second time.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from .errors import ChainError, PerfledgerError, TransactionRefused

__all__ = ["Outbox", "Ref"]

log = logging.getLogger("perfledger")

#: Seconds between attempts while the chain cannot be reached, growing to the last.
BACKOFF = (1, 2, 5, 10, 30)
#: Refusals by the transaction pool that are retried (the rest are final).
_TRANSIENT = ("Stale", "Future", "ExhaustsResources", "Priority", "Temporarily banned", "TooLowPriority")


@dataclass(frozen=True)
class Ref:
    """The id of an earlier request of the same outbox, by its key."""

    key: str

    def to_json(self) -> dict[str, str]:
        return {"ref": self.key}


def _encode(value: Any) -> Any:
    return value.to_json() if isinstance(value, Ref) else value


def _decode(value: Any) -> Any:
    return Ref(value["ref"]) if isinstance(value, dict) and set(value) == {"ref"} else value


class Outbox:
    """A journal of requests and the thread that sends them.

    ``journal`` is the file (created if missing; an existing one is resumed: what it holds that
    was not done is sent). ``connect`` makes the worker's :class:`~perfledger.Ledger` (by
    default ``Ledger(url, signer)``).
    """

    def __init__(
        self,
        journal: str | os.PathLike,
        *,
        url: str | None = None,
        signer: Any = None,
        connect: Callable[[], Any] | None = None,
        start: bool = True,
    ):
        self.journal = os.fspath(journal)
        os.makedirs(os.path.dirname(os.path.abspath(self.journal)), exist_ok=True)
        if connect is None:
            from .ledger import Ledger

            def connect() -> Any:
                return Ledger(url, signer)

        self._connect = connect
        self._lock = threading.Condition()
        self._requests: dict[str, dict[str, Any]] = {}
        self._order: list[str] = []
        self._ids: dict[str, int] = {}
        self._failed: dict[str, str] = {}
        self._closing = False
        self._thread: threading.Thread | None = None
        self._replay()
        if start:
            self.start()

    # The journal ----------------------------------------------------------------------------

    def _replay(self) -> None:
        if not os.path.exists(self.journal):
            return
        with open(self.journal, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    entry = json.loads(line)
                except ValueError:
                    # A line cut short by a crash mid-write: the request it held was never
                    # acknowledged to the caller, so nothing is lost by skipping it.
                    log.warning("perfledger outbox %s: line %d is not JSON, skipped", self.journal, number)
                    continue
                self._apply(entry)

    def _apply(self, entry: Mapping[str, Any]) -> None:
        key = entry["key"]
        if entry["op"] == "done":
            self._ids[key] = int(entry["id"])
        elif entry["op"] == "failed":
            self._failed[key] = entry["why"]
        else:
            if key not in self._requests:
                self._order.append(key)
            self._requests[key] = dict(entry)

    def _settle(self, key: str, **outcome: Any) -> None:
        """Journals a request's outcome (``op="done", id=…`` or ``op="failed", why=…``) and
        wakes whoever waits for it. Called with the lock held."""
        self._append({"key": key, **outcome})
        self._lock.notify_all()

    def _append(self, entry: Mapping[str, Any]) -> None:
        with open(self.journal, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self._apply(entry)

    # What callers do ------------------------------------------------------------------------

    def register(
        self,
        key: str,
        path: str | os.PathLike,
        *,
        kind: str,
        license: int,
        parents: Iterable[int | Ref] = (),
        uri: str | None = None,
    ) -> Ref:
        """Queues the registration of the file or directory at ``path``; returns a
        :class:`Ref` to its id. ``key`` names the request (unique in the journal): queueing
        the same key again does nothing."""
        return self._enqueue(
            key,
            {
                "op": "register",
                "path": os.path.abspath(os.fspath(path)),
                "kind": kind,
                "license": int(license),
                "parents": [_encode(p) for p in parents],
                "uri": uri,
            },
        )

    def record(self, key: str, *, metric: int, model: int | Ref, amount: int, scale: int, time_ms: int | None = None) -> Ref:
        """Queues a ``records`` record of ``metric`` about the model ``model`` (its evaluation
        result, ``amount`` × 10^-``scale``)."""
        return self._enqueue(
            key,
            {
                "op": "record",
                "metric": int(metric),
                "model": _encode(model),
                "amount": int(amount),
                "scale": int(scale),
                "time": int(time.time() * 1000) if time_ms is None else int(time_ms),
            },
        )

    def _enqueue(self, key: str, request: dict[str, Any]) -> Ref:
        with self._lock:
            if key not in self._requests:
                self._append({"key": key, **request})
                self._lock.notify_all()
        return Ref(key)

    def id_of(self, ref: Ref | str) -> int | None:
        """The id a request got, once it is done."""
        with self._lock:
            return self._ids.get(ref.key if isinstance(ref, Ref) else ref)

    def pending(self) -> list[str]:
        """The keys of requests neither done nor failed, in order."""
        with self._lock:
            return self._pending_locked()

    def failed(self) -> dict[str, str]:
        """The requests the chain refused, with why."""
        with self._lock:
            return dict(self._failed)

    def flush(self, timeout: float | None = None) -> bool:
        """Waits until nothing is pending, for at most ``timeout`` seconds; returns whether
        everything queued was sent (or refused, see :meth:`failed`). What is left stays in the
        journal."""
        self.start()
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            while self._pending_locked():
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._lock.wait(left if left is None else min(left, 1.0))
        return True

    def _pending_locked(self) -> list[str]:
        return [k for k in self._order if k not in self._ids and k not in self._failed]

    def start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._closing = False
                self._thread = threading.Thread(target=self._run, name="perfledger-outbox", daemon=True)
                self._thread.start()

    def close(self, timeout: float | None = 0) -> bool:
        """Flushes for at most ``timeout`` seconds, then stops the worker; returns whether
        nothing is left pending."""
        done = self.flush(timeout) if timeout != 0 else not self.pending()
        with self._lock:
            self._closing = True
            self._lock.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=30)
        return done

    # The worker -----------------------------------------------------------------------------

    def _next(self) -> tuple[str, dict[str, Any]] | None:
        for key in self._pending_locked():
            request = self._requests[key]
            refs = [v for v in self._refs(request)]
            if any(r.key in self._failed for r in refs):
                self._settle(key, op="failed", why="a request it depends on was refused")
                continue
            if all(r.key in self._ids for r in refs):
                return key, request
        return None

    @staticmethod
    def _refs(request: Mapping[str, Any]) -> list[Ref]:
        values = list(request.get("parents", [])) + [request.get("model")]
        return [v for v in map(_decode, values) if isinstance(v, Ref)]

    def _resolve(self, value: Any) -> Any:
        value = _decode(value)
        return self._ids[value.key] if isinstance(value, Ref) else value

    def _run(self) -> None:
        ledger = None
        attempt = 0
        while True:
            with self._lock:
                ready = self._next()
                while not self._closing and ready is None:
                    self._lock.wait(1.0)
                    ready = self._next()
                if self._closing:
                    break
                key, request = ready
            try:
                if ledger is None:
                    ledger = self._connect()
                new_id = self._send(ledger, key, request)
            except (ChainError, TransactionRefused) as error:
                transient = isinstance(error, TransactionRefused) and any(
                    t.lower() in error.reason.lower() for t in _TRANSIENT
                )
                if not transient:
                    log.error("perfledger: %s refused: %s", key, error)
                    with self._lock:
                        self._settle(key, op="failed", why=str(error))
                    attempt = 0
                    continue
                self._wait(attempt, key, error)
                attempt += 1
                continue
            except PerfledgerError as error:
                if ledger is not None:
                    try:
                        ledger.close()
                    except Exception:  # the connection is being thrown away anyway
                        pass
                ledger = None
                self._wait(attempt, key, error)
                attempt += 1
                continue
            except Exception as error:  # never let the worker die: the run must go on
                log.exception("perfledger: %s failed unexpectedly, will retry", key)
                ledger = None
                self._wait(attempt, key, error)
                attempt += 1
                continue
            attempt = 0
            with self._lock:
                self._settle(key, op="done", id=new_id)
        if ledger is not None:
            ledger.close()

    def _wait(self, attempt: int, key: str, error: Exception) -> None:
        delay = BACKOFF[min(attempt, len(BACKOFF) - 1)]
        log.warning("perfledger: %s not sent (%s); retrying in %ss", key, error, delay)
        with self._lock:
            if not self._closing:
                self._lock.wait(delay)

    def _send(self, ledger: Any, key: str, request: Mapping[str, Any]) -> int:
        if request["op"] == "register":
            if not os.path.exists(request["path"]):
                raise ChainError("Outbox", "Missing", docs=f"{request['path']} was removed before it was registered")
            registered = ledger.register(
                request["path"],
                kind=request["kind"],
                license=request["license"],
                parents=[self._resolve(p) for p in request["parents"]],
                uri=request["uri"],
            )
            if registered.already:
                log.info("perfledger: %s is artifact %d already", key, registered.id)
            return registered.id
        model = self._resolve(request["model"])
        document = _record_document(key, request, model)
        existing = ledger.record_by_document(document)
        if existing is not None:
            return existing
        from .ledger import model_subject

        return ledger.record(
            metric=request["metric"],
            subject=model_subject(model),
            amount=request["amount"],
            scale=request["scale"],
            time_ms=request["time"],
            document=document,
        )


def _record_document(key: str, request: Mapping[str, Any], model: int) -> bytes:
    import hashlib

    text = f"perfledger-outbox/1\t{key}\t{request['metric']}\t{model}\t{request['amount']}\t{request['scale']}\t{request['time']}"
    return hashlib.blake2b(text.encode(), digest_size=32).digest()


def main(argv: list[str] | None = None) -> int:
    """``python -m perfledger flush JOURNAL [--timeout S]``: sends what a run left."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m perfledger", description=main.__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    flush = sub.add_parser("flush", help="send what a journal holds that was not sent")
    flush.add_argument("journal")
    flush.add_argument("--timeout", type=float, default=600.0, help="seconds to wait at most (600)")
    flush.add_argument("--url", default=None, help="the node (default $PERFLEDGER_URL or ws://127.0.0.1:9944)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    outbox = Outbox(args.journal, url=args.url)
    done = outbox.close(timeout=args.timeout)
    for key, why in outbox.failed().items():
        print(f"refused: {key}: {why}")
    left = outbox.pending()
    print(f"{len(outbox._ids)} sent, {len(outbox.failed())} refused, {len(left)} left")
    return 0 if done and not outbox.failed() else 1


