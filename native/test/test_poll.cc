// native/sys multiplexing without Node: poll's revents, timeout, limits and EINTR handling.
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <ctime>
#include <cstring>

#include <cstdlib>

#include "check.h"
#include "sys/io.h"
#include "sys/pipe.h"
#include "sys/poll.h"

static int64_t now_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

TEST(revents_follow_the_pipe) {
  signal(SIGPIPE, SIG_IGN);  // as Node does
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  struct pollfd p[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLOUT, 0}};
  CHECK_EQ(sys::poll(p, 2, 0), 1);  // empty: only the write end is ready
  CHECK_EQ(p[0].revents, 0);
  CHECK_EQ(p[1].revents, POLLOUT);
  CHECK_EQ(sys::write(fds[1], "x", 1), 1);
  CHECK_EQ(sys::poll(p, 2, 0), 2);
  CHECK_EQ(p[0].revents, POLLIN);
  char c;
  CHECK_EQ(sys::read(fds[0], &c, 1), 1);
  // No writer left: the read end hangs up, even though it did not ask for POLLHUP.
  int w = fds[1];
  CHECK_EQ(sys::close(w), 0);
  CHECK_EQ(sys::poll(p, 1, 0), 1);
  CHECK_EQ(p[0].revents, POLLHUP);
  CHECK_EQ(sys::close(fds[0]), 0);

  // No reader left: the write end reports POLLERR.
  CHECK_EQ(sys::pipe(fds), 0);
  CHECK_EQ(sys::close(fds[0]), 0);
  struct pollfd q = {fds[1], POLLOUT, 0};
  CHECK_EQ(sys::poll(&q, 1, 0), 1);
  CHECK(q.revents & POLLERR);
  CHECK_EQ(sys::close(fds[1]), 0);
}

TEST(closed_and_negative_descriptors) {
  struct pollfd p[2] = {{999, POLLIN, 0}, {-1, POLLIN, 0x7f}};
  CHECK_EQ(sys::poll(p, 2, 0), 1);  // 999 is not open: POLLNVAL, and it counts
  CHECK_EQ(p[0].revents, POLLNVAL);
  CHECK_EQ(p[1].revents, 0);  // a negative fd is skipped and its revents cleared
  CHECK_EQ(sys::poll(nullptr, 0, 0), 0);
}

TEST(timeout_runs_out) {
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  struct pollfd p = {fds[0], POLLIN, 0};
  int64_t start = now_ms();
  CHECK_EQ(sys::poll(&p, 1, 60), 0);
  CHECK(now_ms() - start >= 60);
  CHECK_EQ(p.revents, 0);
  sys::close(fds[0]);
  sys::close(fds[1]);
}

TEST(einval_past_the_descriptor_limit) {
  struct rlimit saved;
  CHECK_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  struct rlimit low = saved;
  low.rlim_cur = 64;
  CHECK_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  // valgrind keeps descriptors of its own above the limit and does not pass a lowered
  // RLIMIT_NOFILE on to the kernel: there the limit cannot be tested (scripts/valgrind.js says so).
  if (std::getenv("POSIX_IPC_UNDER_VALGRIND") != nullptr) {
    std::printf("skip: RLIMIT_NOFILE under valgrind\n");
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
    return;
  }
  static struct pollfd many[65];
  for (auto& p : many) p = {-1, POLLIN, 0};
  CHECK_EQ(sys::poll(many, 64, 0), 0);
  CHECK_EQ(sys::poll(many, 65, 0), -EINVAL);
  CHECK_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
}

// EINTR: poll is interrupted by a signal whose handler has no SA_RESTART (and poll is never
// restarted by the kernel anyway).
static void on_alarm(int) {}

static void arm_alarm(int ms) {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, nullptr);
  struct itimerval it = {};
  it.it_value.tv_sec = ms / 1000;
  it.it_value.tv_usec = (ms % 1000) * 1000;
  setitimer(ITIMER_REAL, &it, nullptr);
}

static void* late_write(void* arg) {
  usleep(150000);
  CHECK_EQ(sys::write(*static_cast<int*>(arg), "x", 1), 1);
  return nullptr;
}

TEST(eintr_reported_or_retried_with_the_time_left) {
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  struct pollfd p = {fds[0], POLLIN, 0};

  arm_alarm(30);
  CHECK_EQ(sys::poll(&p, 1, 5000, sys::Eintr::report), -EINTR);

  // Retried: the signal at 30 ms does not end the wait early.
  arm_alarm(30);
  int64_t start = now_ms();
  CHECK_EQ(sys::poll(&p, 1, 200, sys::Eintr::retry), 0);
  int64_t waited = now_ms() - start;
  CHECK(waited >= 200);

  // Retried without a timeout: still waiting after the signal, until a thread writes at 150 ms.
  // The thread starts with SIGALRM blocked, so the signal can only interrupt this thread's poll.
  sigset_t alrm;
  sigemptyset(&alrm);
  sigaddset(&alrm, SIGALRM);
  pthread_sigmask(SIG_BLOCK, &alrm, nullptr);
  pthread_t t;
  pthread_create(&t, nullptr, late_write, &fds[1]);
  pthread_sigmask(SIG_UNBLOCK, &alrm, nullptr);
  arm_alarm(30);
  CHECK_EQ(sys::poll(&p, 1, -1, sys::Eintr::retry), 1);
  CHECK_EQ(p.revents, POLLIN);
  pthread_join(t, nullptr);
  signal(SIGALRM, SIG_DFL);
  sys::close(fds[0]);
  sys::close(fds[1]);
}

int main() {
  RUN(revents_follow_the_pipe);
  RUN(closed_and_negative_descriptors);
  RUN(timeout_runs_out);
  RUN(einval_past_the_descriptor_limit);
  RUN(eintr_reported_or_retried_with_the_time_left);
  return 0;
}
