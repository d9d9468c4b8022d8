#include "io.h"

#include <fcntl.h>
#include <unistd.h>
#if PIPC_LINUX
#include <sys/syscall.h>
#endif

namespace sys {

// read and write are the hottest calls, so on Linux they enter the kernel through syscall(2)
// rather than libc's wrappers. The system call is the same; what is skipped is glibc's
// cancellation-point bookkeeping, which in a multi-threaded process (Node always is) costs two
// atomic read-modify-writes around every call (about 40 ns a write+read pair, measured with
// bench/). posix-ipc never cancels threads, so the bookkeeping has nothing to do.
long read(int fd, void* buf, std::size_t count, Eintr eintr) noexcept {
#if PIPC_LINUX
  return retry(eintr, [&] { return ::syscall(SYS_read, fd, buf, count); });
#else
  return retry(eintr, [&] { return ::read(fd, buf, count); });
#endif
}

long write(int fd, const void* buf, std::size_t count, Eintr eintr) noexcept {
#if PIPC_LINUX
  return retry(eintr, [&] { return ::syscall(SYS_write, fd, buf, count); });
#else
  return retry(eintr, [&] { return ::write(fd, buf, count); });
#endif
}

long close(int fd) noexcept {
  return once([&] { return ::close(fd); });
}

long fcntl(int fd, int cmd, int arg) noexcept {
  switch (cmd) {
    case F_GETFL: case F_GETFD:
      return retry(Eintr::retry, [&] { return ::fcntl(fd, cmd); });
    case F_SETFL: case F_SETFD: case F_DUPFD: case F_DUPFD_CLOEXEC:
#ifdef F_GETPIPE_SZ
    case F_GETPIPE_SZ: case F_SETPIPE_SZ:
#endif
      return retry(Eintr::retry, [&] { return ::fcntl(fd, cmd, arg); });
    default:
      return -EINVAL;
  }
}

}  // namespace sys
