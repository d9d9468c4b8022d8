#include "fds.h"

#include <sys/ioctl.h>
#include <unistd.h>
#if PIPC_LINUX
#include <sys/syscall.h>
#endif

namespace sys {

long fionread(int fd) noexcept {
  int n = 0;
  long r = retry(Eintr::retry, [&] { return ::ioctl(fd, FIONREAD, &n); });
  return r < 0 ? r : n;
}

long pidfd_open(int pid) noexcept {
#if PIPC_LINUX && defined(SYS_pidfd_open)
  return once([&] { return ::syscall(SYS_pidfd_open, pid, 0); });
#else
  (void)pid;
  return -ENOSYS;
#endif
}

long pidfd_getfd(int pidfd, int fd) noexcept {
#if PIPC_LINUX && defined(SYS_pidfd_getfd)
  return once([&] { return ::syscall(SYS_pidfd_getfd, pidfd, fd, 0); });
#else
  (void)pidfd;
  (void)fd;
  return -ENOSYS;
#endif
}

}  // namespace sys
