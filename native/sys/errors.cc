#include "errors.h"

#include <cstdio>
#include <cstring>

namespace sys {

namespace {
#define E(name) {#name, name},
const Named kErrnos[] = {
    E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(ENOEXEC) E(EBADF) E(ECHILD)
    E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT) E(EBUSY) E(EEXIST) E(EXDEV) E(ENODEV) E(ENOTDIR)
    E(EISDIR) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY) E(ETXTBSY) E(EFBIG) E(ENOSPC) E(ESPIPE)
    E(EROFS) E(EMLINK) E(EPIPE) E(EDOM) E(ERANGE) E(EDEADLK) E(ENAMETOOLONG) E(ENOLCK) E(ENOSYS)
    E(ENOTEMPTY) E(ELOOP) E(ENOMSG) E(EIDRM) E(ENOSTR) E(ENODATA) E(ETIME) E(ENOSR) E(ENOLINK)
    E(EPROTO) E(EMULTIHOP) E(EBADMSG) E(EOVERFLOW) E(EILSEQ) E(ENOTSOCK) E(EDESTADDRREQ)
    E(EMSGSIZE) E(EPROTOTYPE) E(ENOPROTOOPT) E(EPROTONOSUPPORT) E(ENOTSUP) E(EOPNOTSUPP)
    E(EAFNOSUPPORT) E(EADDRINUSE) E(EADDRNOTAVAIL) E(ENETDOWN) E(ENETUNREACH) E(ENETRESET)
    E(ECONNABORTED) E(ECONNRESET) E(ENOBUFS) E(EISCONN) E(ENOTCONN) E(ETIMEDOUT) E(ECONNREFUSED)
    E(EHOSTUNREACH) E(EALREADY) E(EINPROGRESS) E(ESTALE) E(EDQUOT) E(ECANCELED) E(EOWNERDEAD)
    E(ENOTRECOVERABLE) E(EWOULDBLOCK) E(EDEADLOCK) E(ENOTBLK) E(ESOCKTNOSUPPORT)
    E(EPFNOSUPPORT) E(ESHUTDOWN) E(ETOOMANYREFS) E(EHOSTDOWN) E(EUSERS) E(EREMOTE)
#if PIPC_LINUX
    E(ECHRNG) E(EL2NSYNC) E(EL3HLT) E(EL3RST) E(ELNRNG) E(EUNATCH) E(ENOCSI) E(EL2HLT) E(EBADE)
    E(EBADR) E(EXFULL) E(ENOANO) E(EBADRQC) E(EBADSLT) E(EBFONT) E(ENONET) E(ENOPKG) E(EADV)
    E(ESRMNT) E(ECOMM) E(EDOTDOT) E(ENOTUNIQ) E(EBADFD) E(EREMCHG) E(ELIBACC) E(ELIBBAD)
    E(ELIBSCN) E(ELIBMAX) E(ELIBEXEC) E(ERESTART) E(ESTRPIPE) E(EUCLEAN) E(ENOTNAM) E(ENAVAIL)
    E(EISNAM) E(EREMOTEIO) E(ENOMEDIUM) E(EMEDIUMTYPE) E(ENOKEY) E(EKEYEXPIRED) E(EKEYREVOKED)
    E(EKEYREJECTED) E(ERFKILL) E(EHWPOISON)
#endif
};
#undef E

// strerror_r comes in two flavours; pick the result whichever this libc has.
[[maybe_unused]] inline const char* pick(int rc, char* buf) noexcept { return rc == 0 ? buf : nullptr; }
[[maybe_unused]] inline const char* pick(const char* s, char*) noexcept { return s; }
}  // namespace

const Named* errno_table(std::size_t* count) noexcept {
  *count = sizeof kErrnos / sizeof kErrnos[0];
  return kErrnos;
}

const char* error_text(int errnum, char* buf, std::size_t size) noexcept {
  if (size == 0) return buf;
  buf[0] = '\0';
  const char* s = pick(strerror_r(errnum, buf, size), buf);
  if (s == nullptr || s[0] == '\0') {
    std::snprintf(buf, size, "Unknown error %d", errnum);
  } else if (s != buf) {
    std::snprintf(buf, size, "%s", s);
  }
  return buf;
}

}  // namespace sys
