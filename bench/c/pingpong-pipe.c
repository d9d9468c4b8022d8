// ping-pong over a pipe pair: the parent writes 1 byte, the child echoes it back, n times
// (µs per round trip, after 1,000 untimed trips).
#include <sys/wait.h>

#include "common.h"

int main(int argc, char** argv) {
  long n = arg_count(argc, argv, 100000);
  int down[2], up[2];
  if (pipe(down) != 0 || pipe(up) != 0) die("pipe");
  pid_t pid = fork();
  if (pid < 0) die("fork");
  char b = 'x';
  if (pid == 0) {
    close(down[1]);
    close(up[0]);
    while (read(down[0], &b, 1) == 1) {
      if (write(up[1], &b, 1) != 1) die("write");
    }
    _exit(0);
  }
  close(down[0]);
  close(up[1]);
  double t0 = 0;
  for (long i = -WARMUP_TRIPS; i < n; i++) {
    if (i == 0) t0 = now_ns();
    if (write(down[1], &b, 1) != 1) die("write");
    if (read(up[0], &b, 1) != 1) die("read");
  }
  double t1 = now_ns();
  close(down[1]);
  waitpid(pid, NULL, 0);
  report("pingpong-pipe", (t1 - t0) / n / 1e3, n);
  return 0;
}
