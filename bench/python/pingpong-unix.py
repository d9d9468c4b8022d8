"""ping-pong over an AF_UNIX stream socketpair: send 1 byte, the child echoes it back, n times
(µs per trip)."""
import os
import socket
from common import WARMUP_TRIPS, count, now_ns, report

n = count(100_000)
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
pid = os.fork()
if pid == 0:
    a.close()
    while True:
        m = b.recv(1)
        if not m:
            os._exit(0)
        b.send(m)
b.close()
send, recv, m = a.send, a.recv, b'x'
for _ in range(WARMUP_TRIPS):
    send(m)
    recv(1)
t0 = now_ns()
for _ in range(n):
    send(m)
    recv(1)
t1 = now_ns()
a.close()
os.waitpid(pid, 0)
report('pingpong-unix', (t1 - t0) / n / 1e3, n)
