// fork + _exit + waitpid, n times (µs each, after 10 untimed ones).
#include <sys/wait.h>

#include "common.h"

int main(int argc, char** argv) {
  long n = arg_count(argc, argv, 2000);
  double t0 = 0;
  for (long i = -10; i < n; i++) {
    if (i == 0) t0 = now_ns();
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) _exit(0);
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) die("waitpid");
  }
  double t1 = now_ns();
  report("fork", (t1 - t0) / n / 1e3, n);
  return 0;
}
