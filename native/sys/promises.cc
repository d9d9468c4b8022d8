#include "promises.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "io.h"
#include "socket.h"

#if PIPC_LINUX
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif

namespace sys {

namespace {

#if PIPC_LINUX && defined(RWF_NOWAIT)
long read_flagged(int fd, void* buf, std::size_t count) noexcept {
  iovec v{buf, count};
  return retry(Eintr::retry, [&] { return ::preadv2(fd, &v, 1, -1, RWF_NOWAIT); });
}
long write_flagged(int fd, const void* buf, std::size_t count) noexcept {
  iovec v{const_cast<void*>(buf), count};
  return retry(Eintr::retry, [&] { return ::pwritev2(fd, &v, 1, -1, RWF_NOWAIT); });
}
#else
long read_flagged(int, void*, std::size_t) noexcept { return -EOPNOTSUPP; }
long write_flagged(int, const void*, std::size_t) noexcept { return -EOPNOTSUPP; }
#endif

// Another open file description of the FIFO behind fd, with the same access mode and O_NONBLOCK.
int reopen_nonblocking(int fd) noexcept {
#if PIPC_LINUX
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) return -1;
  char path[40];
  std::snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  return static_cast<int>(retry(Eintr::retry, [&] {
    return ::open(path, (flags & O_ACCMODE) | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  }));
#else
  (void)fd;
  return -1;
#endif
}

}  // namespace

Nowait::Nowait(Nowait&& other) noexcept : fd_(other.fd_), shadow_(other.shadow_), route_(other.route_) {
  other.shadow_ = -1;
  other.route_ = Route::unknown;
}

void Nowait::forget() noexcept {
  if (shadow_ >= 0) sys::close(shadow_);
  shadow_ = -1;
  route_ = Route::unknown;
}

void Nowait::always_ready() noexcept {
  forget();
  route_ = Route::plain;
}

void Nowait::choose() noexcept {
  struct stat st;
  if (::fstat(fd_, &st) != 0) {
    route_ = Route::guard;  // not open: the call itself reports EBADF
  } else if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode) || S_ISDIR(st.st_mode)) {
    route_ = Route::plain;
  } else if (S_ISFIFO(st.st_mode) && (shadow_ = reopen_nonblocking(fd_)) >= 0) {
    route_ = Route::shadow;
  } else {
    shadow_ = -1;
    route_ = Route::guard;
  }
}

// The call through the descriptor's route: `flagged(fd)` makes it with RWF_NOWAIT, `plain(fd)`
// without; `events` is what readiness means for it (POLLIN, POLLOUT).
template <class Flagged, class Plain>
long Nowait::attempt(short events, Flagged flagged, Plain plain) noexcept {
  if (route_ == Route::unknown || route_ == Route::flag) {
    long r = flagged(fd_);
    if ((r != -EOPNOTSUPP && r != -ENOSYS) || route_ == Route::flag) {
      route_ = Route::flag;
      return r;
    }
    choose();
  }
  switch (route_) {
    case Route::shadow: return plain(shadow_);
    case Route::plain: return plain(fd_);
    default: return ready_now(fd_, events) ? plain(fd_) : -EAGAIN;
  }
}

long Nowait::read(void* buf, std::size_t count) noexcept {
  return attempt(
      POLLIN, [&](int fd) { return read_flagged(fd, buf, count); },
      [&](int fd) { return sys::read(fd, buf, count); });
}

long Nowait::write(const void* buf, std::size_t count) noexcept {
  return attempt(
      POLLOUT, [&](int fd) { return write_flagged(fd, buf, count); },
      [&](int fd) { return sys::write(fd, buf, count); });
}

long file_id(int fd, FileId* out) noexcept {
  struct stat st;
  long r = retry(Eintr::retry, [&] { return ::fstat(fd, &st); });
  if (r == 0) *out = FileId{static_cast<unsigned long long>(st.st_dev), static_cast<unsigned long long>(st.st_ino)};
  return r;
}

bool ready_now(int fd, short events) noexcept {
  return revents_now(fd, events) > 0;
}

long revents_now(int fd, short events) noexcept {
  struct pollfd p = {fd, events, 0};
  long r = retry(Eintr::retry, [&] { return ::poll(&p, 1, 0); });
  return r < 0 ? r : static_cast<unsigned short>(p.revents);
}

long fifo_has_writer(int fd) noexcept {
  long ev = revents_now(fd, POLLIN);
  if (ev < 0) return ev;
  if ((ev & (POLLIN | POLLHUP | POLLERR)) != 0) return 1;
#if PIPC_LINUX
  int scratch[2];
  if (::pipe2(scratch, O_CLOEXEC | O_NONBLOCK) < 0) return -errno;
  long r = once([&] { return ::tee(fd, scratch[1], 1, SPLICE_F_NONBLOCK); });
  sys::close(scratch[0]);
  sys::close(scratch[1]);
  if (r == -EAGAIN || r > 0 || r == -EINVAL) return 1;  // a writer; bytes came meanwhile; not a pipe
  return r < 0 ? r : 0;
#else
  return 1;  // no way to tell: as if a writer were there
#endif
}

namespace {
bool is_fifo(const struct stat& st) noexcept { return S_ISFIFO(st.st_mode); }
}  // namespace

long open_nowait(const char* path, int flags, mode_t mode, FifoWait* waits) noexcept {
  *waits = FifoWait::none;
  long fd = retry(Eintr::retry, [&] { return ::open(path, flags | O_NONBLOCK, mode); });
  struct stat st;
  if (fd == -ENXIO) {
    if ((flags & O_ACCMODE) == O_WRONLY && ::stat(path, &st) == 0 && is_fifo(st)) *waits = FifoWait::reader;
    return fd;
  }
  if (fd < 0) return fd;
  int f = static_cast<int>(fd);
  if ((flags & O_NONBLOCK) == 0) {
    long fl = once([&] { return ::fcntl(f, F_GETFL); });
    if (fl >= 0) once([&] { return ::fcntl(f, F_SETFL, static_cast<int>(fl) & ~O_NONBLOCK); });
  }
  if ((flags & O_ACCMODE) == O_RDONLY && ::fstat(f, &st) == 0 && is_fifo(st) && fifo_has_writer(f) == 0) {
    *waits = FifoWait::writer;
  }
  return fd;
}

long token_fd() noexcept {
#if PIPC_LINUX
  return once([] { return ::eventfd(0, EFD_CLOEXEC); });
#else
  int fds[2];
  if (::pipe(fds) < 0) return -errno;
  ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  sys::close(fds[1]);
  return fds[0];
#endif
}

long connect_kind(int fd, ConnectKind* kind) noexcept {
  int value = 0;
  socklen_t len = sizeof value;
#ifdef SO_PROTOCOL
  if (::getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &value, &len) < 0) return -errno;
  if (value == IPPROTO_TCP) {
    *kind = ConnectKind::tcp;
    return 0;
  }
#endif
  len = sizeof value;
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &value, &len) < 0) return -errno;
  *kind = value == SOCK_STREAM || value == SOCK_SEQPACKET ? ConnectKind::stream : ConnectKind::datagram;
  return 0;
}

namespace {

long plain_connect(int fd, const SockAddr& address) noexcept {
  return once([&] { return ::connect(fd, address.get(), address.len); });
}

// connect(2) with O_NONBLOCK for this call only, where nothing else can notice the flag: see
// ConnectKind::stream. A socket that is connected or listening gets what connect(2) says without
// the flag where that cannot wait (an IP socket), and AF_UNIX's answer otherwise (whose connect
// would first wait for room in the listener's backlog).
long toggled_connect(int fd, const SockAddr& address) noexcept {
  bool unix_address = address.ss.ss_family == AF_UNIX;
  SockAddr peer;
  long r = getpeername(fd, &peer);
  if (r == 0) return unix_address ? -EISCONN : plain_connect(fd, address);
  if (r != -ENOTCONN) return r;
  int listening = 0;
  socklen_t len = sizeof listening;
  if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0) return -errno;
  if (listening != 0) return unix_address ? -EINVAL : plain_connect(fd, address);
  long flags = once([&] { return ::fcntl(fd, F_GETFL); });
  if (flags < 0) return flags;
  if ((flags & O_NONBLOCK) != 0) return plain_connect(fd, address);
  long set = once([&] { return ::fcntl(fd, F_SETFL, static_cast<int>(flags) | O_NONBLOCK); });
  if (set < 0) return set;
  r = plain_connect(fd, address);
  once([&] { return ::fcntl(fd, F_SETFL, static_cast<int>(flags)); });
  return r;
}

}  // namespace

long connect_nowait(int fd, const SockAddr& address, ConnectKind kind) noexcept {
  long r;
  switch (kind) {
    case ConnectKind::datagram:
      return plain_connect(fd, address);
    case ConnectKind::tcp:
#if PIPC_LINUX && defined(MSG_FASTOPEN)
      r = once([&] {
        return ::sendto(fd, nullptr, 0, MSG_FASTOPEN | MSG_DONTWAIT | MSG_NOSIGNAL, address.get(), address.len);
      });
      if (r != -EOPNOTSUPP) return r;
#endif
      [[fallthrough]];
    case ConnectKind::stream:
      return toggled_connect(fd, address);
  }
  return -EINVAL;
}

long connect_abandon(int fd) noexcept {
  sockaddr unspec{};
  unspec.sa_family = AF_UNSPEC;
  return once([&] { return ::connect(fd, &unspec, sizeof unspec); });
}

#if PIPC_LINUX
static_assert(EPOLLIN == POLLIN && EPOLLPRI == POLLPRI && EPOLLOUT == POLLOUT && EPOLLERR == POLLERR &&
                  EPOLLHUP == POLLHUP && EPOLLRDHUP == POLLRDHUP,
              "epoll's event bits are poll's");

long ready_create() noexcept {
  return once([] { return ::epoll_create1(EPOLL_CLOEXEC); });
}

long ready_watch(int set, int fd, unsigned events, Report report, bool added, int tag) noexcept {
  struct epoll_event ev = {};
  ev.events = events | (report == Report::once ? EPOLLONESHOT : 0u);
  ev.data.fd = tag >= 0 ? tag : fd;
  return once([&] { return ::epoll_ctl(set, added ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev); });
}

long ready_forget(int set, int fd) noexcept {
  struct epoll_event ev = {};  // ignored, but kernels before 2.6.9 wanted it non-null
  return once([&] { return ::epoll_ctl(set, EPOLL_CTL_DEL, fd, &ev); });
}

long ready_take(int set, Ready* out, int max) noexcept {
  constexpr int kBatch = 64;
  struct epoll_event evs[kBatch];
  if (max > kBatch) max = kBatch;
  long n = retry(Eintr::retry, [&] { return ::epoll_wait(set, evs, max, 0); });
  for (long i = 0; i < n; i++) out[i] = Ready{evs[i].data.fd, evs[i].events};
  return n;
}

long ready_armed_tagged(int set, const int* tags, long* counts, int ntags) noexcept {
  for (int i = 0; i < ntags; i++) counts[i] = 0;
  char path[64];
  std::snprintf(path, sizeof path, "/proc/self/fdinfo/%d", set);
  long fd = retry(Eintr::retry, [&] { return ::open(path, O_RDONLY | O_CLOEXEC); });
  if (fd < 0) return fd;
  std::string text;
  constexpr std::size_t kChunk = 64 * 1024;  // ~80 bytes a registration
  long got;
  do {
    std::size_t had = text.size();
    text.resize(had + kChunk);
    got = retry(Eintr::retry, [&] { return ::read(static_cast<int>(fd), &text[had], kChunk); });
    text.resize(had + (got > 0 ? static_cast<std::size_t>(got) : 0));
  } while (got > 0);
  ::close(static_cast<int>(fd));
  if (got < 0) return got;
  // One line a registration: "tfd: %8d events: %8x data: %16llx  pos:..." (fs/eventpoll.c). A
  // one-shot registration that has reported keeps only the mode bits in its events.
  constexpr unsigned kModeBits = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();  // the last line, ended by the string's NUL
    else text[end] = '\0';  // so that sscanf reads this line only (not the rest of the text)
    const char* line = text.c_str() + at;
    int tfd = 0;
    unsigned events = 0;
    unsigned long long data = 0;
    if (std::strncmp(line, "tfd:", 4) == 0 &&
        std::sscanf(line, "tfd: %d events: %x data: %llx", &tfd, &events, &data) == 3 && (events & ~kModeBits) != 0) {
      for (int i = 0; i < ntags; i++) {
        if (tfd != tags[i] && data == static_cast<uint32_t>(tags[i])) counts[i]++;
      }
    }
    at = end + 1;
  }
  return 0;
}
#else
long ready_armed_tagged(int, const int*, long*, int) noexcept { return -ENOSYS; }
long ready_create() noexcept { return -ENOSYS; }
long ready_watch(int, int, unsigned, Report, bool, int) noexcept { return -ENOSYS; }
long ready_forget(int, int) noexcept { return -ENOSYS; }
long ready_take(int, Ready*, int) noexcept { return -ENOSYS; }
#endif

}  // namespace sys
