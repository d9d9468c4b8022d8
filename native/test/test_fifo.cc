// native/sys named pipes without Node: mkfifo, the open rendezvous, unlink.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "check.h"
#include "sys/fifo.h"
#include "sys/io.h"
#include "sys/process.h"

namespace {
std::string fifo_path(const char* name) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "/tmp/posix-ipc-test-%ld-%s", sys::getpid(), name);
  return buf;
}
}  // namespace

TEST(mkfifo_makes_a_fifo_and_eexist_on_the_second) {
  std::string p = fifo_path("a");
  CHECK_EQ(sys::mkfifo(p.c_str(), 0600), 0);
  struct stat st;
  CHECK_EQ(::stat(p.c_str(), &st), 0);
  CHECK(S_ISFIFO(st.st_mode));
  CHECK_EQ(st.st_mode & 0777, 0600);
  CHECK_EQ(sys::mkfifo(p.c_str(), 0600), -EEXIST);
  CHECK_EQ(sys::unlink(p.c_str()), 0);
  CHECK_EQ(sys::unlink(p.c_str()), -ENOENT);
  CHECK_EQ(sys::mkfifo("/nonexistent/dir/fifo", 0600), -ENOENT);
}

TEST(open_rendezvous) {
  std::string p = fifo_path("b");
  CHECK_EQ(sys::mkfifo(p.c_str(), 0600), 0);
  // No reader: a non-blocking writer fails with ENXIO; a non-blocking reader opens at once.
  CHECK_EQ(sys::open(p.c_str(), O_WRONLY | O_NONBLOCK, 0), -ENXIO);
  long r = sys::open(p.c_str(), O_RDONLY | O_NONBLOCK, 0);
  CHECK(r >= 0);
  sys::close(static_cast<int>(r));
  // A blocking writer waits for a reader in another process, then the bytes flow.
  long pid = sys::fork();
  if (pid == 0) {
    long w = sys::open(p.c_str(), O_WRONLY, 0);
    if (w < 0) sys::exit_now(1);
    sys::write(static_cast<int>(w), "through the fifo", 16);
    sys::exit_now(0);
  }
  long fd = sys::open(p.c_str(), O_RDONLY, 0);
  CHECK(fd >= 0);
  char buf[32];
  long n = 0, got;
  while ((got = sys::read(static_cast<int>(fd), buf + n, sizeof buf - n)) > 0) n += got;
  CHECK_EQ(n, 16);
  CHECK(std::memcmp(buf, "through the fifo", 16) == 0);
  int status;
  CHECK_EQ(sys::waitpid(static_cast<pid_t>(pid), &status, 0), pid);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  sys::close(static_cast<int>(fd));
  CHECK_EQ(sys::unlink(p.c_str()), 0);
}

TEST(open_errors) {
  CHECK_EQ(sys::open("/nonexistent/posix-ipc", O_RDONLY, 0), -ENOENT);
  std::string p = fifo_path("c");
  long fd = sys::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  CHECK(fd >= 0);
  CHECK_EQ(::fcntl(static_cast<int>(fd), F_GETFD) & FD_CLOEXEC, 0);  // inheritable, as in C
  sys::close(static_cast<int>(fd));
  CHECK_EQ(sys::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600), -EEXIST);
  CHECK_EQ(sys::unlink(p.c_str()), 0);
  // A path longer than PATH_MAX reaches the kernel whole.
  std::string longp(5000, 'a');
  CHECK_EQ(sys::open(longp.c_str(), O_RDONLY, 0), -ENAMETOOLONG);
}

int main() {
  ::umask(022);
  RUN(mkfifo_makes_a_fifo_and_eexist_on_the_second);
  RUN(open_rendezvous);
  RUN(open_errors);
  return 0;
}
