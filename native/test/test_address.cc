// native/sys addresses without Node: to_sockaddr / from_sockaddr round trips, the exact sun_path
// limit, abstract names with embedded NULs, what the kernel hands back, getaddrinfo, inet_*.
#include <arpa/inet.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "check.h"
#include "sys/address.h"
#include "sys/io.h"
#include "sys/socket.h"

namespace {

sys::AddressParts round_trip(int family, const std::string& text, int port, uint32_t flowinfo = 0, uint32_t scope = 0) {
  sys::SockAddr sa;
  CHECK_EQ(sys::to_sockaddr(family, text.data(), text.size(), port, flowinfo, scope, &sa), 0);
  sys::AddressParts p;
  CHECK_EQ(sys::from_sockaddr(sa.ss, sa.len, &p), 0);
  CHECK_EQ(p.family, family);
  return p;
}

std::string text_of(const sys::AddressParts& p) { return std::string(p.text, p.text_len); }

std::string temp_path(const char* name) {
  return std::string("/tmp/pipc-") + std::to_string(getpid()) + "-" + name;
}

}  // namespace

TEST(ipv4_round_trip_in_network_order) {
  sys::SockAddr sa;
  CHECK_EQ(sys::to_sockaddr(AF_INET, "137.207.82.52", 13, 2021, 0, 0, &sa), 0);
  CHECK_EQ(sa.len, sizeof(sockaddr_in));
  const auto* in = reinterpret_cast<const sockaddr_in*>(&sa.ss);
  CHECK_EQ(in->sin_family, AF_INET);
  CHECK_EQ(in->sin_port, htons(2021));
  CHECK_EQ(in->sin_addr.s_addr, inet_addr("137.207.82.52"));
  sys::AddressParts p = round_trip(AF_INET, "0.0.0.0", 0);
  CHECK(text_of(p) == "0.0.0.0");
  CHECK_EQ(p.port, 0);
  p = round_trip(AF_INET, "255.255.255.255", 65535);
  CHECK(text_of(p) == "255.255.255.255");
  CHECK_EQ(p.port, 65535);
}

TEST(ipv4_text_is_inet_ntop_text) {
  // from_sockaddr formats IPv4 itself: it must write exactly what inet_ntop writes.
  const unsigned values[] = {0, 1, 9, 10, 11, 99, 100, 101, 199, 200, 249, 250, 255};
  for (unsigned a : values) {
    for (unsigned b : values) {
      sys::SockAddr sa{};
      auto* in = reinterpret_cast<sockaddr_in*>(&sa.ss);
      in->sin_family = AF_INET;
      unsigned char bytes[4] = {static_cast<unsigned char>(a), static_cast<unsigned char>(b),
                                static_cast<unsigned char>(b), static_cast<unsigned char>(a)};
      std::memcpy(&in->sin_addr, bytes, 4);
      sys::AddressParts p;
      CHECK_EQ(sys::from_sockaddr(sa.ss, sizeof(sockaddr_in), &p), 0);
      char expected[INET_ADDRSTRLEN];
      CHECK(::inet_ntop(AF_INET, &in->sin_addr, expected, sizeof expected) != nullptr);
      CHECK(text_of(p) == expected);
    }
  }
}

TEST(ipv6_round_trip_with_flowinfo_and_scope) {
  sys::AddressParts p = round_trip(AF_INET6, "0:0:0:0:0:0:0:1", 8080, 0xabcde, 7);
  CHECK(text_of(p) == "::1");  // inet_ntop's canonical form
  CHECK_EQ(p.port, 8080);
  CHECK_EQ(p.flowinfo, 0xabcdeu);
  CHECK_EQ(p.scope_id, 7u);
  sys::SockAddr sa;
  CHECK_EQ(sys::to_sockaddr(AF_INET6, "::1", 3, 1, 0x12345, 0, &sa), 0);
  CHECK_EQ(reinterpret_cast<const sockaddr_in6*>(&sa.ss)->sin6_flowinfo, htonl(0x12345));
  p = round_trip(AF_INET6, "::ffff:127.0.0.1", 1);
  CHECK(text_of(p) == "::ffff:127.0.0.1");
}

TEST(malformed_ip_text_port_and_family) {
  sys::SockAddr sa;
  const char* bad[] = {"", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", " 1.2.3.4", "::1"};
  for (const char* t : bad) CHECK_EQ(sys::to_sockaddr(AF_INET, t, std::strlen(t), 80, 0, 0, &sa), sys::kBadAddress);
  CHECK_EQ(sys::to_sockaddr(AF_INET6, "1.2.3.4", 7, 80, 0, 0, &sa), sys::kBadAddress);
  CHECK_EQ(sys::to_sockaddr(AF_INET6, "fe80::1%lo", 10, 80, 0, 0, &sa), sys::kBadAddress);
  CHECK_EQ(sys::to_sockaddr(AF_INET, "127.0.0.1\0x", 11, 80, 0, 0, &sa), sys::kBadAddress);  // an embedded NUL
  std::string longer(200, '1');
  CHECK_EQ(sys::to_sockaddr(AF_INET6, longer.data(), longer.size(), 80, 0, 0, &sa), sys::kBadAddress);
  CHECK_EQ(sys::to_sockaddr(AF_INET, "1.2.3.4", 7, -1, 0, 0, &sa), sys::kBadAddress);
  CHECK_EQ(sys::to_sockaddr(AF_INET, "1.2.3.4", 7, 65536, 0, 0, &sa), sys::kBadAddress);
  CHECK_EQ(sys::to_sockaddr(AF_INET6, "::1", 3, 80, 0x100000, 0, &sa), sys::kBadAddress);
  CHECK_EQ(sys::to_sockaddr(AF_UNSPEC, "1.2.3.4", 7, 80, 0, 0, &sa), -EAFNOSUPPORT);
  CHECK_EQ(sys::to_sockaddr(12345, "x", 1, 0, 0, 0, &sa), -EAFNOSUPPORT);
}

TEST(unix_path_limit_is_exact) {
  sys::SockAddr sa;
  std::string fits(sys::kUnixPathMax, 'a');
  CHECK_EQ(sys::kUnixPathMax, sizeof(sockaddr_un::sun_path) - 1);
  CHECK_EQ(sys::to_sockaddr(AF_UNIX, fits.data(), fits.size(), 0, 0, 0, &sa), 0);
  CHECK_EQ(sa.len, offsetof(sockaddr_un, sun_path) + fits.size() + 1);
  CHECK_EQ(reinterpret_cast<const sockaddr_un*>(&sa.ss)->sun_path[fits.size()], '\0');
  sys::AddressParts p = round_trip(AF_UNIX, fits, 0);
  CHECK(text_of(p) == fits);
  std::string over(sys::kUnixPathMax + 1, 'a');
  CHECK_EQ(sys::to_sockaddr(AF_UNIX, over.data(), over.size(), 0, 0, 0, &sa), -ENAMETOOLONG);
  std::string far_over(5000, 'a');
  CHECK_EQ(sys::to_sockaddr(AF_UNIX, far_over.data(), far_over.size(), 0, 0, 0, &sa), -ENAMETOOLONG);
}

TEST(abstract_names_keep_every_byte) {
  const char raw[] = {'\0', 'a', '\0', 'b', '\0'};
  std::string name(raw, sizeof raw);
  sys::SockAddr sa;
  CHECK_EQ(sys::to_sockaddr(AF_UNIX, name.data(), name.size(), 0, 0, 0, &sa), 0);
  CHECK_EQ(sa.len, offsetof(sockaddr_un, sun_path) + name.size());  // computed, not strlen
  sys::AddressParts p = round_trip(AF_UNIX, name, 0);
  CHECK_EQ(p.text_len, name.size());
  CHECK(std::memcmp(p.text, raw, sizeof raw) == 0);
  std::string whole(sizeof(sockaddr_un::sun_path), 'z');
  whole[0] = '\0';
  CHECK_EQ(sys::to_sockaddr(AF_UNIX, whole.data(), whole.size(), 0, 0, 0, &sa), 0);  // all 108 bytes
  whole += 'z';
  CHECK_EQ(sys::to_sockaddr(AF_UNIX, whole.data(), whole.size(), 0, 0, 0, &sa), -ENAMETOOLONG);
}

TEST(unnamed_unix_and_no_address) {
  sys::SockAddr sa;
  CHECK_EQ(sys::to_sockaddr(AF_UNIX, "", 0, 0, 0, 0, &sa), 0);
  CHECK_EQ(sa.len, offsetof(sockaddr_un, sun_path));
  sys::AddressParts p;
  CHECK_EQ(sys::from_sockaddr(sa.ss, sa.len, &p), 0);
  CHECK_EQ(p.family, AF_UNIX);
  CHECK_EQ(p.text_len, 0);
  CHECK_EQ(sys::from_sockaddr(sa.ss, 0, &p), 0);
  CHECK_EQ(p.family, AF_UNSPEC);
  CHECK_EQ(sys::from_sockaddr(sa.ss, 1, &p), -EINVAL);
  sockaddr_storage other{};
  other.ss_family = AF_APPLETALK;
  CHECK_EQ(sys::from_sockaddr(other, sizeof other, &p), -EAFNOSUPPORT);
  sys::SockAddr in;
  CHECK_EQ(sys::to_sockaddr(AF_INET, "1.2.3.4", 7, 1, 0, 0, &in), 0);
  CHECK_EQ(sys::from_sockaddr(in.ss, sizeof(sockaddr_in) - 1, &p), -EINVAL);  // too short for AF_INET
}

TEST(kernel_addresses_decode_the_same) {
  // What the kernel reports back (its lengths, its NULs) decodes to what was bound.
  std::string path = temp_path("kernel");
  ::unlink(path.c_str());
  int fd = static_cast<int>(sys::socket(AF_UNIX, SOCK_STREAM, 0));
  CHECK(fd >= 0);
  sys::SockAddr sa, got;
  CHECK_EQ(sys::getsockname(fd, &got), 0);
  sys::AddressParts p;
  CHECK_EQ(sys::from_sockaddr(got.ss, got.len, &p), 0);
  CHECK_EQ(p.family, AF_UNIX);
  CHECK_EQ(p.text_len, 0);  // unbound: unnamed
  CHECK_EQ(sys::to_sockaddr(AF_UNIX, path.data(), path.size(), 0, 0, 0, &sa), 0);
  CHECK_EQ(sys::bind(fd, sa), 0);
  CHECK_EQ(sys::getsockname(fd, &got), 0);
  CHECK_EQ(sys::from_sockaddr(got.ss, got.len, &p), 0);
  CHECK(text_of(p) == path);
  sys::close(fd);
  ::unlink(path.c_str());

  // An abstract name with an embedded NUL, and an autobound one.
  const char raw[] = {'\0', 'p', 'i', 'p', 'c', '\0', 'x'};
  std::string name(raw, sizeof raw);
  name += std::to_string(getpid());
  fd = static_cast<int>(sys::socket(AF_UNIX, SOCK_DGRAM, 0));
  CHECK_EQ(sys::to_sockaddr(AF_UNIX, name.data(), name.size(), 0, 0, 0, &sa), 0);
  CHECK_EQ(sys::bind(fd, sa), 0);
  CHECK_EQ(sys::getsockname(fd, &got), 0);
  CHECK_EQ(sys::from_sockaddr(got.ss, got.len, &p), 0);
  CHECK(text_of(p) == name);
  sys::close(fd);
  fd = static_cast<int>(sys::socket(AF_UNIX, SOCK_DGRAM, 0));
  CHECK_EQ(sys::to_sockaddr(AF_UNIX, "", 0, 0, 0, 0, &sa), 0);
  CHECK_EQ(sys::bind(fd, sa), 0);  // autobind
  CHECK_EQ(sys::getsockname(fd, &got), 0);
  CHECK_EQ(sys::from_sockaddr(got.ss, got.len, &p), 0);
  CHECK(p.text_len > 1 && p.text[0] == '\0');
  sys::close(fd);

  // A path of exactly 107 bytes binds and comes back whole; 108 is refused before the kernel.
  std::string dir = "/tmp/";
  std::string longest = dir + std::string(sys::kUnixPathMax - dir.size(), 'q');
  ::unlink(longest.c_str());
  fd = static_cast<int>(sys::socket(AF_UNIX, SOCK_STREAM, 0));
  CHECK_EQ(sys::to_sockaddr(AF_UNIX, longest.data(), longest.size(), 0, 0, 0, &sa), 0);
  CHECK_EQ(sys::bind(fd, sa), 0);
  CHECK_EQ(sys::getsockname(fd, &got), 0);
  CHECK_EQ(sys::from_sockaddr(got.ss, got.len, &p), 0);
  CHECK(text_of(p) == longest);
  sys::close(fd);
  ::unlink(longest.c_str());

  // IPv4 with port 0: the kernel's port comes back.
  fd = static_cast<int>(sys::socket(AF_INET, SOCK_DGRAM, 0));
  CHECK_EQ(sys::to_sockaddr(AF_INET, "127.0.0.1", 9, 0, 0, 0, &sa), 0);
  CHECK_EQ(sys::bind(fd, sa), 0);
  CHECK_EQ(sys::getsockname(fd, &got), 0);
  CHECK_EQ(sys::from_sockaddr(got.ss, got.len, &p), 0);
  CHECK(text_of(p) == "127.0.0.1");
  CHECK(p.port > 0);
  sys::close(fd);
}

TEST(getaddrinfo_numeric_and_errors) {
  addrinfo hints{};
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int err = -1;
  CHECK_EQ(sys::getaddrinfo("127.0.0.1", "2021", &hints, &res, &err), 0);
  CHECK(res != nullptr);
  sys::SockAddr sa{};
  std::memcpy(&sa.ss, res->ai_addr, res->ai_addrlen);
  sys::AddressParts p;
  CHECK_EQ(sys::from_sockaddr(sa.ss, res->ai_addrlen, &p), 0);
  CHECK(text_of(p) == "127.0.0.1");
  CHECK_EQ(p.port, 2021);
  freeaddrinfo(res);
  CHECK_EQ(sys::getaddrinfo("127.0.0.1", "http", &hints, &res, &err), EAI_NONAME);  // a name with AI_NUMERICSERV
  CHECK(res == nullptr);
  CHECK_EQ(sys::getaddrinfo("localhost", "80", &hints, &res, &err), EAI_NONAME);    // a name with AI_NUMERICHOST
  hints.ai_flags = 0;
  hints.ai_family = 12345;
  CHECK_EQ(sys::getaddrinfo("127.0.0.1", "80", &hints, &res, &err), EAI_FAMILY);
  CHECK(std::strlen(sys::gai_text(EAI_NONAME)) > 0);
}

TEST(inet_pton_and_ntop) {
  unsigned char b[16];
  CHECK_EQ(sys::inet_pton(AF_INET, "10.0.0.255", b), 1);
  CHECK(b[0] == 10 && b[1] == 0 && b[2] == 0 && b[3] == 255);
  CHECK_EQ(sys::inet_pton(AF_INET, "10.0.0.256", b), 0);
  CHECK_EQ(sys::inet_pton(AF_INET6, "::1", b), 1);
  CHECK_EQ(b[15], 1);
  CHECK_EQ(sys::inet_pton(AF_UNIX, "x", b), -EAFNOSUPPORT);
  char t[INET6_ADDRSTRLEN];
  CHECK_EQ(sys::inet_ntop(AF_INET6, b, t, sizeof t), 3);
  CHECK(std::strcmp(t, "::1") == 0);
  CHECK_EQ(sys::inet_ntop(AF_INET6, b, t, 2), -ENOSPC);
  CHECK_EQ(sys::inet_ntop(AF_UNIX, b, t, sizeof t), -EAFNOSUPPORT);
}

int main() {
  RUN(ipv4_round_trip_in_network_order);
  RUN(ipv4_text_is_inet_ntop_text);
  RUN(ipv6_round_trip_with_flowinfo_and_scope);
  RUN(malformed_ip_text_port_and_family);
  RUN(unix_path_limit_is_exact);
  RUN(abstract_names_keep_every_byte);
  RUN(unnamed_unix_and_no_address);
  RUN(kernel_addresses_decode_the_same);
  RUN(getaddrinfo_numeric_and_errors);
  RUN(inet_pton_and_ntop);
  return 0;
}
