"""TCP loopback throughput: a child sends n bytes in 64 KiB sends to 127.0.0.1; the parent
receives them into one buffer (GB/s, timed by the receiver from its first recv to the last byte)."""
import os
import socket
from common import CHUNK, count, now_ns, report

n = count(1 << 30)
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(('127.0.0.1', 0))
listener.listen(128)
address = listener.getsockname()
pid = os.fork()
if pid == 0:
    listener.close()
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect(address)
    data = memoryview(bytes(CHUNK))
    left = n
    while left > 0:
        left -= s.send(data[:left] if left < CHUNK else data)
    s.close()
    os._exit(0)
c, _ = listener.accept()
buf = bytearray(CHUNK)
first = c.recv_into(buf)
t0 = now_ns()
got = first
while got < n:
    k = c.recv_into(buf)
    if k <= 0:
        raise SystemExit('recv: peer closed early')
    got += k
t1 = now_ns()
c.close()
listener.close()
os.waitpid(pid, 0)
report('tcp-throughput', (got - first) / (t1 - t0), n)
