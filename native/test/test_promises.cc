// native/sys for posix-ipc/promises without Node: calls that never wait on blocking descriptors
// (pipes, FIFOs, sockets, terminals, files) without touching their flags, and the readiness set.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "check.h"
#include "sys/io.h"
#include "sys/pipe.h"
#include "sys/promises.h"
#include "sys/socket.h"

using Route = sys::Nowait::Route;

static int open_fds() {
  int n = 0;
  for (int fd = 0; fd < 1024; fd++) n += ::fcntl(fd, F_GETFD) >= 0;
  return n;
}

TEST(pipe_read_and_write_without_waiting) {
  signal(SIGPIPE, SIG_IGN);  // as Node does
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  sys::Nowait r(fds[0]), w(fds[1]);
  char buf[16];
  CHECK_EQ(r.read(buf, sizeof buf), -EAGAIN);  // empty, blocking pipe: no wait
  CHECK(r.route() == Route::flag);
  CHECK_EQ(::fcntl(fds[0], F_GETFL) & O_NONBLOCK, 0);  // and the flag was never set
  CHECK_EQ(w.write("hello", 5), 5);
  CHECK_EQ(r.read(buf, sizeof buf), 5);
  CHECK(std::memcmp(buf, "hello", 5) == 0);
  // Full: a big write is partial, then EAGAIN.
  static char big[1 << 20];
  long n = w.write(big, sizeof big);
  CHECK(n > 0 && n < static_cast<long>(sizeof big));
  CHECK_EQ(w.write("x", 1), -EAGAIN);
  CHECK_EQ(::fcntl(fds[1], F_GETFL) & O_NONBLOCK, 0);
  // End of file once drained with no writer; EPIPE with no reader.
  sys::close(fds[1]);
  static char sink[1 << 16];
  long total = 0;
  while ((n = r.read(sink, sizeof sink)) > 0) total += n;
  CHECK_EQ(n, 0);
  CHECK(total > 0);
  sys::close(fds[0]);
  CHECK_EQ(sys::pipe(fds), 0);
  sys::close(fds[0]);
  sys::Nowait w2(fds[1]);
  CHECK_EQ(w2.write("x", 1), -EPIPE);
  sys::close(fds[1]);
  sys::Nowait closed(fds[1]);
  CHECK_EQ(closed.read(buf, 1), -EBADF);
}

TEST(fifo_through_a_shadow_description) {
  char path[] = "/tmp/posix-ipc-test-fifo-XXXXXX";
  int tmp = mkstemp(path);
  CHECK(tmp >= 0);
  sys::close(tmp);
  unlink(path);
  CHECK_EQ(mkfifo(path, 0600), 0);
  int r = ::open(path, O_RDONLY | O_NONBLOCK);
  int w = ::open(path, O_WRONLY);
  CHECK(r >= 0 && w >= 0);
  CHECK_EQ(::fcntl(r, F_SETFL, 0), 0);  // the reader is blocking, as after a plain open
  int before = open_fds();
  {
    sys::Nowait nr(r), nw(w);
    char buf[8];
    CHECK_EQ(nr.read(buf, sizeof buf), -EAGAIN);
    CHECK(nr.route() == Route::shadow || nr.route() == Route::flag);
    CHECK_EQ(nw.write("fifo", 4), 4);
    CHECK_EQ(nr.read(buf, sizeof buf), 4);
    CHECK(std::memcmp(buf, "fifo", 4) == 0);
    CHECK_EQ(::fcntl(r, F_GETFL) & O_NONBLOCK, 0);
    CHECK_EQ(::fcntl(w, F_GETFL) & O_NONBLOCK, 0);
    // Moving keeps the shadow open; the moved-from object owns nothing.
    sys::Nowait moved(static_cast<sys::Nowait&&>(nr));
    CHECK(nr.route() == Route::unknown);
    CHECK_EQ(moved.read(buf, sizeof buf), -EAGAIN);
    // A shadow counts as a reader or writer while it is open: the writer's must go with the
    // writer's descriptor (posix-ipc's close does that), and then the reader sees end of file.
    nw.forget();
    sys::close(w);
    CHECK_EQ(moved.read(buf, sizeof buf), 0);
  }
  CHECK_EQ(open_fds(), before - 1);  // shadows closed (and w)
  sys::close(r);
  unlink(path);
}

TEST(terminal_guarded_by_poll) {
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  CHECK(master >= 0);
  CHECK_EQ(grantpt(master), 0);
  CHECK_EQ(unlockpt(master), 0);
  int slave = ::open(ptsname(master), O_RDWR | O_NOCTTY);
  CHECK(slave >= 0);
  sys::Nowait ns(slave);
  char buf[16];
  CHECK_EQ(ns.read(buf, sizeof buf), -EAGAIN);  // a blocking terminal with no line typed: no wait
  CHECK(ns.route() == Route::guard || ns.route() == Route::flag);
  CHECK_EQ(sys::write(master, "line\n", 5), 5);
  long n = -EAGAIN;
  for (int i = 0; i < 100 && n == -EAGAIN; i++) {  // the line discipline delivers asynchronously
    n = ns.read(buf, sizeof buf);
    if (n == -EAGAIN) usleep(10000);
  }
  CHECK_EQ(n, 5);
  CHECK(std::memcmp(buf, "line\n", 5) == 0);
  CHECK_EQ(::fcntl(slave, F_GETFL) & O_NONBLOCK, 0);
  sys::close(slave);
  sys::close(master);
}

TEST(regular_file_and_socket) {
  char path[] = "/tmp/posix-ipc-test-file-XXXXXX";
  int f = mkstemp(path);
  CHECK(f >= 0);
  unlink(path);
  sys::Nowait nf(f);
  CHECK_EQ(nf.write("data", 4), 4);
  CHECK_EQ(::lseek(f, 0, SEEK_SET), 0);
  char buf[8];
  CHECK_EQ(nf.read(buf, sizeof buf), 4);
  CHECK_EQ(nf.read(buf, sizeof buf), 0);
  nf.always_ready();
  CHECK(nf.route() == Route::plain);
  sys::close(f);

  int sv[2];
  CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  sys::Nowait a(sv[0]), b(sv[1]);
  CHECK_EQ(a.read(buf, sizeof buf), -EAGAIN);
  CHECK_EQ(b.write("abc", 3), 3);
  CHECK_EQ(a.read(buf, sizeof buf), 3);
  CHECK_EQ(::fcntl(sv[0], F_GETFL) & O_NONBLOCK, 0);
  sys::close(sv[0]);
  sys::close(sv[1]);
}

TEST(ready_set_reports_once_until_rearmed) {
  long set = sys::ready_create();
  CHECK(set >= 0);
  CHECK(::fcntl(static_cast<int>(set), F_GETFD) & FD_CLOEXEC);
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  sys::Ready out[4];
  CHECK_EQ(sys::ready_watch(set, fds[0], POLLIN, sys::Report::once, false), 0);
  CHECK_EQ(sys::ready_watch(set, fds[0], POLLIN, sys::Report::once, false), -EEXIST);
  CHECK_EQ(sys::ready_take(set, out, 4), 0);
  // The set's own descriptor becomes readable when a member is ready: that is what the event loop
  // watches.
  CHECK(!sys::ready_now(static_cast<int>(set), POLLIN));
  CHECK_EQ(sys::write(fds[1], "x", 1), 1);
  CHECK(sys::ready_now(static_cast<int>(set), POLLIN));
  CHECK_EQ(sys::ready_take(set, out, 4), 1);
  CHECK_EQ(out[0].fd, fds[0]);
  CHECK_EQ(out[0].events, POLLIN);
  CHECK_EQ(sys::ready_take(set, out, 4), 0);  // one-shot: quiet although still readable
  CHECK_EQ(sys::ready_watch(set, fds[0], POLLIN, sys::Report::once, true), 0);
  CHECK_EQ(sys::ready_take(set, out, 4), 1);  // re-armed: reported again
  CHECK_EQ(sys::ready_forget(set, fds[0]), 0);
  CHECK_EQ(sys::ready_watch(set, fds[0], POLLIN, sys::Report::once, true), -ENOENT);
  // Report::always reports as long as the member is ready, as poll does.
  CHECK_EQ(sys::ready_watch(set, fds[0], POLLIN, sys::Report::always, false), 0);
  CHECK_EQ(sys::ready_take(set, out, 4), 1);
  CHECK_EQ(sys::ready_take(set, out, 4), 1);
  // No reader left: the write end reports POLLERR even with no event asked for.
  CHECK_EQ(sys::ready_watch(set, fds[1], 0, sys::Report::once, false), 0);
  sys::close(fds[0]);  // also leaves the set
  CHECK_EQ(sys::ready_take(set, out, 4), 1);
  CHECK_EQ(out[0].fd, fds[1]);
  CHECK(out[0].events & POLLERR);
  sys::close(fds[1]);
  // Regular files cannot be watched; neither can a closed descriptor.
  char path[] = "/tmp/posix-ipc-test-file-XXXXXX";
  int f = mkstemp(path);
  unlink(path);
  CHECK_EQ(sys::ready_watch(set, f, POLLIN, sys::Report::once, false), -EPERM);
  sys::close(f);
  CHECK_EQ(sys::ready_watch(set, f, POLLIN, sys::Report::once, false), -EBADF);
  // Adding a member leaves its flags as they were.
  CHECK_EQ(sys::pipe(fds), 0);
  int flags = ::fcntl(fds[0], F_GETFL);
  CHECK_EQ(sys::ready_watch(set, fds[0], POLLIN, sys::Report::once, false), 0);
  CHECK_EQ(::fcntl(fds[0], F_GETFL), flags);
  sys::close(fds[0]);
  sys::close(fds[1]);
  sys::close(static_cast<int>(set));
}


// A loopback TCP listener with a port the kernel picked: its descriptor; *addr is its address.
static int tcp_listener(int backlog, sys::SockAddr* addr) {
  int l = static_cast<int>(sys::socket(AF_INET, SOCK_STREAM, 0));
  CHECK(l >= 0);
  CHECK_EQ(sys::to_sockaddr(AF_INET, "127.0.0.1", 9, 0, 0, 0, addr), 0);
  CHECK_EQ(sys::bind(l, *addr), 0);
  CHECK_EQ(sys::listen(l, backlog), 0);
  CHECK_EQ(sys::getsockname(l, addr), 0);
  return l;
}

static short revents(int fd, short events, int timeout_ms) {
  struct pollfd p = {fd, events, 0};
  CHECK(::poll(&p, 1, timeout_ms) >= 0);
  return p.revents;
}

TEST(connect_kinds) {
  sys::ConnectKind kind;
  int t = static_cast<int>(sys::socket(AF_INET6, SOCK_STREAM, 0));
  CHECK_EQ(sys::connect_kind(t, &kind), 0);
  CHECK(kind == sys::ConnectKind::tcp);
  int u = static_cast<int>(sys::socket(AF_UNIX, SOCK_SEQPACKET, 0));
  CHECK_EQ(sys::connect_kind(u, &kind), 0);
  CHECK(kind == sys::ConnectKind::stream);
  int d = static_cast<int>(sys::socket(AF_INET, SOCK_DGRAM, 0));
  CHECK_EQ(sys::connect_kind(d, &kind), 0);
  CHECK(kind == sys::ConnectKind::datagram);
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  CHECK_EQ(sys::connect_kind(fds[0], &kind), -ENOTSOCK);
  for (int fd : {t, u, d, fds[0], fds[1]}) sys::close(fd);
  CHECK_EQ(sys::connect_kind(t, &kind), -EBADF);
}

TEST(tcp_connect_without_waiting) {
  signal(SIGPIPE, SIG_IGN);
  sys::SockAddr addr;
  int l = tcp_listener(16, &addr);
  for (sys::ConnectKind kind : {sys::ConnectKind::tcp, sys::ConnectKind::stream}) {
    int c = static_cast<int>(sys::socket(AF_INET, SOCK_STREAM, 0));
    int flags = ::fcntl(c, F_GETFL);
    long r = sys::connect_nowait(c, addr, kind);
    CHECK(r == 0 || r == -EINPROGRESS);
    CHECK_EQ(::fcntl(c, F_GETFL), flags);  // blocking before, blocking after
    if (r == -EINPROGRESS) {
      CHECK(revents(c, POLLOUT, 5000) & POLLOUT);
      r = sys::connect_nowait(c, addr, kind);  // finishes it, as a second connect would
    }
    CHECK_EQ(r, 0);
    CHECK_EQ(sys::connect_nowait(c, addr, kind), -EISCONN);  // connected as after a blocking connect
    sys::SockAddr peer;
    CHECK_EQ(sys::getpeername(c, &peer), 0);
    sys::SockAddr from;
    long s = sys::accept(l, &from);
    CHECK(s >= 0);
    sys::close(static_cast<int>(s));
    sys::close(c);
  }
  // Refused: under way first, then the error.
  sys::SockAddr refused = addr;
  int holder = static_cast<int>(sys::socket(AF_INET, SOCK_STREAM, 0));
  CHECK_EQ(sys::to_sockaddr(AF_INET, "127.0.0.1", 9, 0, 0, 0, &refused), 0);
  CHECK_EQ(sys::bind(holder, refused), 0);  // bound, not listening: nothing answers
  CHECK_EQ(sys::getsockname(holder, &refused), 0);
  int c = static_cast<int>(sys::socket(AF_INET, SOCK_STREAM, 0));
  long r = sys::connect_nowait(c, refused, sys::ConnectKind::tcp);
  if (r == -EINPROGRESS) {
    revents(c, POLLOUT, 5000);
    r = sys::connect_nowait(c, refused, sys::ConnectKind::tcp);
  }
  CHECK_EQ(r, -ECONNREFUSED);
  for (int fd : {holder, c, l}) sys::close(fd);
}

TEST(tcp_connect_abandoned) {
  sys::SockAddr addr;
  int l = tcp_listener(0, &addr);
  int c[4];
  int waiting = -1;
  for (int i = 0; i < 4; i++) {  // the queue holds one: a later SYN is dropped, its connect waits
    c[i] = static_cast<int>(sys::socket(AF_INET, SOCK_STREAM, 0));
    long r = sys::connect_nowait(c[i], addr, sys::ConnectKind::tcp);
    CHECK(r == 0 || r == -EINPROGRESS);
    if (r == -EINPROGRESS && (revents(c[i], POLLOUT, 100) & POLLOUT) == 0 && waiting < 0) waiting = c[i];
  }
  CHECK(waiting >= 0);
  CHECK_EQ(sys::connect_nowait(waiting, addr, sys::ConnectKind::tcp), -EALREADY);
  CHECK_EQ(sys::connect_abandon(waiting), 0);
  sys::SockAddr peer;
  CHECK_EQ(sys::getpeername(waiting, &peer), -ENOTCONN);
  sys::SockAddr other;
  int l2 = tcp_listener(4, &other);
  long r = sys::connect_nowait(waiting, other, sys::ConnectKind::tcp);  // it can connect anew
  if (r == -EINPROGRESS) {
    revents(waiting, POLLOUT, 5000);
    r = sys::connect_nowait(waiting, other, sys::ConnectKind::tcp);
  }
  CHECK_EQ(r, 0);
  for (int fd : c) sys::close(fd);
  sys::close(l);
  sys::close(l2);
}

TEST(unix_connect_without_waiting) {
  char dir[] = "/tmp/posix-ipc-test-dir-XXXXXX";
  CHECK(mkdtemp(dir) != nullptr);
  std::string path = std::string(dir) + "/s";
  sys::SockAddr addr;
  CHECK_EQ(sys::to_sockaddr(AF_UNIX, path.c_str(), path.size(), 0, 0, 0, &addr), 0);
  int l = static_cast<int>(sys::socket(AF_UNIX, SOCK_STREAM, 0));
  CHECK_EQ(sys::bind(l, addr), 0);
  CHECK_EQ(sys::listen(l, 0), 0);
  int a = static_cast<int>(sys::socket(AF_UNIX, SOCK_STREAM, 0));
  int b = static_cast<int>(sys::socket(AF_UNIX, SOCK_STREAM, 0));
  int flags = ::fcntl(b, F_GETFL);
  CHECK_EQ(sys::connect_nowait(a, addr, sys::ConnectKind::stream), 0);
  CHECK_EQ(sys::connect_nowait(b, addr, sys::ConnectKind::stream), -EAGAIN);  // backlog full
  CHECK_EQ(::fcntl(b, F_GETFL), flags);
  CHECK_EQ(sys::connect_nowait(a, addr, sys::ConnectKind::stream), -EISCONN);
  CHECK_EQ(sys::connect_nowait(l, addr, sys::ConnectKind::stream), -EINVAL);  // listening
  sys::SockAddr from;
  long s = sys::accept(l, &from);
  CHECK(s >= 0);
  CHECK_EQ(sys::connect_nowait(b, addr, sys::ConnectKind::stream), 0);  // room now
  CHECK_EQ(::fcntl(b, F_GETFL), flags);
  // A socket already non-blocking keeps its flag.
  int n = static_cast<int>(sys::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0));
  CHECK_EQ(sys::connect_nowait(n, addr, sys::ConnectKind::stream), -EAGAIN);
  CHECK(::fcntl(n, F_GETFL) & O_NONBLOCK);
  for (int fd : {a, b, n, l, static_cast<int>(s)}) sys::close(fd);
  CHECK_EQ(sys::connect_nowait(a, addr, sys::ConnectKind::stream), -EBADF);
  unlink(path.c_str());
  rmdir(dir);
}

TEST(revents_now_says_what_poll_says) {
  int fds[2];
  CHECK_EQ(sys::pipe(fds), 0);
  CHECK_EQ(sys::revents_now(fds[0], POLLIN), 0);
  CHECK_EQ(sys::write(fds[1], "x", 1), 1);
  CHECK_EQ(sys::revents_now(fds[0], POLLIN), POLLIN);
  sys::close(fds[1]);
  CHECK_EQ(sys::revents_now(fds[0], POLLIN) & POLLHUP, POLLHUP);
  sys::close(fds[0]);
  CHECK_EQ(sys::revents_now(fds[0], POLLIN), POLLNVAL);
}

TEST(fifo_open_without_waiting) {
  char dir[] = "/tmp/posix-ipc-test-dir-XXXXXX";
  CHECK(mkdtemp(dir) != nullptr);
  std::string path = std::string(dir) + "/fifo";
  CHECK_EQ(mkfifo(path.c_str(), 0600), 0);
  sys::FifoWait waits;
  // A writer with no reader: nothing opened, C's open would wait for a reader.
  CHECK_EQ(sys::open_nowait(path.c_str(), O_WRONLY, 0, &waits), -ENXIO);
  CHECK(waits == sys::FifoWait::reader);
  // A reader with no writer: opened, blocking, and waiting for a writer.
  long r = sys::open_nowait(path.c_str(), O_RDONLY, 0, &waits);
  CHECK(r >= 0);
  CHECK(waits == sys::FifoWait::writer);
  CHECK_EQ(::fcntl(static_cast<int>(r), F_GETFL) & O_NONBLOCK, 0);
  CHECK_EQ(sys::fifo_has_writer(static_cast<int>(r)), 0);
  // Now the writer finds a reader, and the reader a writer: nothing was read to tell.
  long w = sys::open_nowait(path.c_str(), O_WRONLY, 0, &waits);
  CHECK(w >= 0);
  CHECK(waits == sys::FifoWait::none);
  CHECK_EQ(::fcntl(static_cast<int>(w), F_GETFL) & O_NONBLOCK, 0);
  CHECK_EQ(sys::fifo_has_writer(static_cast<int>(r)), 1);
  CHECK_EQ(sys::write(static_cast<int>(w), "x", 1), 1);
  CHECK_EQ(sys::fifo_has_writer(static_cast<int>(r)), 1);
  char c;
  CHECK_EQ(sys::read(static_cast<int>(r), &c, 1), 1);  // the byte is still there for the reader
  // A writer that came and went: still "was there" (POLLHUP), as C's open would have returned.
  sys::close(static_cast<int>(w));
  CHECK_EQ(sys::fifo_has_writer(static_cast<int>(r)), 1);
  sys::close(static_cast<int>(r));
  // O_NONBLOCK asked for stays; O_RDWR never waits; a missing path is ENOENT.
  r = sys::open_nowait(path.c_str(), O_RDONLY | O_NONBLOCK, 0, &waits);
  CHECK(r >= 0 && (::fcntl(static_cast<int>(r), F_GETFL) & O_NONBLOCK) != 0);
  sys::close(static_cast<int>(r));
  r = sys::open_nowait(path.c_str(), O_RDWR, 0, &waits);
  CHECK(r >= 0 && waits == sys::FifoWait::none);
  sys::close(static_cast<int>(r));
  std::string missing = std::string(dir) + "/none";
  CHECK_EQ(sys::open_nowait(missing.c_str(), O_RDONLY, 0, &waits), -ENOENT);
  CHECK(waits == sys::FifoWait::none);
  unlink(path.c_str());
  rmdir(dir);
}

TEST(token_fd_never_ready) {
  long t = sys::token_fd();
  CHECK(t >= 0);
  CHECK(::fcntl(static_cast<int>(t), F_GETFD) & FD_CLOEXEC);
  CHECK(!sys::ready_now(static_cast<int>(t), POLLIN));
  sys::close(static_cast<int>(t));
}

int main() {
  RUN(pipe_read_and_write_without_waiting);
  RUN(fifo_through_a_shadow_description);
  RUN(terminal_guarded_by_poll);
  RUN(regular_file_and_socket);
  RUN(ready_set_reports_once_until_rearmed);
  RUN(connect_kinds);
  RUN(tcp_connect_without_waiting);
  RUN(tcp_connect_abandoned);
  RUN(unix_connect_without_waiting);
  RUN(revents_now_says_what_poll_says);
  RUN(fifo_open_without_waiting);
  RUN(token_fd_never_ready);
  return 0;
}
