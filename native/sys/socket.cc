#include "socket.h"

#include <netinet/tcp.h>
#include <poll.h>
#include <unistd.h>
#if PIPC_LINUX
#include <sys/syscall.h>
#endif

namespace sys {

long socket(int domain, int type, int protocol) noexcept {
  return once([&] { return ::socket(domain, type, protocol); });
}

long socketpair(int domain, int type, int protocol, int fds[2]) noexcept {
  return once([&] { return ::socketpair(domain, type, protocol, fds); });
}

long bind(int fd, const SockAddr& address) noexcept {
  return once([&] { return ::bind(fd, address.get(), address.len); });
}

long listen(int fd, int backlog) noexcept {
  return once([&] { return ::listen(fd, backlog); });
}

long accept(int fd, SockAddr* peer, Eintr eintr) noexcept {
  return retry(eintr, [&] {
    peer->len = sizeof peer->ss;
    return ::accept(fd, peer->get(), &peer->len);
  });
}

namespace {

// After connect() was interrupted: 0 once the connection the kernel goes on making is up, -errno
// if it failed, 1 if no connection is in progress (connect() must be called again).
long finish_connect(int fd) noexcept {
  pollfd p{fd, POLLOUT, 0};
  long r = retry(Eintr::retry, [&] { return ::poll(&p, 1, -1); });
  if (r < 0) return r;
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return -errno;
  if (err != 0) return -err;
  sockaddr_storage ss;
  len = sizeof ss;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0) return 0;
  return errno == ENOTCONN ? 1 : -errno;
}

}  // namespace

long connect(int fd, const SockAddr& address, Eintr eintr) noexcept {
  for (;;) {
    long r = once([&] { return ::connect(fd, address.get(), address.len); });
    if (r != -EINTR || eintr == Eintr::report) return r;
    r = finish_connect(fd);
    if (r <= 0) return r;
  }
}

// send, recv, sendto and recvfrom carry every message of a socket ping-pong or stream, so on Linux
// they enter the kernel through syscall(2), as read and write do (io.cc says why): send and recv
// are the kernel's sendto and recvfrom with no address, which is what glibc's wrappers call too.
long send(int fd, const void* buf, std::size_t len, int flags, Eintr eintr) noexcept {
#if PIPC_LINUX
  return retry(eintr, [&] { return ::syscall(SYS_sendto, fd, buf, len, flags, nullptr, 0); });
#else
  return retry(eintr, [&] { return ::send(fd, buf, len, flags); });
#endif
}

long recv(int fd, void* buf, std::size_t len, int flags, Eintr eintr) noexcept {
#if PIPC_LINUX
  return retry(eintr, [&] { return ::syscall(SYS_recvfrom, fd, buf, len, flags, nullptr, nullptr); });
#else
  return retry(eintr, [&] { return ::recv(fd, buf, len, flags); });
#endif
}

long sendto(int fd, const void* buf, std::size_t len, int flags, const SockAddr& dest,
            Eintr eintr) noexcept {
#if PIPC_LINUX
  return retry(eintr, [&] { return ::syscall(SYS_sendto, fd, buf, len, flags, dest.get(), dest.len); });
#else
  return retry(eintr, [&] { return ::sendto(fd, buf, len, flags, dest.get(), dest.len); });
#endif
}

long recvfrom(int fd, void* buf, std::size_t len, int flags, SockAddr* src, Eintr eintr) noexcept {
  return retry(eintr, [&] {
    src->len = sizeof src->ss;
#if PIPC_LINUX
    return ::syscall(SYS_recvfrom, fd, buf, len, flags, src->get(), &src->len);
#else
    return ::recvfrom(fd, buf, len, flags, src->get(), &src->len);
#endif
  });
}

long shutdown(int fd, int how) noexcept {
  return once([&] { return ::shutdown(fd, how); });
}

long getsockname(int fd, SockAddr* out) noexcept {
  out->len = sizeof out->ss;
  return once([&] { return ::getsockname(fd, out->get(), &out->len); });
}

long getpeername(int fd, SockAddr* out) noexcept {
  out->len = sizeof out->ss;
  return once([&] { return ::getpeername(fd, out->get(), &out->len); });
}

namespace {
#define RW(level, name) {#name, level, name, true},
#define RO(level, name) {#name, level, name, false},
const SockOpt kIntOptions[] = {
    RW(SOL_SOCKET, SO_REUSEADDR) RW(SOL_SOCKET, SO_KEEPALIVE) RW(SOL_SOCKET, SO_BROADCAST)
    RW(SOL_SOCKET, SO_RCVBUF) RW(SOL_SOCKET, SO_SNDBUF) RW(SOL_SOCKET, SO_RCVLOWAT)
    RW(SOL_SOCKET, SO_DONTROUTE) RW(SOL_SOCKET, SO_OOBINLINE)
    RO(SOL_SOCKET, SO_ERROR) RO(SOL_SOCKET, SO_TYPE) RO(SOL_SOCKET, SO_ACCEPTCONN)
#ifdef SO_REUSEPORT
    RW(SOL_SOCKET, SO_REUSEPORT)
#endif
#if PIPC_LINUX
    RO(SOL_SOCKET, SO_DOMAIN) RO(SOL_SOCKET, SO_PROTOCOL) RW(SOL_SOCKET, SO_PRIORITY)
    RW(SOL_SOCKET, SO_SNDLOWAT)
#endif
    RW(IPPROTO_TCP, TCP_NODELAY)
#if PIPC_LINUX
    RW(IPPROTO_TCP, TCP_KEEPIDLE) RW(IPPROTO_TCP, TCP_KEEPINTVL) RW(IPPROTO_TCP, TCP_KEEPCNT)
    RW(IPPROTO_TCP, TCP_MAXSEG)
#endif
#ifdef TCP_USER_TIMEOUT
    RW(IPPROTO_TCP, TCP_USER_TIMEOUT)
#endif
    RW(IPPROTO_IP, IP_TTL) RW(IPPROTO_IPV6, IPV6_V6ONLY) RW(IPPROTO_IPV6, IPV6_UNICAST_HOPS)
};
#undef RW
#undef RO

const SockOpt* find_option(int level, int option) noexcept {
  for (const SockOpt& o : kIntOptions) {
    if (o.level == level && o.option == option) return &o;
  }
  return nullptr;
}
}  // namespace

const SockOpt* int_sockopts(std::size_t* count) noexcept {
  *count = sizeof kIntOptions / sizeof kIntOptions[0];
  return kIntOptions;
}

long setsockopt(int fd, int level, int option, int value) noexcept {
  const SockOpt* o = find_option(level, option);
  if (o == nullptr || !o->settable) return -ENOPROTOOPT;
  return once([&] { return ::setsockopt(fd, level, option, &value, sizeof value); });
}

long getsockopt(int fd, int level, int option, int* value) noexcept {
  if (find_option(level, option) == nullptr) return -ENOPROTOOPT;
  *value = 0;
  socklen_t len = sizeof *value;
  return once([&] { return ::getsockopt(fd, level, option, value, &len); });
}

}  // namespace sys
