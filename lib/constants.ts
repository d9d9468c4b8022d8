/**
 * Constants under their C names, with this platform's values as the C headers define them (read
 * from the native side when the addon loads, never hard-coded). A name the platform lacks is
 * `undefined`.
 */
import { addon } from './native';

const c = addon.constants as Record<string, number>;

// I/O channels and pipes
/** open(2)/fcntl(2) access mode: read only. */
export const O_RDONLY: number = c.O_RDONLY!;
/** open(2)/fcntl(2) access mode: write only. */
export const O_WRONLY: number = c.O_WRONLY!;
/** open(2)/fcntl(2) access mode: read and write. */
export const O_RDWR: number = c.O_RDWR!;
/** Non-blocking mode: a call that would wait fails with `EAGAIN` instead (pipe2, open, fcntl F_SETFL). */
export const O_NONBLOCK: number = c.O_NONBLOCK!;
/** Close the descriptor when the process execs (pipe2, open). */
export const O_CLOEXEC: number = c.O_CLOEXEC!;
/** open(2): create the file if it does not exist. */
export const O_CREAT: number = c.O_CREAT!;
/** open(2) with O_CREAT: fail with EEXIST if the file exists. */
export const O_EXCL: number = c.O_EXCL!;
/** open(2): truncate a regular file to length 0. */
export const O_TRUNC: number = c.O_TRUNC!;
/** open(2): every write goes to the end of the file. */
export const O_APPEND: number = c.O_APPEND!;
/** open(2): a terminal does not become the controlling terminal. */
export const O_NOCTTY: number = c.O_NOCTTY!;
/** pipe2(2) on Linux: packet mode, each write is one packet. */
export const O_DIRECT: number = c.O_DIRECT!;
/** Writes of at most this many bytes to a pipe or FIFO are atomic (never interleaved). */
export const PIPE_BUF: number = c.PIPE_BUF!;
/** Descriptor 0. */
export const STDIN_FILENO: number = c.STDIN_FILENO!;
/** Descriptor 1. */
export const STDOUT_FILENO: number = c.STDOUT_FILENO!;
/** Descriptor 2. */
export const STDERR_FILENO: number = c.STDERR_FILENO!;

// fcntl
/** fcntl(2): get the open file's status flags (access mode, O_NONBLOCK, O_APPEND). */
export const F_GETFL: number = c.F_GETFL!;
/** fcntl(2): set the open file's status flags (O_NONBLOCK, O_APPEND). */
export const F_SETFL: number = c.F_SETFL!;
/** fcntl(2): get the descriptor's flags (FD_CLOEXEC). */
export const F_GETFD: number = c.F_GETFD!;
/** fcntl(2): set the descriptor's flags (FD_CLOEXEC). */
export const F_SETFD: number = c.F_SETFD!;
/** The close-on-exec descriptor flag (F_GETFD/F_SETFD). */
export const FD_CLOEXEC: number = c.FD_CLOEXEC!;
/** fcntl(2): duplicate onto the lowest free descriptor >= arg. */
export const F_DUPFD: number = c.F_DUPFD!;
/** fcntl(2): like F_DUPFD, with FD_CLOEXEC on the copy. */
export const F_DUPFD_CLOEXEC: number = c.F_DUPFD_CLOEXEC!;
/** fcntl(2) on Linux: a pipe's capacity in bytes. */
export const F_GETPIPE_SZ: number = c.F_GETPIPE_SZ!;
/** fcntl(2) on Linux: set a pipe's capacity (rounded up to a power-of-two number of pages). */
export const F_SETPIPE_SZ: number = c.F_SETPIPE_SZ!;

// Processes: waitpid options and signal numbers
/** waitpid(2): return `null` at once if no child has changed state. */
export const WNOHANG: number = c.WNOHANG!;
/** waitpid(2): also report children stopped by a signal (`kind: 'stopped'`). */
export const WUNTRACED: number = c.WUNTRACED!;
/** waitpid(2): also report stopped children resumed by SIGCONT (`kind: 'continued'`). */
export const WCONTINUED: number = c.WCONTINUED!;
/** Hangup: the terminal closed. */
export const SIGHUP: number = c.SIGHUP!;
/** Interrupt from the keyboard (Ctrl-C). */
export const SIGINT: number = c.SIGINT!;
/** Quit from the keyboard (Ctrl-\), with a core dump. */
export const SIGQUIT: number = c.SIGQUIT!;
/** Illegal instruction. */
export const SIGILL: number = c.SIGILL!;
/** Trace or breakpoint trap. */
export const SIGTRAP: number = c.SIGTRAP!;
/** abort(3). */
export const SIGABRT: number = c.SIGABRT!;
/** Bus error (bad memory access). */
export const SIGBUS: number = c.SIGBUS!;
/** Arithmetic error. */
export const SIGFPE: number = c.SIGFPE!;
/** Kill: cannot be caught, blocked or ignored. */
export const SIGKILL: number = c.SIGKILL!;
/** User-defined signal 1 (Node uses it to start the inspector). */
export const SIGUSR1: number = c.SIGUSR1!;
/** Invalid memory reference. */
export const SIGSEGV: number = c.SIGSEGV!;
/** User-defined signal 2. */
export const SIGUSR2: number = c.SIGUSR2!;
/** Write to a pipe or socket with no reader (ignored by Node: the write fails with EPIPE instead). */
export const SIGPIPE: number = c.SIGPIPE!;
/** Timer signal from alarm(2). */
export const SIGALRM: number = c.SIGALRM!;
/** Termination request: the default signal of kill(1). */
export const SIGTERM: number = c.SIGTERM!;
/** A child stopped or ended. */
export const SIGCHLD: number = c.SIGCHLD!;
/** Continue a stopped process. */
export const SIGCONT: number = c.SIGCONT!;
/** Stop: cannot be caught, blocked or ignored. */
export const SIGSTOP: number = c.SIGSTOP!;
/** Stop from the terminal (Ctrl-Z). */
export const SIGTSTP: number = c.SIGTSTP!;
/** A background process read from its terminal. */
export const SIGTTIN: number = c.SIGTTIN!;
/** A background process wrote to its terminal. */
export const SIGTTOU: number = c.SIGTTOU!;
/** Urgent data on a socket. */
export const SIGURG: number = c.SIGURG!;
/** CPU time limit exceeded. */
export const SIGXCPU: number = c.SIGXCPU!;
/** File size limit exceeded (ignored by Node). */
export const SIGXFSZ: number = c.SIGXFSZ!;
/** Virtual timer expired. */
export const SIGVTALRM: number = c.SIGVTALRM!;
/** Profiling timer expired. */
export const SIGPROF: number = c.SIGPROF!;
/** The terminal changed size. */
export const SIGWINCH: number = c.SIGWINCH!;
/** I/O is possible on a descriptor. */
export const SIGIO: number = c.SIGIO!;
/** Bad system call. */
export const SIGSYS: number = c.SIGSYS!;
