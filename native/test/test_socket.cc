// native/sys sockets without Node: the lecture's server and client, non-blocking calls, datagrams,
// int-only socket options, EPIPE, and EINTR (retried, reported, and connect's special case).
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>

#include "check.h"
#include "sys/address.h"
#include "sys/io.h"
#include "sys/socket.h"

namespace {

sys::SockAddr address(int family, const char* text, int port = 0) {
  sys::SockAddr sa;
  CHECK_EQ(sys::to_sockaddr(family, text, std::strlen(text), port, 0, 0, &sa), 0);
  return sa;
}

int open_socket(int domain, int type) {
  long fd = sys::socket(domain, type, 0);
  CHECK(fd >= 0);
  return static_cast<int>(fd);
}

// A TCP listener on 127.0.0.1 with a port the kernel picked; *where is its address.
int tcp_listener(int backlog, sys::SockAddr* where, int flags = 0) {
  int fd = open_socket(AF_INET, SOCK_STREAM | flags);
  CHECK_EQ(sys::bind(fd, address(AF_INET, "127.0.0.1")), 0);
  CHECK_EQ(sys::listen(fd, backlog), 0);
  CHECK_EQ(sys::getsockname(fd, where), 0);
  return fd;
}

std::string temp_path(const char* name) {
  return std::string("/tmp/pipc-") + std::to_string(getpid()) + "-" + name;
}

std::atomic<int> g_signals{0};
void on_signal(int) { g_signals++; }

// Sends SIGUSR1 to a thread every 10 ms until stopped. The handler is installed without
// SA_RESTART, so a blocked system call fails with EINTR instead of being restarted by the kernel.
class Interrupter {
 public:
  explicit Interrupter(pthread_t target) : target_(target) {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    CHECK_EQ(sigaction(SIGUSR1, &sa, nullptr), 0);
    thread_ = std::thread([this] {
      while (!stop_) {
        pthread_kill(target_, SIGUSR1);
        usleep(10000);
      }
    });
  }
  ~Interrupter() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  pthread_t target_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Once several signals have hit the main thread (so it is blocked in its call), accepts `count`
// connections on server and closes them.
std::thread accept_later(int server, int count) {
  g_signals = 0;
  return std::thread([server, count] {
    while (g_signals < 5) usleep(1000);
    for (int i = 0; i < count; i++) {
      sys::SockAddr peer;
      long a = sys::accept(server, &peer);
      CHECK(a >= 0);
      sys::close(static_cast<int>(a));
    }
  });
}

// A blocking connect to a full queue, interrupted by signals until `accepts` connections have
// been accepted on server: the connected client socket.
int connect_while_interrupted(int domain, const sys::SockAddr& where, int server, int accepts) {
  int client = open_socket(domain, SOCK_STREAM);
  std::thread server_side = accept_later(server, accepts);
  long r;
  {
    Interrupter sig(pthread_self());
    r = sys::connect(client, where, sys::Eintr::retry);
  }
  server_side.join();
  CHECK_EQ(r, 0);
  return client;
}

}  // namespace

TEST(server_and_client_hello) {
  sys::SockAddr where;
  int server = tcp_listener(5, &where);
  int client = open_socket(AF_INET, SOCK_STREAM);
  CHECK_EQ(sys::connect(client, where), 0);
  sys::SockAddr peer;
  long conn = sys::accept(server, &peer);
  CHECK(conn >= 0);
  CHECK_EQ(::fcntl(static_cast<int>(conn), F_GETFD) & FD_CLOEXEC, 0);   // inheritable
  CHECK_EQ(::fcntl(static_cast<int>(conn), F_GETFL) & O_NONBLOCK, 0);   // blocking
  sys::SockAddr mine;
  CHECK_EQ(sys::getsockname(client, &mine), 0);
  CHECK_EQ(peer.len, mine.len);
  CHECK(std::memcmp(&peer.ss, &mine.ss, peer.len) == 0);  // accept's peer is the client's name
  CHECK_EQ(sys::send(client, "hello", 6, 0), 6);
  char msg[10];
  CHECK_EQ(sys::recv(static_cast<int>(conn), msg, 10, 0), 6);
  CHECK(std::strcmp(msg, "hello") == 0);
  CHECK_EQ(sys::send(static_cast<int>(conn), "hello back", 11, 0), 11);
  CHECK_EQ(sys::shutdown(static_cast<int>(conn), SHUT_WR), 0);
  char response[16];
  CHECK_EQ(sys::recv(client, response, sizeof response, MSG_WAITALL), 11);
  CHECK_EQ(sys::recv(client, response, sizeof response, 0), 0);  // end of stream after SHUT_WR
  CHECK_EQ(sys::send(client, "still", 5, 0), 5);                  // the other direction still works
  CHECK_EQ(sys::recv(static_cast<int>(conn), msg, 10, 0), 5);
  sys::close(client);
  sys::close(static_cast<int>(conn));
  sys::close(server);
}

TEST(errors_of_the_lecture) {
  sys::SockAddr where;
  int holder = open_socket(AF_INET, SOCK_STREAM);  // bound, not listening: connect is refused
  CHECK_EQ(sys::bind(holder, address(AF_INET, "127.0.0.1")), 0);
  CHECK_EQ(sys::getsockname(holder, &where), 0);
  int client = open_socket(AF_INET, SOCK_STREAM);
  CHECK_EQ(sys::connect(client, where), -ECONNREFUSED);
  int second = open_socket(AF_INET, SOCK_STREAM);
  CHECK_EQ(sys::bind(second, where), -EADDRINUSE);
  CHECK_EQ(sys::listen(holder, 0), 0);
  sys::SockAddr peer;
  CHECK_EQ(sys::accept(second, &peer), -EINVAL);  // not listening
  int udp = open_socket(AF_INET, SOCK_DGRAM);
  CHECK_EQ(sys::listen(udp, 1), -EOPNOTSUPP);
  CHECK_EQ(sys::getpeername(udp, &peer), -ENOTCONN);
  CHECK_EQ(sys::shutdown(udp, 12345), -EINVAL);
  for (int fd : {holder, client, second, udp}) sys::close(fd);
  CHECK_EQ(sys::send(client, "x", 1, 0), -EBADF);
  CHECK_EQ(sys::socket(AF_INET, 12345, 0), -EINVAL);
  CHECK_EQ(sys::socket(12345, SOCK_STREAM, 0), -EAFNOSUPPORT);
  int p[2];
  CHECK_EQ(::pipe(p), 0);
  CHECK_EQ(sys::listen(p[0], 1), -ENOTSOCK);
  sys::close(p[0]);
  sys::close(p[1]);
}

TEST(non_blocking_calls_fail_at_once) {
  sys::SockAddr where;
  int server = tcp_listener(0, &where, SOCK_NONBLOCK);
  sys::SockAddr peer;
  CHECK_EQ(sys::accept(server, &peer), -EAGAIN);
  int first = open_socket(AF_INET, SOCK_STREAM);
  CHECK_EQ(sys::connect(first, where), 0);  // fills the queue of one: the next SYN is dropped,
  int client = open_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
  CHECK_EQ(sys::connect(client, where), -EINPROGRESS);  // so this connection is surely in progress
  CHECK_EQ(sys::connect(client, where), -EALREADY);
  pollfd l{server, POLLIN, 0};
  CHECK_EQ(::poll(&l, 1, 10000), 1);
  long conn = sys::accept(server, &peer);
  CHECK(conn >= 0);
  CHECK_EQ(::fcntl(static_cast<int>(conn), F_GETFL) & O_NONBLOCK, 0);  // accept, not accept4
  sys::close(static_cast<int>(conn));
  pollfd p{client, POLLOUT, 0};
  CHECK_EQ(::poll(&p, 1, 10000), 1);  // the SYN's retransmission got in
  int err = -1;
  CHECK_EQ(sys::getsockopt(client, SOL_SOCKET, SO_ERROR, &err), 0);
  CHECK_EQ(err, 0);
  CHECK_EQ(::poll(&l, 1, 10000), 1);
  conn = sys::accept(server, &peer);
  CHECK(conn >= 0);
  char c;
  CHECK_EQ(sys::recv(client, &c, 1, 0), -EAGAIN);
  CHECK_EQ(sys::recv(static_cast<int>(conn), &c, 1, MSG_DONTWAIT), -EAGAIN);
  sys::close(static_cast<int>(conn));
  sys::close(client);
  sys::close(first);
  sys::close(server);
}

TEST(datagrams_keep_boundaries_and_say_who_sent) {
  int a = open_socket(AF_INET, SOCK_DGRAM);
  int b = open_socket(AF_INET, SOCK_DGRAM);
  CHECK_EQ(sys::bind(a, address(AF_INET, "127.0.0.1")), 0);
  sys::SockAddr to, from, b_name;
  CHECK_EQ(sys::getsockname(a, &to), 0);
  CHECK_EQ(sys::sendto(b, "one", 3, 0, to), 3);
  CHECK_EQ(sys::sendto(b, "two!", 4, 0, to), 4);
  CHECK_EQ(sys::getsockname(b, &b_name), 0);  // autobound by the first sendto
  char buf[16];
  CHECK_EQ(sys::recvfrom(a, buf, sizeof buf, 0, &from), 3);
  CHECK_EQ(from.len, b_name.len);  // 127.0.0.1 and the port b was autobound to (on 0.0.0.0)
  CHECK_EQ(reinterpret_cast<sockaddr_in*>(&from.ss)->sin_port, reinterpret_cast<sockaddr_in*>(&b_name.ss)->sin_port);
  CHECK_EQ(reinterpret_cast<sockaddr_in*>(&from.ss)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
  CHECK_EQ(sys::recvfrom(a, buf, 2, 0, &from), 2);  // the rest of "two!" is dropped
  CHECK_EQ(sys::recvfrom(a, buf, sizeof buf, MSG_DONTWAIT, &from), -EAGAIN);
  sys::close(a);
  sys::close(b);

  std::string path = temp_path("dgram");
  ::unlink(path.c_str());
  int server = open_socket(AF_UNIX, SOCK_DGRAM);
  sys::SockAddr where;
  CHECK_EQ(sys::to_sockaddr(AF_UNIX, path.data(), path.size(), 0, 0, 0, &where), 0);
  CHECK_EQ(sys::bind(server, where), 0);
  int client = open_socket(AF_UNIX, SOCK_DGRAM);
  CHECK_EQ(sys::sendto(client, "anon", 4, 0, where), 4);
  CHECK_EQ(sys::recvfrom(server, buf, sizeof buf, 0, &from), 4);
  CHECK_EQ(from.len, 0);  // an unbound sender has no address (and cannot be answered)
  sys::close(client);
  sys::close(server);
  ::unlink(path.c_str());

  int sp[2];
  CHECK_EQ(sys::socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp), 0);
  CHECK_EQ(sys::send(sp[0], "abc", 3, 0), 3);
  CHECK_EQ(sys::send(sp[0], "de", 2, 0), 2);
  CHECK_EQ(sys::recv(sp[1], buf, sizeof buf, 0), 3);
  CHECK_EQ(sys::recvfrom(sp[1], buf, sizeof buf, 0, &from), 2);
  sys::close(sp[0]);
  sys::close(sp[1]);
}

TEST(socket_options_are_int_only) {
  int fd = open_socket(AF_INET, SOCK_STREAM);
  int v = -1;
  CHECK_EQ(sys::getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v), 0);
  CHECK_EQ(v, 0);
  CHECK_EQ(sys::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1), 0);
  CHECK_EQ(sys::getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v), 0);
  CHECK_EQ(v, 1);
  CHECK_EQ(sys::getsockopt(fd, SOL_SOCKET, SO_TYPE, &v), 0);
  CHECK_EQ(v, SOCK_STREAM);
  CHECK_EQ(sys::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, 1), 0);
  CHECK_EQ(sys::setsockopt(fd, SOL_SOCKET, SO_TYPE, 1), -ENOPROTOOPT);      // read-only
  CHECK_EQ(sys::setsockopt(fd, SOL_SOCKET, SO_LINGER, 1), -ENOPROTOOPT);    // a struct linger
  CHECK_EQ(sys::getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &v), -ENOPROTOOPT); // a struct timeval
  CHECK_EQ(sys::setsockopt(-1, SOL_SOCKET, SO_REUSEADDR, 1), -EBADF);
  std::size_t n = 0;
  const sys::SockOpt* t = sys::int_sockopts(&n);
  CHECK(n > 10);
  for (std::size_t i = 0; i < n; i++) CHECK(t[i].name != nullptr && std::strncmp(t[i].name, "SO_LINGER", 9) != 0);
  sys::close(fd);
}

TEST(send_to_a_closed_peer_is_epipe) {
  signal(SIGPIPE, SIG_IGN);  // as Node does
  int sp[2];
  CHECK_EQ(sys::socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
  sys::close(sp[1]);
  CHECK_EQ(sys::send(sp[0], "x", 1, 0), -EPIPE);
  sys::close(sp[0]);
  signal(SIGPIPE, SIG_DFL);
}

TEST(eintr_is_retried_or_reported) {
  int sp[2];
  CHECK_EQ(sys::socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
  char c;
  {
    Interrupter sig(pthread_self());
    CHECK_EQ(sys::recv(sp[0], &c, 1, 0, sys::Eintr::report), -EINTR);
  }
  g_signals = 0;
  std::thread late([&] {
    while (g_signals < 5) usleep(1000);  // several signals hit the waiting recv first
    CHECK_EQ(sys::send(sp[1], "!", 1, 0), 1);
  });
  {
    Interrupter sig(pthread_self());
    CHECK_EQ(sys::recv(sp[0], &c, 1, 0, sys::Eintr::retry), 1);
  }
  late.join();
  CHECK_EQ(c, '!');
  sys::close(sp[0]);
  sys::close(sp[1]);

  sys::SockAddr where, peer;
  int server = tcp_listener(1, &where);
  {
    Interrupter sig(pthread_self());
    CHECK_EQ(sys::accept(server, &peer, sys::Eintr::report), -EINTR);
  }
  g_signals = 0;
  int client = open_socket(AF_INET, SOCK_STREAM);
  std::thread dial([&] {
    while (g_signals < 5) usleep(1000);
    CHECK_EQ(sys::connect(client, where), 0);
  });
  long conn;
  {
    Interrupter sig(pthread_self());
    conn = sys::accept(server, &peer, sys::Eintr::retry);
  }
  dial.join();
  CHECK(conn >= 0);
  sys::close(static_cast<int>(conn));
  sys::close(client);
  sys::close(server);
}

// A blocking connect to a listener whose queue is full waits; interrupted, TCP goes on connecting
// in the kernel, so the retrying connect waits for that connection and reports how it ended.
TEST(interrupted_tcp_connect_completes) {
  sys::SockAddr where, peer;
  int server = tcp_listener(0, &where);  // a queue of one
  int first = open_socket(AF_INET, SOCK_STREAM);
  CHECK_EQ(sys::connect(first, where), 0);  // fills the queue: the next SYN is dropped

  int reported = open_socket(AF_INET, SOCK_STREAM);
  {
    Interrupter sig(pthread_self());
    CHECK_EQ(sys::connect(reported, where, sys::Eintr::report), -EINTR);
  }
  sys::SockAddr none;
  CHECK_EQ(sys::getpeername(reported, &none), -ENOTCONN);  // still connecting, in the kernel
  sys::close(reported);

  // Accepting makes room: the SYN's retransmission gets in.
  int client = connect_while_interrupted(AF_INET, where, server, 1);
  CHECK_EQ(sys::getpeername(client, &peer), 0);
  CHECK_EQ(peer.len, where.len);
  CHECK(std::memcmp(&peer.ss, &where.ss, peer.len) == 0);
  sys::close(client);
  sys::close(first);
  sys::close(server);
}

// AF_UNIX has no connection in progress after EINTR: the retrying connect calls connect again.
TEST(interrupted_unix_connect_starts_again) {
  std::string path = temp_path("connect");
  ::unlink(path.c_str());
  sys::SockAddr where, peer;
  CHECK_EQ(sys::to_sockaddr(AF_UNIX, path.data(), path.size(), 0, 0, 0, &where), 0);
  int server = open_socket(AF_UNIX, SOCK_STREAM);
  CHECK_EQ(sys::bind(server, where), 0);
  CHECK_EQ(sys::listen(server, 0), 0);
  int first = open_socket(AF_UNIX, SOCK_STREAM);
  CHECK_EQ(sys::connect(first, where), 0);  // fills the queue
  int nb = open_socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK);
  CHECK_EQ(sys::connect(nb, where), -EAGAIN);  // full, as a non-blocking connect sees it
  sys::close(nb);

  int client = connect_while_interrupted(AF_UNIX, where, server, 2);
  CHECK_EQ(sys::getpeername(client, &peer), 0);
  sys::close(client);
  sys::close(first);
  sys::close(server);
  ::unlink(path.c_str());
}

int main() {
  RUN(server_and_client_hello);
  RUN(errors_of_the_lecture);
  RUN(non_blocking_calls_fail_at_once);
  RUN(datagrams_keep_boundaries_and_say_who_sent);
  RUN(socket_options_are_int_only);
  RUN(send_to_a_closed_peer_is_epipe);
  RUN(eintr_is_retried_or_reported);
  RUN(interrupted_tcp_connect_completes);
  RUN(interrupted_unix_connect_starts_again);
  return 0;
}
