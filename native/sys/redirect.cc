#include "redirect.h"

#include <unistd.h>

namespace sys {

long dup(int fd) noexcept {
  return once([&] { return ::dup(fd); });
}

long dup2(int oldfd, int newfd, Eintr eintr) noexcept {
  return retry(eintr, [&] { return ::dup2(oldfd, newfd); });
}

}  // namespace sys
