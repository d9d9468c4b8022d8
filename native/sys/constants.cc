#include "constants.h"

#include <fcntl.h>
#include <limits.h>
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
