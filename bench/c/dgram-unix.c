// AF_UNIX datagrams: a child sends n 64-byte datagrams over a SOCK_DGRAM socketpair; the parent
// receives them (datagrams per second, timed by the receiver from its first recv to the last).
#include <sys/socket.h>
#include <sys/wait.h>

#include "common.h"

int main(int argc, char** argv) {
  long n = arg_count(argc, argv, 500000);
  char buf[64] = {0};
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) != 0) die("socketpair");
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    close(sv[0]);
    for (long i = 0; i < n; i++) {
      if (send(sv[1], buf, sizeof buf, 0) != sizeof buf) die("send");
    }
    _exit(0);
  }
  close(sv[1]);
  if (recv(sv[0], buf, sizeof buf, 0) != sizeof buf) die("recv");
  double t0 = now_ns();
  for (long i = 1; i < n; i++) {
    if (recv(sv[0], buf, sizeof buf, 0) != sizeof buf) die("recv");
  }
  double t1 = now_ns();
  close(sv[0]);
  waitpid(pid, NULL, 0);
  report("dgram-unix", (n - 1) / ((t1 - t0) / 1e9), n);
  return 0;
}
