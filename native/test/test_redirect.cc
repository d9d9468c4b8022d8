// native/sys redirection without Node: dup, dup2.
#include <fcntl.h>
#include <unistd.h>

#include <initializer_list>

#include "check.h"
#include "sys/io.h"
#include "sys/pipe.h"
#include "sys/redirect.h"

TEST(dup_names_the_same_open_file_without_cloexec) {
  int fds[2];
  CHECK_EQ(sys::pipe2(fds, O_CLOEXEC), 0);
  long copy = sys::dup(fds[1]);
  CHECK(copy >= 0);
  CHECK_EQ(::fcntl(static_cast<int>(copy), F_GETFD) & FD_CLOEXEC, 0);
  CHECK_EQ(sys::write(static_cast<int>(copy), "x", 1), 1);
  char c;
  CHECK_EQ(sys::read(fds[0], &c, 1), 1);
  // Status flags belong to the open file: both descriptors see O_NONBLOCK.
  ::fcntl(fds[1], F_SETFL, O_NONBLOCK);
  CHECK(::fcntl(static_cast<int>(copy), F_GETFL) & O_NONBLOCK);
  // EOF only once the copy is closed too.
  sys::close(fds[1]);
  ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
  CHECK_EQ(sys::read(fds[0], &c, 1), -EAGAIN);
  sys::close(static_cast<int>(copy));
  CHECK_EQ(sys::read(fds[0], &c, 1), 0);
  sys::close(fds[0]);
  CHECK_EQ(sys::dup(-1), -EBADF);
  CHECK_EQ(sys::dup(fds[0]), -EBADF);
}

TEST(dup2_replaces_newfd_and_clears_cloexec) {
  int a[2], b[2];
  CHECK_EQ(sys::pipe(a), 0);
  CHECK_EQ(sys::pipe2(b, O_CLOEXEC), 0);
  CHECK_EQ(sys::dup2(a[1], b[1]), b[1]);  // b[1] silently closed, now a's write end
  CHECK_EQ(::fcntl(b[1], F_GETFD) & FD_CLOEXEC, 0);
  CHECK_EQ(sys::write(b[1], "y", 1), 1);
  char c = 0;
  CHECK_EQ(sys::read(a[0], &c, 1), 1);
  CHECK_EQ(c, 'y');
  CHECK_EQ(sys::dup2(a[0], a[0]), a[0]);
  CHECK_EQ(sys::dup2(-1, 5), -EBADF);
  CHECK_EQ(sys::dup2(a[0], -1), -EBADF);
  for (int fd : {a[0], a[1], b[0], b[1]}) sys::close(fd);
  CHECK_EQ(sys::dup2(a[0], a[0]), -EBADF);  // closed: dup2(fd, fd) checks it
}

int main() {
  RUN(dup_names_the_same_open_file_without_cloexec);
  RUN(dup2_replaces_newfd_and_clears_cloexec);
  return 0;
}
