// accept rate: n times socket + connect to a listener on 127.0.0.1, accept, close both (the
// accepted end first, so TIME_WAIT stays on the listener's side and client ports are not used up).
// Connections per second, after 100 untimed ones.

#include "common.h"

int main(int argc, char** argv) {
  long n = arg_count(argc, argv, 20000);
  struct sockaddr_in a;
  int l = listen_loopback(&a);
  double t0 = 0;
  for (long i = -100; i < n; i++) {
    if (i == 0) t0 = now_ns();
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (c < 0) die("socket");
    if (connect(c, (struct sockaddr*)&a, sizeof a) != 0) die("connect");
    int s = accept(l, NULL, NULL);
    if (s < 0) die("accept");
    close(s);
    close(c);
  }
  double t1 = now_ns();
  close(l);
  report("accept", n / ((t1 - t0) / 1e9), n);
  return 0;
}
