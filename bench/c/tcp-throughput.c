// TCP loopback throughput: a child connects to 127.0.0.1 and sends n bytes in 64 KiB sends; the
// parent receives them (GB/s, timed by the receiver from its first recv to the last byte).
#include <sys/wait.h>

#include "common.h"

int main(int argc, char** argv) {
  long n = arg_count(argc, argv, 1L << 30);
  static char buf[CHUNK];
  struct sockaddr_in a;
  int l = listen_loopback(&a);
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    close(l);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0 || connect(s, (struct sockaddr*)&a, sizeof a) != 0) die("connect");
    for (long left = n; left > 0;) {
      ssize_t k = send(s, buf, left < CHUNK ? (size_t)left : CHUNK, 0);
      if (k < 0) die("send");
      left -= k;
    }
    close(s);
    _exit(0);
  }
  int c = accept(l, NULL, NULL);
  if (c < 0) die("accept");
  ssize_t first = recv(c, buf, CHUNK, 0);
  if (first <= 0) die("recv");
  double t0 = now_ns();
  long got = first;
  while (got < n) {
    ssize_t k = recv(c, buf, CHUNK, 0);
    if (k <= 0) die("recv");
    got += k;
  }
  double t1 = now_ns();
  close(c);
  close(l);
  waitpid(pid, NULL, 0);
  report("tcp-throughput", (got - first) / (t1 - t0), n);
  return 0;
}
