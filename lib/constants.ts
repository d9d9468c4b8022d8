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

// Sockets and addresses
// sockets: socket(2) domains and types
/** socket(2) domain: local communication on the same host (a path or an abstract name). */
export const AF_UNIX: number = c.AF_UNIX!;
/** Another name for AF_UNIX. */
export const AF_LOCAL: number = c.AF_LOCAL!;
/** socket(2) domain: IPv4. */
export const AF_INET: number = c.AF_INET!;
/** socket(2) domain: IPv6. */
export const AF_INET6: number = c.AF_INET6!;
/** getaddrinfo(3) hints: any family. */
export const AF_UNSPEC: number = c.AF_UNSPEC!;
/** socket(2) type: a reliable, ordered byte stream over a connection (TCP over IP). */
export const SOCK_STREAM: number = c.SOCK_STREAM!;
/** socket(2) type: datagrams, each sent and received whole (UDP over IP). */
export const SOCK_DGRAM: number = c.SOCK_DGRAM!;
/** socket(2) type: datagrams over a connection, boundaries kept (AF_UNIX). */
export const SOCK_SEQPACKET: number = c.SOCK_SEQPACKET!;
/** socket(2) type: raw protocol access (needs privilege). */
export const SOCK_RAW: number = c.SOCK_RAW!;
/** socket(2) type flag: the socket is non-blocking (calls fail with EAGAIN/EINPROGRESS instead of waiting). */
export const SOCK_NONBLOCK: number = c.SOCK_NONBLOCK!;
/** socket(2) type flag: the descriptor closes on exec. */
export const SOCK_CLOEXEC: number = c.SOCK_CLOEXEC!;
// shutdown(2)
/** shutdown(2): no more receiving. */
export const SHUT_RD: number = c.SHUT_RD!;
/** shutdown(2): no more sending; the peer reads end of stream. */
export const SHUT_WR: number = c.SHUT_WR!;
/** shutdown(2): neither. */
export const SHUT_RDWR: number = c.SHUT_RDWR!;
/** The largest listen(2) backlog the system takes by default. */
export const SOMAXCONN: number = c.SOMAXCONN!;
// send(2)/recv(2) flags
/** recv(2): look at the data without taking it. */
export const MSG_PEEK: number = c.MSG_PEEK!;
/** recv(2): wait for the whole length (on a stream). */
export const MSG_WAITALL: number = c.MSG_WAITALL!;
/** send(2)/recv(2): this call does not wait (EAGAIN), whatever the socket's mode. */
export const MSG_DONTWAIT: number = c.MSG_DONTWAIT!;
/** send(2): no SIGPIPE when the peer is gone (EPIPE only). */
export const MSG_NOSIGNAL: number = c.MSG_NOSIGNAL!;
/** send(2)/recv(2): out-of-band (urgent) data. */
export const MSG_OOB: number = c.MSG_OOB!;
/** recv(2) on a datagram socket: return the real length even if the buffer was shorter. */
export const MSG_TRUNC: number = c.MSG_TRUNC!;
/** send(2): end of record (SOCK_SEQPACKET). */
export const MSG_EOR: number = c.MSG_EOR!;
/** send(2) on Linux: more data follows; hold the segment. */
export const MSG_MORE: number = c.MSG_MORE!;
/** send(2) on Linux: the link layer got a reply (datagrams). */
export const MSG_CONFIRM: number = c.MSG_CONFIRM!;
// socket options (setsockopt(2)/getsockopt(2), int-valued only)
/** setsockopt(2) level: the socket itself. */
export const SOL_SOCKET: number = c.SOL_SOCKET!;
/** SOL_SOCKET: bind a port that old connections still hold in TIME_WAIT. */
export const SO_REUSEADDR: number = c.SO_REUSEADDR!;
/** SOL_SOCKET: several sockets may bind the same address and port. */
export const SO_REUSEPORT: number = c.SO_REUSEPORT!;
/** SOL_SOCKET: probe an idle connection. */
export const SO_KEEPALIVE: number = c.SO_KEEPALIVE!;
/** SOL_SOCKET: allow sending datagrams to a broadcast address. */
export const SO_BROADCAST: number = c.SO_BROADCAST!;
/** SOL_SOCKET: the receive buffer size (Linux reports twice the size set). */
export const SO_RCVBUF: number = c.SO_RCVBUF!;
/** SOL_SOCKET: the send buffer size (Linux reports twice the size set). */
export const SO_SNDBUF: number = c.SO_SNDBUF!;
/** SOL_SOCKET: the fewest bytes a recv waits for. */
export const SO_RCVLOWAT: number = c.SO_RCVLOWAT!;
/** SOL_SOCKET: the fewest bytes a send needs room for (fixed on Linux). */
export const SO_SNDLOWAT: number = c.SO_SNDLOWAT!;
/** SOL_SOCKET: send only to directly connected hosts. */
export const SO_DONTROUTE: number = c.SO_DONTROUTE!;
/** SOL_SOCKET: out-of-band data stays in the stream. */
export const SO_OOBINLINE: number = c.SO_OOBINLINE!;
/** SOL_SOCKET on Linux: the priority of the packets sent. */
export const SO_PRIORITY: number = c.SO_PRIORITY!;
/** SOL_SOCKET, read-only: the pending error (read and cleared), e.g. after a non-blocking connect. */
export const SO_ERROR: number = c.SO_ERROR!;
/** SOL_SOCKET, read-only: the socket type (SOCK_STREAM, ...). */
export const SO_TYPE: number = c.SO_TYPE!;
/** SOL_SOCKET, read-only: 1 if the socket is listening. */
export const SO_ACCEPTCONN: number = c.SO_ACCEPTCONN!;
/** SOL_SOCKET, read-only (Linux): the socket's domain. */
export const SO_DOMAIN: number = c.SO_DOMAIN!;
/** SOL_SOCKET, read-only (Linux): the socket's protocol. */
export const SO_PROTOCOL: number = c.SO_PROTOCOL!;
/** setsockopt(2) level and protocol: IPv4. */
export const IPPROTO_IP: number = c.IPPROTO_IP!;
/** setsockopt(2) level and protocol: IPv6. */
export const IPPROTO_IPV6: number = c.IPPROTO_IPV6!;
/** socket(2) protocol and setsockopt(2) level: TCP. */
export const IPPROTO_TCP: number = c.IPPROTO_TCP!;
/** socket(2) protocol: UDP. */
export const IPPROTO_UDP: number = c.IPPROTO_UDP!;
/** IPPROTO_TCP: send small segments at once (no Nagle delay). */
export const TCP_NODELAY: number = c.TCP_NODELAY!;
/** IPPROTO_TCP (Linux): idle seconds before keep-alive probes. */
export const TCP_KEEPIDLE: number = c.TCP_KEEPIDLE!;
/** IPPROTO_TCP (Linux): seconds between keep-alive probes. */
export const TCP_KEEPINTVL: number = c.TCP_KEEPINTVL!;
/** IPPROTO_TCP (Linux): probes before the connection is dropped. */
export const TCP_KEEPCNT: number = c.TCP_KEEPCNT!;
/** IPPROTO_TCP (Linux): the maximum segment size. */
export const TCP_MAXSEG: number = c.TCP_MAXSEG!;
/** IPPROTO_IP: the time-to-live of the packets sent. */
export const IP_TTL: number = c.IP_TTL!;
/** IPPROTO_IPV6: an AF_INET6 socket takes IPv6 only (no IPv4-mapped addresses). */
export const IPV6_V6ONLY: number = c.IPV6_V6ONLY!;
/** IPPROTO_IPV6: the hop limit of the packets sent. */
export const IPV6_UNICAST_HOPS: number = c.IPV6_UNICAST_HOPS!;
// addresses
/** The IPv4 wildcard address as a number in host order (0); in a SockAddr write '0.0.0.0'. */
export const INADDR_ANY: number = c.INADDR_ANY!;
/** 127.0.0.1 as a number in host order; in a SockAddr write '127.0.0.1'. */
export const INADDR_LOOPBACK: number = c.INADDR_LOOPBACK!;
/** 255.255.255.255 as a number in host order. */
export const INADDR_BROADCAST: number = c.INADDR_BROADCAST!;
/** The longest IPv4 text inet_ntop(3) writes, NUL included. */
export const INET_ADDRSTRLEN: number = c.INET_ADDRSTRLEN!;
/** The longest IPv6 text inet_ntop(3) writes, NUL included. */
export const INET6_ADDRSTRLEN: number = c.INET6_ADDRSTRLEN!;
/** getaddrinfo(3): with node null, the wildcard address (for a server's bind). */
export const AI_PASSIVE: number = c.AI_PASSIVE!;
/** getaddrinfo(3): put the host's canonical name in the first result. */
export const AI_CANONNAME: number = c.AI_CANONNAME!;
/** getaddrinfo(3): node must be a numeric address (no DNS). */
export const AI_NUMERICHOST: number = c.AI_NUMERICHOST!;
/** getaddrinfo(3): service must be a port number (no service names). */
export const AI_NUMERICSERV: number = c.AI_NUMERICSERV!;
/** getaddrinfo(3): with AF_INET6 and no IPv6 address, IPv4-mapped ones. */
export const AI_V4MAPPED: number = c.AI_V4MAPPED!;
/** getaddrinfo(3): with AI_V4MAPPED, both IPv6 and IPv4-mapped addresses. */
export const AI_ALL: number = c.AI_ALL!;
/** getaddrinfo(3): only families this host has an address of. */
export const AI_ADDRCONFIG: number = c.AI_ADDRCONFIG!;
/** getaddrinfo(3) error: a temporary failure (DNS unreachable); try again later. */
export const EAI_AGAIN: number = c.EAI_AGAIN!;
/** getaddrinfo(3) error: bad hints.flags. */
export const EAI_BADFLAGS: number = c.EAI_BADFLAGS!;
/** getaddrinfo(3) error: a permanent name server failure. */
export const EAI_FAIL: number = c.EAI_FAIL!;
/** getaddrinfo(3) error: hints.family not supported. */
export const EAI_FAMILY: number = c.EAI_FAMILY!;
/** getaddrinfo(3) error: out of memory. */
export const EAI_MEMORY: number = c.EAI_MEMORY!;
/** getaddrinfo(3) error: unknown host or service (or not numeric with AI_NUMERICHOST / AI_NUMERICSERV). */
export const EAI_NONAME: number = c.EAI_NONAME!;
/** getaddrinfo(3) error: the service is not available for the socket type. */
export const EAI_SERVICE: number = c.EAI_SERVICE!;
/** getaddrinfo(3) error: hints.socktype not supported. */
export const EAI_SOCKTYPE: number = c.EAI_SOCKTYPE!;
/** getaddrinfo(3) error: a system error (the error carries the errno). */
export const EAI_SYSTEM: number = c.EAI_SYSTEM!;
/** getaddrinfo(3) error: a buffer was too small. */
export const EAI_OVERFLOW: number = c.EAI_OVERFLOW!;
/** getaddrinfo(3) error (GNU): the host exists but has no address. */
export const EAI_NODATA: number = c.EAI_NODATA!;
/** getaddrinfo(3) error (GNU): the host has no address in the family asked for. */
export const EAI_ADDRFAMILY: number = c.EAI_ADDRFAMILY!;
// poll
/** poll(2) event: there is data to read (or a connection to accept, or end of file). */
export const POLLIN: number = c.POLLIN!;
/** poll(2) event: urgent data to read (TCP out-of-band data, a pseudo-terminal state change). */
export const POLLPRI: number = c.POLLPRI!;
/** poll(2) event: writing now would not block. */
export const POLLOUT: number = c.POLLOUT!;
/** poll(2) revents only: an error condition (a pipe's write end with no reader left). */
export const POLLERR: number = c.POLLERR!;
/** poll(2) revents only: hang up (a pipe's read end with no writer left, a socket whose peer closed). */
export const POLLHUP: number = c.POLLHUP!;
/** poll(2) revents only: the fd is not an open descriptor. */
export const POLLNVAL: number = c.POLLNVAL!;
/** poll(2) event on Linux: the stream socket's peer closed its writing half. */
export const POLLRDHUP: number = c.POLLRDHUP!;
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
