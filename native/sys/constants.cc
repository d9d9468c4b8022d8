#include "constants.h"

#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sys {

namespace {
#define C(name) {#name, static_cast<long long>(name)},
const Named kConstants[] = {
    // I/O channels and pipes
    C(O_RDONLY) C(O_WRONLY) C(O_RDWR) C(O_NONBLOCK) C(O_CLOEXEC) C(O_CREAT) C(O_EXCL) C(O_TRUNC)
    C(O_APPEND) C(O_NOCTTY)
#ifdef O_DIRECT
    C(O_DIRECT)
#endif
    C(PIPE_BUF) C(STDIN_FILENO) C(STDOUT_FILENO) C(STDERR_FILENO)
    // fcntl
    C(F_GETFL) C(F_SETFL) C(F_GETFD) C(F_SETFD) C(FD_CLOEXEC) C(F_DUPFD) C(F_DUPFD_CLOEXEC)
#ifdef F_GETPIPE_SZ
    C(F_GETPIPE_SZ) C(F_SETPIPE_SZ)
#endif
    // sockets and addresses
    C(AF_UNIX) C(AF_LOCAL) C(AF_INET) C(AF_INET6) C(AF_UNSPEC)
    C(SOCK_STREAM) C(SOCK_DGRAM) C(SOCK_SEQPACKET) C(SOCK_RAW)
#ifdef SOCK_NONBLOCK
    C(SOCK_NONBLOCK) C(SOCK_CLOEXEC)
#endif
    C(SHUT_RD) C(SHUT_WR) C(SHUT_RDWR) C(SOMAXCONN)
    C(MSG_PEEK) C(MSG_WAITALL) C(MSG_DONTWAIT) C(MSG_OOB) C(MSG_TRUNC) C(MSG_EOR)
#ifdef MSG_NOSIGNAL
    C(MSG_NOSIGNAL)
#endif
#if PIPC_LINUX
    C(MSG_MORE) C(MSG_CONFIRM)
#endif
    C(SOL_SOCKET) C(SO_REUSEADDR) C(SO_KEEPALIVE) C(SO_BROADCAST) C(SO_RCVBUF) C(SO_SNDBUF)
    C(SO_RCVLOWAT) C(SO_DONTROUTE) C(SO_OOBINLINE) C(SO_ERROR) C(SO_TYPE) C(SO_ACCEPTCONN)
#ifdef SO_REUSEPORT
    C(SO_REUSEPORT)
#endif
#if PIPC_LINUX
    C(SO_DOMAIN) C(SO_PROTOCOL) C(SO_PRIORITY) C(SO_SNDLOWAT)
#endif
    C(IPPROTO_IP) C(IPPROTO_IPV6) C(IPPROTO_TCP) C(IPPROTO_UDP) C(TCP_NODELAY)
#if PIPC_LINUX
    C(TCP_KEEPIDLE) C(TCP_KEEPINTVL) C(TCP_KEEPCNT) C(TCP_MAXSEG)
#endif
    C(IP_TTL) C(IPV6_V6ONLY) C(IPV6_UNICAST_HOPS)
    C(INADDR_ANY) C(INADDR_LOOPBACK) C(INADDR_BROADCAST) C(INET_ADDRSTRLEN) C(INET6_ADDRSTRLEN)
    C(AI_PASSIVE) C(AI_CANONNAME) C(AI_NUMERICHOST) C(AI_NUMERICSERV) C(AI_V4MAPPED) C(AI_ALL)
    C(AI_ADDRCONFIG)
    C(EAI_AGAIN) C(EAI_BADFLAGS) C(EAI_FAIL) C(EAI_FAMILY) C(EAI_MEMORY) C(EAI_NONAME)
    C(EAI_SERVICE) C(EAI_SOCKTYPE) C(EAI_SYSTEM) C(EAI_OVERFLOW)
#ifdef EAI_NODATA
    C(EAI_NODATA)
#endif
#ifdef EAI_ADDRFAMILY
    C(EAI_ADDRFAMILY)
#endif
    // poll
    C(POLLIN) C(POLLPRI) C(POLLOUT) C(POLLERR) C(POLLHUP) C(POLLNVAL)
#ifdef POLLRDHUP
    C(POLLRDHUP)
#endif
    // Processes: waitpid options and signals
    C(WNOHANG) C(WUNTRACED) C(WCONTINUED)
    C(SIGHUP) C(SIGINT) C(SIGQUIT) C(SIGILL) C(SIGTRAP) C(SIGABRT) C(SIGBUS) C(SIGFPE) C(SIGKILL)
    C(SIGUSR1) C(SIGSEGV) C(SIGUSR2) C(SIGPIPE) C(SIGALRM) C(SIGTERM) C(SIGCHLD) C(SIGCONT)
    C(SIGSTOP) C(SIGTSTP) C(SIGTTIN) C(SIGTTOU) C(SIGURG) C(SIGXCPU) C(SIGXFSZ) C(SIGVTALRM)
    C(SIGPROF) C(SIGWINCH) C(SIGIO) C(SIGSYS)
};
#undef C
}  // namespace

const Named* constant_table(std::size_t* count) noexcept {
  *count = sizeof kConstants / sizeof kConstants[0];
  return kConstants;
}

}  // namespace sys
