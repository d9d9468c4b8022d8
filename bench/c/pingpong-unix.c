// ping-pong over an AF_UNIX stream socketpair: send 1 byte, the child echoes it back, n times
// (µs per round trip, after 1,000 untimed trips).
#include <sys/socket.h>
#include <sys/wait.h>

#include "common.h"

int main(int argc, char** argv) {
  long n = arg_count(argc, argv, 100000);
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) die("socketpair");
  pid_t pid = fork();
  if (pid < 0) die("fork");
  char b = 'x';
  if (pid == 0) {
    close(sv[0]);
    while (recv(sv[1], &b, 1, 0) == 1) {
      if (send(sv[1], &b, 1, 0) != 1) die("send");
    }
    _exit(0);
  }
  close(sv[1]);
  double t0 = 0;
  for (long i = -WARMUP_TRIPS; i < n; i++) {
    if (i == 0) t0 = now_ns();
    if (send(sv[0], &b, 1, 0) != 1) die("send");
    if (recv(sv[0], &b, 1, 0) != 1) die("recv");
  }
  double t1 = now_ns();
  close(sv[0]);
  waitpid(pid, NULL, 0);
  report("pingpong-unix", (t1 - t0) / n / 1e3, n);
  return 0;
}
