#include "pipe.h"

#include <fcntl.h>
#include <unistd.h>

namespace sys {

long pipe(int fds[2]) noexcept {
  return once([&] { return ::pipe(fds); });
}

long pipe2(int fds[2], int flags) noexcept {
#if PIPC_LINUX
  return once([&] { return ::pipe2(fds, flags); });
#else
  // Elsewhere pipe2 may be missing; emulate it (not atomic against a concurrent fork).
  long r = pipe(fds);
  if (r < 0) return r;
  for (int i = 0; i < 2; i++) {
    if ((flags & O_NONBLOCK) && ::fcntl(fds[i], F_SETFL, ::fcntl(fds[i], F_GETFL) | O_NONBLOCK) < 0) goto fail;
    if ((flags & O_CLOEXEC) && ::fcntl(fds[i], F_SETFD, FD_CLOEXEC) < 0) goto fail;
  }
  return 0;
fail:
  int e = errno;
  ::close(fds[0]);
  ::close(fds[1]);
  return -e;
#endif
}

}  // namespace sys
