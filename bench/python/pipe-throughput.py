"""pipe throughput: a child writes n bytes in 64 KiB writes; the parent reads them into one buffer
(GB/s, timed by the reader from its first read to the last byte)."""
import os
from common import CHUNK, count, now_ns, report

n = count(1 << 30)
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    data = bytes(CHUNK)
    left = n
    while left > 0:
        left -= os.write(w, data[:left] if left < CHUNK else data)
    os._exit(0)
os.close(w)
buf = bytearray(CHUNK)
first = os.readv(r, [buf])
t0 = now_ns()
got = first
while got < n:
    k = os.readv(r, [buf])
    if k <= 0:
        raise SystemExit('read: end of file')
    got += k
t1 = now_ns()
os.waitpid(pid, 0)
report('pipe-throughput', (got - first) / (t1 - t0), n)
