#include "address.h"

#include <arpa/inet.h>

#include <cstring>

namespace sys {

namespace {

constexpr socklen_t kUnixPathOffset = offsetof(sockaddr_un, sun_path);

// The text as a C string for inet_pton: it must be short and contain no NUL.
bool c_string(const char* text, std::size_t len, char (&buf)[INET6_ADDRSTRLEN + 1]) noexcept {
  if (len > INET6_ADDRSTRLEN || std::memchr(text, '\0', len) != nullptr) return false;
  std::memcpy(buf, text, len);
  buf[len] = '\0';
  return true;
}

// The dotted-quad text of an IPv4 address in network order, as inet_ntop(3) writes it, without its
// printf machinery (on the path of every recvfrom and accept): the text length.
std::size_t format_ipv4(const in_addr& a, char* out) noexcept {
  const auto* b = reinterpret_cast<const unsigned char*>(&a.s_addr);
  std::size_t n = 0;
  for (int i = 0; i < 4; i++) {
    unsigned v = b[i];
    if (v >= 100) out[n++] = static_cast<char>('0' + v / 100);
    if (v >= 10) out[n++] = static_cast<char>('0' + v / 10 % 10);
    out[n++] = static_cast<char>('0' + v % 10);
    if (i < 3) out[n++] = '.';
  }
  out[n] = '\0';
  return n;
}

long to_unix(const char* text, std::size_t len, SockAddr* out) noexcept {
  auto* un = reinterpret_cast<sockaddr_un*>(&out->ss);
  un->sun_family = AF_UNIX;
  if (len == 0) {  // unnamed: the family alone (bind then autobinds on Linux)
    out->len = kUnixPathOffset;
    return 0;
  }
  if (text[0] == '\0') {  // abstract: every byte counts, no terminator
    if (len > sizeof un->sun_path) return -ENAMETOOLONG;
    std::memcpy(un->sun_path, text, len);
    out->len = static_cast<socklen_t>(kUnixPathOffset + len);
    return 0;
  }
  if (len > kUnixPathMax) return -ENAMETOOLONG;
  std::memcpy(un->sun_path, text, len);
  un->sun_path[len] = '\0';
  out->len = static_cast<socklen_t>(kUnixPathOffset + len + 1);
  return 0;
}

}  // namespace

long to_sockaddr(int family, const char* text, std::size_t text_len, int port, uint32_t flowinfo,
                 uint32_t scope_id, SockAddr* out) noexcept {
  std::memset(&out->ss, 0, sizeof out->ss);
  out->len = 0;
  if (family == AF_UNIX) return to_unix(text, text_len, out);
  if (family != AF_INET && family != AF_INET6) return -EAFNOSUPPORT;
  if (port < 0 || port > 65535) return kBadAddress;
  char buf[INET6_ADDRSTRLEN + 1];
  if (!c_string(text, text_len, buf)) return kBadAddress;
  if (family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&out->ss);
    in->sin_family = AF_INET;
    in->sin_port = htons(static_cast<uint16_t>(port));
    if (::inet_pton(AF_INET, buf, &in->sin_addr) != 1) return kBadAddress;
    out->len = sizeof(sockaddr_in);
    return 0;
  }
  if (flowinfo > 0xfffff) return kBadAddress;
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&out->ss);
  in6->sin6_family = AF_INET6;
  in6->sin6_port = htons(static_cast<uint16_t>(port));
  in6->sin6_flowinfo = htonl(flowinfo);
  in6->sin6_scope_id = scope_id;
  if (::inet_pton(AF_INET6, buf, &in6->sin6_addr) != 1) return kBadAddress;
  out->len = sizeof(sockaddr_in6);
  return 0;
}

long from_sockaddr(const sockaddr_storage& ss, socklen_t len, AddressParts* out) noexcept {
  *out = AddressParts{};
  if (len == 0) return 0;
  if (len > sizeof ss) len = sizeof ss;
  if (len < sizeof(sa_family_t)) return -EINVAL;
  switch (ss.ss_family) {
    case AF_UNIX: {
      const auto& un = reinterpret_cast<const sockaddr_un&>(ss);
      out->family = AF_UNIX;
      std::size_t n = len > kUnixPathOffset ? len - kUnixPathOffset : 0;
      if (n > sizeof un.sun_path) n = sizeof un.sun_path;
      // An abstract name is exactly n bytes; a path ends at its NUL (the kernel may count the NUL
      // in len, or not when the path filled sun_path).
      if (n > 0 && un.sun_path[0] != '\0') n = strnlen(un.sun_path, n);
      std::memcpy(out->text, un.sun_path, n);
      out->text_len = n;
      return 0;
    }
    case AF_INET: {
      if (len < sizeof(sockaddr_in)) return -EINVAL;
      const auto& in = reinterpret_cast<const sockaddr_in&>(ss);
      out->family = AF_INET;
      out->port = ntohs(in.sin_port);
      out->text_len = format_ipv4(in.sin_addr, out->text);
      return 0;
    }
    case AF_INET6: {
      if (len < sizeof(sockaddr_in6)) return -EINVAL;
      const auto& in6 = reinterpret_cast<const sockaddr_in6&>(ss);
      out->family = AF_INET6;
      out->port = ntohs(in6.sin6_port);
      out->flowinfo = ntohl(in6.sin6_flowinfo);
      out->scope_id = in6.sin6_scope_id;
      long n = inet_ntop(AF_INET6, &in6.sin6_addr, out->text, sizeof out->text);
      if (n < 0) return n;
      out->text_len = static_cast<std::size_t>(n);
      return 0;
    }
    default:
      return -EAFNOSUPPORT;
  }
}

long inet_pton(int family, const char* text, void* out) noexcept {
  if (family != AF_INET && family != AF_INET6) return -EAFNOSUPPORT;
  int r = ::inet_pton(family, text, out);
  return r < 0 ? -errno : r;
}

long inet_ntop(int family, const void* bytes, char* buf, std::size_t size) noexcept {
  if (family != AF_INET && family != AF_INET6) return -EAFNOSUPPORT;
  if (::inet_ntop(family, bytes, buf, static_cast<socklen_t>(size)) == nullptr) return -errno;
  return static_cast<long>(std::strlen(buf));
}

int getaddrinfo(const char* node, const char* service, const addrinfo* hints, addrinfo** res,
                int* sys_errno) noexcept {
  *res = nullptr;
  *sys_errno = 0;
  errno = 0;
  int r = ::getaddrinfo(node, service, hints, res);
  if (r == EAI_SYSTEM) *sys_errno = errno;
  if (r != 0) *res = nullptr;
  return r;
}

const char* gai_text(int code) noexcept {
  return ::gai_strerror(code);
}

}  // namespace sys
