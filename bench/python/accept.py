"""accept rate: n times connect to a listener on 127.0.0.1, accept, close both (the accepted end
first). Connections per second, after 100 untimed ones."""
import socket
from common import count, now_ns, report

n = count(20_000)
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(('127.0.0.1', 0))
listener.listen(128)
address = listener.getsockname()
AF_INET, SOCK_STREAM = socket.AF_INET, socket.SOCK_STREAM
t0 = 0
for i in range(-100, n):
    if i == 0:
        t0 = now_ns()
    c = socket.socket(AF_INET, SOCK_STREAM)
    c.connect(address)
    s, _ = listener.accept()
    s.close()
    c.close()
t1 = now_ns()
listener.close()
report('accept', n / ((t1 - t0) / 1e9), n)
