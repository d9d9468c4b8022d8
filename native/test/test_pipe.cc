// native/sys pipes without Node: pipe, pipe2 and their flags.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstring>

#include "check.h"
#include "sys/io.h"
#include "sys/pipe.h"

TEST(pipe_is_blocking_and_inheritable) {
  int fds[2] = {-1, -1};
  CHECK_EQ(sys::pipe(fds), 0);
  CHECK(fds[0] >= 0 && fds[1] >= 0 && fds[0] != fds[1]);
  CHECK_EQ(::fcntl(fds[0], F_GETFD) & FD_CLOEXEC, 0);
  CHECK_EQ(::fcntl(fds[1], F_GETFD) & FD_CLOEXEC, 0);
  CHECK_EQ(::fcntl(fds[0], F_GETFL) & O_NONBLOCK, 0);
  CHECK_EQ(::fcntl(fds[0], F_GETFL) & O_ACCMODE, O_RDONLY);
  CHECK_EQ(::fcntl(fds[1], F_GETFL) & O_ACCMODE, O_WRONLY);
  sys::close(fds[0]);
  sys::close(fds[1]);
}

TEST(pipe2_flags) {
  int fds[2];
  CHECK_EQ(sys::pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
  CHECK_EQ(::fcntl(fds[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  CHECK_EQ(::fcntl(fds[1], F_GETFL) & O_NONBLOCK, O_NONBLOCK);
  char c;
  CHECK_EQ(sys::read(fds[0], &c, 1), -EAGAIN);
  // A non-blocking write past the capacity is partial, then EAGAIN.
  static char big[1 << 20];
  long n = sys::write(fds[1], big, sizeof big);
  CHECK(n > 0 && n < static_cast<long>(sizeof big));
  CHECK_EQ(sys::write(fds[1], big, sizeof big), -EAGAIN);
  sys::close(fds[0]);
  sys::close(fds[1]);
  CHECK_EQ(sys::pipe2(fds, 0x1), -EINVAL);
}

TEST(eof_after_last_writer_and_copies) {
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  int copy = ::dup(fds[1]);
  CHECK(copy >= 0);
  CHECK_EQ(sys::write(copy, "hi", 2), 2);
  sys::close(fds[1]);
  char buf[4];
  CHECK_EQ(sys::read(fds[0], buf, sizeof buf), 2);
  sys::close(copy);
  CHECK_EQ(sys::read(fds[0], buf, sizeof buf), 0);
  sys::close(fds[0]);
}

TEST(emfile_at_the_descriptor_limit) {
  struct rlimit saved;
  CHECK_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  struct rlimit low = saved;
  low.rlim_cur = 64;
  CHECK_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  int held[64];
  int opened = 0;
  long r = 0;
  for (;;) {
    int fds[2];
    r = sys::pipe(fds);
    if (r < 0) break;
    CHECK(opened + 2 <= 64);
    held[opened++] = fds[0];
    held[opened++] = fds[1];
  }
  CHECK_EQ(r, -EMFILE);
  for (int i = 0; i < opened; i++) sys::close(held[i]);
  CHECK_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);  // recovered once descriptors are closed
  sys::close(fds[0]);
  sys::close(fds[1]);
}

int main() {
  RUN(pipe_is_blocking_and_inheritable);
  RUN(pipe2_flags);
  RUN(eof_after_last_writer_and_copies);
  RUN(emfile_at_the_descriptor_limit);
  return 0;
}
