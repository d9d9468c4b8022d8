// per-call: one process writes 1 byte then reads 1 byte on a pipe, n times (ns per pair).
#include "common.h"

int main(int argc, char** argv) {
  long n = arg_count(argc, argv, 1000000);
  int fds[2];
  if (pipe(fds) != 0) die("pipe");
  char b = 'x';
  for (long i = 0; i < 20000; i++) {  // warm-up, as the other columns do
    if (write(fds[1], &b, 1) != 1 || read(fds[0], &b, 1) != 1) die("warm-up");
  }
  double t0 = now_ns();
  for (long i = 0; i < n; i++) {
    if (write(fds[1], &b, 1) != 1) die("write");
    if (read(fds[0], &b, 1) != 1) die("read");
  }
  double t1 = now_ns();
  report("percall", (t1 - t0) / n, n);
  return 0;
}
