// Addresses (lecture order 10): the one place where posix-ipc's socket addresses become the kernel's
// sockaddr_un / sockaddr_in / sockaddr_in6 and back, plus getaddrinfo, inet_pton and inet_ntop.
#pragma once
#include "errors.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstddef>
#include <cstdint>

namespace sys {

// A socket address in the kernel's form: what bind, connect and sendto take, and what accept,
// recvfrom, getsockname and getpeername fill (len is then the length the kernel reported).
struct SockAddr {
  sockaddr_storage ss;
  socklen_t len;
  const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&ss); }
  sockaddr* get() noexcept { return reinterpret_cast<sockaddr*>(&ss); }
};

// The longest AF_UNIX path, in bytes, that fits sun_path with its terminating NUL (107 on Linux):
// unix(7)'s portable rule, the one C programs that strcpy into sun_path follow. An abstract name
// (Linux: a leading NUL, then any bytes) may use every byte of sun_path: the NUL plus 107 bytes.
constexpr std::size_t kUnixPathMax = sizeof(sockaddr_un::sun_path) - 1;

// Room for any address text: a whole sun_path, or the longest numeric IPv6 text.
constexpr std::size_t kAddressTextMax = sizeof(sockaddr_un::sun_path) > INET6_ADDRSTRLEN
                                            ? sizeof(sockaddr_un::sun_path)
                                            : INET6_ADDRSTRLEN;

// What to_sockaddr returns for an IP address text that inet_pton(3) refuses (or a port outside
// 0..65535). Not an errno: no system call is made, and the caller reports a malformed argument.
constexpr long kBadAddress = -(1L << 20);

// The parts of an address as posix-ipc's SockAddr has them.
//   AF_UNIX:  text/text_len is the path: '' is unnamed (binding it autobinds on Linux), a leading
//             NUL makes a Linux abstract name whose every byte counts (NULs included); a path may
//             not contain a NUL (the caller checks that; here it would end the path).
//   AF_INET, AF_INET6: text is the numeric address, port is in host order, flowinfo (host order,
//             20 bits) and scope_id only for AF_INET6.
struct AddressParts {
  int family = AF_UNSPEC;
  char text[kAddressTextMax + 1] = {};
  std::size_t text_len = 0;
  int port = 0;
  uint32_t flowinfo = 0;
  uint32_t scope_id = 0;
};

// Encodes parts into out. 0, or -EAFNOSUPPORT (family is not AF_UNIX/AF_INET/AF_INET6),
// -ENAMETOOLONG (the path does not fit sun_path: nothing is truncated), kBadAddress.
long to_sockaddr(int family, const char* text, std::size_t text_len, int port, uint32_t flowinfo,
                 uint32_t scope_id, SockAddr* out) noexcept;

// Decodes the first len bytes of ss. 0 (out->family is AF_UNSPEC when len is 0: no address, as
// recvfrom reports on a connected stream), or -EAFNOSUPPORT for a family posix-ipc does not name,
// -EINVAL for a length too short for its family.
long from_sockaddr(const sockaddr_storage& ss, socklen_t len, AddressParts* out) noexcept;

// inet_pton(3): writes 4 (AF_INET) or 16 (AF_INET6) bytes to out. 1, 0 when the text is not a
// valid numeric address, or -EAFNOSUPPORT.
long inet_pton(int family, const char* text, void* out) noexcept;

// inet_ntop(3) of 4 or 16 bytes into buf (size >= INET6_ADDRSTRLEN): the text length, or
// -EAFNOSUPPORT, -ENOSPC.
long inet_ntop(int family, const void* bytes, char* buf, std::size_t size) noexcept;

// getaddrinfo(3). Returns 0 and sets *res (free it with freeaddrinfo), or the EAI_* code (never 0);
// for EAI_SYSTEM, *sys_errno is the errno. Blocking: it may ask DNS, as it does in C.
int getaddrinfo(const char* node, const char* service, const addrinfo* hints, addrinfo** res,
                int* sys_errno) noexcept;

// gai_strerror(3): the text of an EAI_* code.
const char* gai_text(int code) noexcept;

}  // namespace sys
