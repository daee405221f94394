"""What the loopback benchmarks share: children that die with the script, CPU from /proc and
wait4, free ports, a STUN readiness check, a paced turnutils_uclient load, and a figure's
median and range over rounds."""
import ctypes, os, re, signal, socket, statistics, subprocess, sys, time
from pathlib import Path

NAME = Path(sys.argv[0]).name  # the benchmark running, for its messages

INTERVAL_MS = 20  # uclient's -z: 50 packets/s per session
PER_CLIENT = 50  # sessions per uclient, see above
SECRET = "north-wind-shared-secret"
TICK = os.sysconf("SC_CLK_TCK")
children = []


def die_with_parent():
    # Children get SIGKILL if this script dies, even by SIGKILL, so no relay outlives a run.
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def spawn(argv, log, env=None):
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                         env=env, preexec_fn=die_with_parent)
    children.append(p)
    return p


def stop(p):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(3)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def cpu_seconds(pid):
    # Fields after the ")" that ends the command name: utime and stime are the 12th and 13th.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def free_port(pair=False):
    # coturn listens on UDP and TCP; turnutils_peer takes port and port+1 (RTP and RTCP).
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        try:
            for p, kind in [(port, socket.SOCK_DGRAM), (port, socket.SOCK_STREAM)] + \
                           ([(port + 1, socket.SOCK_DGRAM)] if pair else []):
                with socket.socket(socket.AF_INET, kind) as s:
                    s.bind(("127.0.0.1", p))
            return port
        except OSError:
            continue


def wait_for_stun(port, process, seconds=10):
    # A Binding response means the relay is up, whichever relay it is.
    request = bytes.fromhex("000100002112a442") + os.urandom(12)
    deadline = time.monotonic() + seconds
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.2)
        while time.monotonic() < deadline:
            if process.poll() is not None:
                sys.exit(f"{NAME}: {process.args[0]} exited at start (status {process.returncode})")
            s.sendto(request, ("127.0.0.1", port))
            try:
                if s.recv(1500)[8:20] == request[8:20]:
                    return
            except OSError:
                pass
    sys.exit(f"{NAME}: nothing answered STUN on 127.0.0.1:{port} within {seconds} s")


def run_load(args, port, peer_port, peer, relay, workdir, name, per_client=PER_CLIENT):
    """Runs the uclients once, per_client sessions each; returns their totals and the CPU the
    relay, clients and peer used."""
    n = args.seconds * 1000 // INTERVAL_MS
    count = -(-args.sessions // per_client)
    clients = []
    relay0, peer0 = cpu_seconds(relay.pid), cpu_seconds(peer.pid)
    for i in range(count):
        sessions = args.sessions // count + (i < args.sessions % count)
        argv = ["turnutils_uclient", "-c", "-z", str(INTERVAL_MS), "-n", str(n), "-l", "120",
                "-m", str(sessions), "-u", f"user{i}", "-W", SECRET, "-p", str(port),
                "-e", "127.0.0.1", "-r", str(peer_port), *args.uclient_flag, "127.0.0.1"]
        print(f"<!-- {name}: {' '.join(argv)} -->", flush=True)
        with open(workdir / f"uclient-{name}-{i}.log", "w") as log:
            clients.append(spawn(argv, log))
    # Sessions start 1-6 s apart and wait 10 s for stragglers if any packet was lost; one
    # uclient of many sessions takes longer to start them all.
    limit = args.seconds + 60 + per_client // 2
    deadline, client_cpu = time.monotonic() + limit, 0.0
    for client in clients:
        while True:
            pid, status, usage = os.wait4(client.pid, os.WNOHANG)
            if pid:
                client.returncode = os.waitstatus_to_exitcode(status)
                client_cpu += usage.ru_utime + usage.ru_stime
                break
            if time.monotonic() > deadline:
                sys.exit(f"{NAME}: uclient against {name} ran past {limit} s")
            time.sleep(0.05)
    result = dict(relay_cpu=cpu_seconds(relay.pid) - relay0, peer_cpu=cpu_seconds(peer.pid) - peer0,
                  client_cpu=client_cpu, sent=0, received=0, lost=0)
    for i, client in enumerate(clients):
        out = (workdir / f"uclient-{name}-{i}.log").read_text()
        totals = re.findall(r"start_mclient: tot_send_msgs=(\d+), tot_recv_msgs=(\d+)$", out, re.M)
        lost = re.search(r"Total lost packets (\d+) ", out)
        if client.returncode != 0 or not totals or not lost:
            sys.exit(f"{NAME}: uclient against {name} failed (status {client.returncode}):\n{out[-2000:]}")
        result["sent"] += int(totals[-1][0])
        result["received"] += int(totals[-1][1])
        result["lost"] += int(lost[1])
    result["loss"] = 100 * result["lost"] / max(result["sent"], 1)
    return result




def start_coturn(workdir):
    """coturn on 127.0.0.1 with the shared SECRET (TURN REST), verbose so that it logs each
    allocation's counters; returns the process, its port and its log file."""
    workdir.mkdir(parents=True, exist_ok=True)
    port, log = free_port(), workdir / "coturn.log"
    relay = spawn(["turnserver", "-n", "-v", "--simple-log", "--listening-ip=127.0.0.1",
                   "--relay-ip=127.0.0.1", f"--listening-port={port}", "--no-tls", "--no-dtls",
                   # coturn's default relay ports overlap the kernel's ephemeral range.
                   "--min-port=61000", "--max-port=65535", "--realm=R", "--use-auth-secret",
                   f"--static-auth-secret={SECRET}", "--allow-loopback-peers", "--no-cli", "--fingerprint",
                   f"--log-file={log}", f"--pidfile={workdir / 'coturn.pid'}"], subprocess.DEVNULL)
    wait_for_stun(port, relay)
    return relay, port, log


def spread(values):
    """The median and the range: this VM moves ±30% between runs, so one figure says little."""
    return values[0] if len(values) == 1 else (statistics.median(values), min(values), max(values))


def text(figure, digits=2):
    if isinstance(figure, tuple):
        return f"{figure[0]:.{digits}f} ({figure[1]:.{digits}f}–{figure[2]:.{digits}f})"
    return f"{figure:.{digits}f}"
