#include "fifo.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sys {

long mkfifo(const char* path, mode_t mode) noexcept {
  return once([&] { return ::mkfifo(path, mode); });
}

long open(const char* path, int flags, mode_t mode, Eintr eintr) noexcept {
  return retry(eintr, [&] { return ::open(path, flags, mode); });
}

long unlink(const char* path) noexcept {
  return once([&] { return ::unlink(path); });
}

}  // namespace sys
