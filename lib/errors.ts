/**
 * Errors. A failed system call throws {@link SyscallError}, shaped like Node's own system errors so
 * that `e.code === 'EPIPE'` works as it does for `fs` and `net`.
 */
import { hintFor } from './hints';
import { addon } from './native';
import { typeError } from './validate';

/** The errno names (C's `E*` macros) a {@link SyscallError} can carry in `code`. */
export type ErrnoCode =
  | 'EPERM'
  | 'ENOENT'
  | 'ESRCH'
  | 'EINTR'
  | 'EIO'
  | 'ENXIO'
  | 'E2BIG'
  | 'ENOEXEC'
  | 'EBADF'
  | 'ECHILD'
  | 'EAGAIN'
  | 'ENOMEM'
  | 'EACCES'
  | 'EFAULT'
  | 'EBUSY'
  | 'EEXIST'
  | 'EXDEV'
  | 'ENODEV'
  | 'ENOTDIR'
  | 'EISDIR'
  | 'EINVAL'
  | 'ENFILE'
  | 'EMFILE'
  | 'ENOTTY'
  | 'ETXTBSY'
  | 'EFBIG'
  | 'ENOSPC'
  | 'ESPIPE'
  | 'EROFS'
  | 'EMLINK'
  | 'EPIPE'
  | 'EDOM'
  | 'ERANGE'
  | 'EDEADLK'
  | 'ENAMETOOLONG'
  | 'ENOLCK'
  | 'ENOSYS'
  | 'ENOTEMPTY'
  | 'ELOOP'
  | 'ENOMSG'
  | 'EIDRM'
  | 'ENOSTR'
  | 'ENODATA'
  | 'ETIME'
  | 'ENOSR'
  | 'ENOLINK'
  | 'EPROTO'
  | 'EMULTIHOP'
  | 'EBADMSG'
  | 'EOVERFLOW'
  | 'EILSEQ'
  | 'ENOTSOCK'
  | 'EDESTADDRREQ'
  | 'EMSGSIZE'
  | 'EPROTOTYPE'
  | 'ENOPROTOOPT'
  | 'EPROTONOSUPPORT'
  | 'ENOTSUP'
  | 'EOPNOTSUPP'
  | 'EAFNOSUPPORT'
  | 'EADDRINUSE'
  | 'EADDRNOTAVAIL'
  | 'ENETDOWN'
  | 'ENETUNREACH'
  | 'ENETRESET'
  | 'ECONNABORTED'
  | 'ECONNRESET'
  | 'ENOBUFS'
  | 'EISCONN'
  | 'ENOTCONN'
  | 'ETIMEDOUT'
  | 'ECONNREFUSED'
  | 'EHOSTUNREACH'
  | 'EALREADY'
  | 'EINPROGRESS'
  | 'ESTALE'
  | 'EDQUOT'
  | 'ECANCELED'
  | 'EOWNERDEAD'
  | 'ENOTRECOVERABLE'
  | 'EWOULDBLOCK'
  | 'EDEADLOCK'
  | 'ENOTBLK'
  | 'ESOCKTNOSUPPORT'
  | 'EPFNOSUPPORT'
  | 'ESHUTDOWN'
  | 'ETOOMANYREFS'
  | 'EHOSTDOWN'
  | 'EUSERS'
  | 'EREMOTE'
  | 'ECHRNG'
  | 'EL2NSYNC'
  | 'EL3HLT'
  | 'EL3RST'
  | 'ELNRNG'
  | 'EUNATCH'
  | 'ENOCSI'
  | 'EL2HLT'
  | 'EBADE'
  | 'EBADR'
  | 'EXFULL'
  | 'ENOANO'
  | 'EBADRQC'
  | 'EBADSLT'
  | 'EBFONT'
  | 'ENONET'
  | 'ENOPKG'
  | 'EADV'
  | 'ESRMNT'
  | 'ECOMM'
  | 'EDOTDOT'
  | 'ENOTUNIQ'
  | 'EBADFD'
  | 'EREMCHG'
  | 'ELIBACC'
  | 'ELIBBAD'
  | 'ELIBSCN'
  | 'ELIBMAX'
  | 'ELIBEXEC'
  | 'ERESTART'
  | 'ESTRPIPE'
  | 'EUCLEAN'
  | 'ENOTNAM'
  | 'ENAVAIL'
  | 'EISNAM'
  | 'EREMOTEIO'
  | 'ENOMEDIUM'
  | 'EMEDIUMTYPE'
  | 'ENOKEY'
  | 'EKEYEXPIRED'
  | 'EKEYREVOKED'
  | 'EKEYREJECTED'
  | 'ERFKILL'
  | 'EHWPOISON';

/** Where a failed call was pointed: the descriptor, path or address it was given. */
export interface ErrorContext {
  fd?: number;
  path?: string;
  address?: string;
  port?: number;
}

const names = new Map<number, ErrnoCode>();
for (const [name, value] of Object.entries(addon.errnos)) {
  if (!names.has(value)) names.set(value, name as ErrnoCode);
}

/** The C name of an errno value (`9` or `-9` → `'EBADF'`), or `undefined` if it has none. */
export function errnoName(errnum: number): ErrnoCode | undefined {
  return names.get(Math.abs(errnum));
}

/** The system's text for an errno value, as strerror(3) gives it: `strerror(32)` → `'Broken pipe'`. */
export function strerror(errnum: number): string {
  if (typeof errnum !== 'number' || !Number.isInteger(errnum)) throw typeError('errnum', 'an integer', errnum);
  return addon.strerror(Math.abs(errnum | 0));
}

function where(ctx: ErrorContext | undefined): string {
  if (!ctx) return '';
  if (ctx.address !== undefined) {
    return ctx.port !== undefined ? ` ${ctx.address.includes(':') ? `[${ctx.address}]` : ctx.address}:${ctx.port}` : ` ${ctx.address}`;
  }
  if (ctx.path !== undefined) return ` ${JSON.stringify(ctx.path)}`;
  if (ctx.fd !== undefined) return ` fd ${ctx.fd}`;
  return '';
}

/**
 * A system call failed. `code` is the errno name, `errno` its negated value as in Node
 * (`util.getSystemErrorName(e.errno) === e.code`), `syscall` the call, and `fd`, `path`,
 * `address`, `port` what it was pointed at.
 *
 * The message says the call, the code, the context and the system's text:
 * `connect ECONNREFUSED 127.0.0.1:2021 (Connection refused)`; for the classic mistakes a second
 * line gives a hint (also in `hint`): `hint: nothing listens at that address: is the server running...`.
 *
 * @example
 * try { close(999); } catch (e) {
 *   if (e instanceof SyscallError && e.code === 'EBADF') console.log(e.message); // close EBADF fd 999 (Bad file descriptor)
 * }
 */
export class SyscallError extends Error {
  declare code: ErrnoCode;
  declare errno: number;
  declare syscall: string;
  declare fd?: number;
  declare path?: string;
  declare address?: string;
  declare port?: number;
  /** A one-line hint for the classic mistakes (ECONNREFUSED, EADDRINUSE, EPIPE, EAGAIN, EBADF...). */
  declare hint?: string;

  constructor(errnum: number, syscall: string, ctx?: ErrorContext) {
    const n = Math.abs(errnum);
    const code = errnoName(n) ?? (`E${n}` as ErrnoCode);
    const hint = hintFor(code, syscall, ctx);
    super(`${syscall} ${code}${where(ctx)} (${strerror(n)})${hint ? `\n  hint: ${hint}` : ''}`);
    this.code = code;
    this.errno = -n;
    this.syscall = syscall;
    if (hint) this.hint = hint;
    if (ctx) {
      if (ctx.fd !== undefined) this.fd = ctx.fd;
      if (ctx.path !== undefined) this.path = ctx.path;
      if (ctx.address !== undefined) this.address = ctx.address;
      if (ctx.port !== undefined) this.port = ctx.port;
    }
  }

  override get name(): string {
    return 'SyscallError';
  }
}

/**
 * Throws the {@link SyscallError} for a native result `rc < 0` (a negated errno). Called only on the
 * failure path: `return rc < 0 ? fail(rc, 'read', { fd }) : rc`.
 * @internal
 */
export function fail(rc: number, syscall: string, ctx?: ErrorContext): never {
  const e = new SyscallError(rc, syscall, ctx);
  Error.captureStackTrace(e, fail);
  throw e;
}

/**
 * The one check every call makes: returns `rc` when it is `>= 0`, throws {@link SyscallError}
 * otherwise.
 */
export function check(rc: number, syscall: string, ctx?: ErrorContext): number {
  return rc < 0 ? fail(rc, syscall, ctx) : rc;
}
