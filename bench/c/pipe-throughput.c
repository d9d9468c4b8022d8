// pipe throughput: a child writes n bytes in 64 KiB writes; the parent reads them (GB/s, timed by
// the reader from its first read to the last byte).
#include <sys/wait.h>

#include "common.h"

int main(int argc, char** argv) {
  long n = arg_count(argc, argv, 1L << 30);
  static char buf[CHUNK];
  int fds[2];
  if (pipe(fds) != 0) die("pipe");
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    close(fds[0]);
    for (long left = n; left > 0; left -= CHUNK) write_all(fds[1], buf, left < CHUNK ? (size_t)left : CHUNK);
    _exit(0);
  }
  close(fds[1]);
  ssize_t first = read(fds[0], buf, CHUNK);
  if (first <= 0) die("read");
  double t0 = now_ns();
  long got = first;
  while (got < n) {
    ssize_t k = read(fds[0], buf, CHUNK);
    if (k <= 0) die("read");
    got += k;
  }
  double t1 = now_ns();
  waitpid(pid, NULL, 0);
  report("pipe-throughput", (got - first) / (t1 - t0), n);
  return 0;
}
