// native/sys descriptor-table helpers without Node: FIONREAD, pidfd_open, pidfd_getfd.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "check.h"
#include "sys/fds.h"
#include "sys/io.h"
#include "sys/pipe.h"

TEST(fionread_counts_queued_bytes) {
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  CHECK_EQ(sys::fionread(fds[0]), 0);
  CHECK_EQ(sys::write(fds[1], "12345", 5), 5);
  CHECK_EQ(sys::fionread(fds[0]), 5);
  CHECK_EQ(sys::fionread(fds[1]), 5);  // either end of a pipe tells
  CHECK_EQ(sys::fionread(999), -EBADF);
  sys::close(fds[0]);
  sys::close(fds[1]);
}

TEST(pidfd_getfd_copies_another_process_descriptor) {
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  pid_t child = fork();
  if (child == 0) {
    // The child holds the pipe and waits to be killed.
    for (;;) pause();
  }
  long pidfd = sys::pidfd_open(child);
  if (pidfd == -ENOSYS) {
    std::printf("skip: no pidfd_open on this kernel\n");
  } else {
    CHECK(pidfd >= 0);
    long copy = sys::pidfd_getfd(static_cast<int>(pidfd), fds[1]);
    CHECK(copy >= 0);
    CHECK_EQ(::fcntl(static_cast<int>(copy), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    CHECK_EQ(sys::write(static_cast<int>(copy), "via child", 9), 9);  // the same pipe
    CHECK_EQ(sys::fionread(fds[0]), 9);
    CHECK_EQ(sys::pidfd_getfd(static_cast<int>(pidfd), 999), -EBADF);
    sys::close(static_cast<int>(copy));
    sys::close(static_cast<int>(pidfd));
  }
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  CHECK(sys::pidfd_open(child) < 0);  // reaped: no such process any more
  sys::close(fds[0]);
  sys::close(fds[1]);
}

int main() {
  RUN(fionread_counts_queued_bytes);
  RUN(pidfd_getfd_copies_another_process_descriptor);
  return 0;
}
