"""AF_UNIX datagrams: a child sends n 64-byte datagrams over a SOCK_DGRAM socketpair; the parent
receives them into one buffer (datagrams per second, from the first recv to the last)."""
import os
import socket
from common import count, now_ns, report

n = count(500_000)
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
pid = os.fork()
if pid == 0:
    a.close()
    send, m = b.send, bytes(64)
    for _ in range(n):
        send(m)
    os._exit(0)
b.close()
buf = bytearray(64)
recv_into = a.recv_into
recv_into(buf)
t0 = now_ns()
for _ in range(n - 1):
    if recv_into(buf) != 64:
        raise SystemExit('short datagram')
t1 = now_ns()
a.close()
os.waitpid(pid, 0)
report('dgram-unix', (n - 1) / ((t1 - t0) / 1e9), n)
