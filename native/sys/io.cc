#include "io.h"

#include <fcntl.h>
#include <unistd.h>

namespace sys {

long read(int fd, void* buf, std::size_t count, Eintr eintr) noexcept {
  return retry(eintr, [&] { return ::read(fd, buf, count); });
}

long write(int fd, const void* buf, std::size_t count, Eintr eintr) noexcept {
  return retry(eintr, [&] { return ::write(fd, buf, count); });
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
