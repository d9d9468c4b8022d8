// native/sys I/O channels without Node: read, write, close, fcntl, EINTR handling, errno tables.
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "check.h"
#include "sys/errors.h"
#include "sys/io.h"
#include "sys/pipe.h"

TEST(read_write_in_order) {
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  CHECK_EQ(sys::write(fds[1], "abc", 3), 3);
  CHECK_EQ(sys::write(fds[1], "def", 3), 3);
  char buf[16] = {};
  CHECK_EQ(sys::read(fds[0], buf, sizeof buf), 6);
  CHECK(std::memcmp(buf, "abcdef", 6) == 0);
  CHECK_EQ(sys::close(fds[1]), 0);
  CHECK_EQ(sys::read(fds[0], buf, sizeof buf), 0);  // EOF: no writer left
  CHECK_EQ(sys::close(fds[0]), 0);
}

TEST(errors_are_negative_errno) {
  char c = 0;
  CHECK_EQ(sys::close(999), -EBADF);
  CHECK_EQ(sys::close(-1), -EBADF);
  CHECK_EQ(sys::read(999, &c, 1), -EBADF);
  CHECK_EQ(sys::write(-1, &c, 1), -EBADF);
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  CHECK_EQ(sys::close(fds[0]), 0);
  signal(SIGPIPE, SIG_IGN);  // as Node does
  CHECK_EQ(sys::write(fds[1], "x", 1), -EPIPE);
  CHECK_EQ(sys::close(fds[1]), 0);
}

TEST(fcntl_int_commands_only) {
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  CHECK_EQ(sys::fcntl(fds[0], F_GETFD, 0), 0);
  CHECK_EQ(sys::fcntl(fds[0], F_SETFD, FD_CLOEXEC), 0);
  CHECK_EQ(sys::fcntl(fds[0], F_GETFD, 0), FD_CLOEXEC);
  CHECK_EQ(sys::fcntl(fds[0], F_GETFL, 0) & O_ACCMODE, O_RDONLY);
  CHECK_EQ(sys::fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
  char c;
  CHECK_EQ(sys::read(fds[0], &c, 1), -EAGAIN);
  CHECK_EQ(sys::fcntl(fds[1], F_GETPIPE_SZ, 0), 65536);
  CHECK_EQ(sys::fcntl(fds[1], F_SETPIPE_SZ, 8192), 8192);
  CHECK_EQ(sys::fcntl(fds[1], F_GETPIPE_SZ, 0), 8192);
  // A command whose argument is a pointer is refused before any system call.
  CHECK_EQ(sys::fcntl(fds[0], F_GETLK, 0x1234), -EINVAL);
  CHECK_EQ(sys::fcntl(999, F_GETFL, 0), -EBADF);
  sys::close(fds[0]);
  sys::close(fds[1]);
}

// EINTR: a blocking read interrupted by a signal whose handler has no SA_RESTART is restarted
// with Eintr::retry and reported with Eintr::report.
static void on_alarm(int) {}

struct LateWrite {
  int fd;
  useconds_t delay;
};

static void* late_write(void* arg) {
  auto* w = static_cast<LateWrite*>(arg);
  usleep(w->delay);
  ssize_t n = ::write(w->fd, "z", 1);
  (void)n;
  return nullptr;
}

static long read_with_alarm(sys::Eintr mode) {
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;  // no SA_RESTART: the kernel returns EINTR
  sigaction(SIGALRM, &sa, nullptr);
  // The writer thread is created with SIGALRM blocked, so the alarm can only hit this thread,
  // which is blocked in read.
  sigset_t alrm;
  sigemptyset(&alrm);
  sigaddset(&alrm, SIGALRM);
  pthread_sigmask(SIG_BLOCK, &alrm, nullptr);
  LateWrite w{fds[1], 300000};
  pthread_t t;
  pthread_create(&t, nullptr, late_write, &w);
  pthread_sigmask(SIG_UNBLOCK, &alrm, nullptr);
  struct itimerval it = {};
  it.it_value.tv_usec = 50000;
  setitimer(ITIMER_REAL, &it, nullptr);
  char c = 0;
  long r = sys::read(fds[0], &c, 1, mode);
  pthread_join(t, nullptr);
  if (r == 1) CHECK_EQ(c, 'z');
  sys::close(fds[0]);
  sys::close(fds[1]);
  signal(SIGALRM, SIG_DFL);
  return r;
}

TEST(eintr_retried_or_reported) {
  CHECK_EQ(read_with_alarm(sys::Eintr::retry), 1);
  CHECK_EQ(read_with_alarm(sys::Eintr::report), -EINTR);
}

TEST(errno_table_and_text) {
  std::size_t n = 0;
  const sys::Named* t = sys::errno_table(&n);
  CHECK(n > 100);
  bool saw_ebadf = false;
  int eagain_at = -1, ewouldblock_at = -1;
  for (std::size_t i = 0; i < n; i++) {
    if (std::strcmp(t[i].name, "EBADF") == 0) saw_ebadf = t[i].value == EBADF;
    if (std::strcmp(t[i].name, "EAGAIN") == 0) eagain_at = static_cast<int>(i);
    if (std::strcmp(t[i].name, "EWOULDBLOCK") == 0) ewouldblock_at = static_cast<int>(i);
  }
  CHECK(saw_ebadf);
  CHECK(eagain_at >= 0 && eagain_at < ewouldblock_at);  // the name Node reports comes first
  char buf[128];
  CHECK(std::strcmp(sys::error_text(EPIPE, buf, sizeof buf), "Broken pipe") == 0);
  CHECK(std::strncmp(sys::error_text(99999, buf, sizeof buf), "Unknown error", 13) == 0);
  char tiny[4];
  sys::error_text(EPIPE, tiny, sizeof tiny);
  CHECK(std::strlen(tiny) == 3);
}

int main() {
  RUN(read_write_in_order);
  RUN(errors_are_negative_errno);
  RUN(fcntl_int_commands_only);
  RUN(eintr_retried_or_reported);
  RUN(errno_table_and_text);
  return 0;
}
