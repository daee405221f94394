#!/usr/bin/env python3
"""Relays N datagrams through a TURN server with aioice's client, to an echo socket on 127.0.0.1.

  TURN_PASSWORD=... aioice_relay.py HOST:PORT USERNAME N [--timeout SECONDS]

Allocates over UDP, sends N datagrams via the relay to a UDP echo socket this script opens on
127.0.0.1 (so the server must allow loopback peers), counts the echoes that come back, and
prints one JSON line: {"relayed": "ip:port", "sent": N, "received": M}. Exits 0 when every
echo came back, 1 otherwise or on any failure, with the reason on stderr.
"""
import argparse, asyncio, json, os, sys

try:
    from aioice.turn import create_turn_endpoint
except ImportError:
    sys.exit("aioice_relay: aioice is not installed (pip install aioice)")


WINDOW = 32


class Echo(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.transport.sendto(data, addr)


class Counter(asyncio.DatagramProtocol):
    """Counts distinct sequence numbers echoed back, so a duplicated datagram is not counted twice."""

    def __init__(self, count):
        self.seen, self.count, self.error = set(), count, None
        self.progress, self.all_back = asyncio.Event(), asyncio.Event()

    def datagram_received(self, data, addr):
        if data.startswith(b"aioice_relay ") and data not in self.seen:
            self.seen.add(data)
            self.progress.set()
            if len(self.seen) == self.count:
                self.all_back.set()

    def error_received(self, exc):
        self.error = exc  # a failed ChannelBind surfaces here, from TurnTransport.sendto
        self.progress.set()
        self.all_back.set()


async def relay(host, port, username, password, count, timeout):
    loop = asyncio.get_running_loop()
    echo, _ = await loop.create_datagram_endpoint(Echo, local_addr=("127.0.0.1", 0))
    turn, counter = await create_turn_endpoint(lambda: Counter(count), (host, port), username, password)
    try:
        peer = echo.get_extra_info("sockname")
        written_off = 0  # datagrams given up for lost, so that a loss does not stall the window
        for sequence in range(count):
            # At most WINDOW unanswered datagrams: a burst would overrun the socket buffers of
            # this single-threaded echo and client, and that loss would not be the relay's.
            while sequence - len(counter.seen) - written_off >= WINDOW and not counter.error:
                counter.progress.clear()
                try:
                    await asyncio.wait_for(counter.progress.wait(), 0.5)
                except asyncio.TimeoutError:
                    written_off = sequence - len(counter.seen)
            turn.sendto(b"aioice_relay %d" % sequence, peer)
        try:
            await asyncio.wait_for(counter.all_back.wait(), timeout)
        except asyncio.TimeoutError:
            pass
        if counter.error:
            raise counter.error
        relayed = turn.get_extra_info("sockname")
        return {"relayed": f"{relayed[0]}:{relayed[1]}", "sent": count, "received": len(counter.seen)}
    finally:
        turn.close()  # Refresh(lifetime 0), so the server frees the allocation now
        await asyncio.sleep(0.2)
        echo.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("server", help="TURN server HOST:PORT (UDP)")
    parser.add_argument("username")
    parser.add_argument("count", type=int, help="datagrams to send")
    parser.add_argument("--password-env", default="TURN_PASSWORD",
                        help="environment variable holding the password (default TURN_PASSWORD)")
    parser.add_argument("--timeout", type=float, default=10, help="seconds for the whole run (default 10)")
    args = parser.parse_args()
    host, _, port = args.server.rpartition(":")
    if not host or not port.isdigit():
        parser.error(f"server must be HOST:PORT, not {args.server!r}")
    password = os.environ.get(args.password_env)
    if password is None:
        parser.error(f"set the password in ${args.password_env}")

    async def bounded():
        # Allocation, sends and the wait for echoes all come out of one time budget.
        return await asyncio.wait_for(
            relay(host.strip("[]"), int(port), args.username, password, args.count, args.timeout), args.timeout + 5)

    try:
        result = asyncio.run(bounded())
    except asyncio.TimeoutError:
        sys.exit(f"aioice_relay: no allocation from {args.server} within {args.timeout + 5:g} s")
    except Exception as error:  # aioice raises TransactionFailed (STUN error), TransactionTimeout, ConnectionError
        sys.exit(f"aioice_relay: {type(error).__name__}: {error}")
    print(json.dumps(result))
    if result["received"] < result["sent"]:
        sys.exit(f"aioice_relay: only {result['received']} of {result['sent']} echoes came back")


if __name__ == "__main__":
    main()
