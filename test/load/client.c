/*
 * Load client for the echo servers: N concurrent connections from one process, each sending
 * BYTES bytes of its own stream and checking that every byte comes back, in order, unchanged.
 * Plain C and poll(2), so that it owes nothing to posix-ipc, which is what it tests.
 *
 *   client tcp PORT N BYTES TIMEOUT_S      (127.0.0.1:PORT)
 *   client unix PATH N BYTES TIMEOUT_S
 *
 * All N connections are open at once: each sends its first 1 KiB, and none sends more until every
 * one has had its first echoed byte back (so the server holds N connections at the same time).
 * Then each sends the rest, shuts down its write side, and reads until the server closes. Client
 * i's byte k is pattern[(i * 4099 + k) % PATTERN]: a client answered with another client's bytes,
 * or with bytes lost, doubled or reordered, fails the comparison.
 *
 * Prints one JSON line: clients, connected, answered (all bytes back, then end of file), bytes
 * sent, bytes verified, mismatches, the errors seen by name, and the time taken. Exit 0 only when
 * every client was answered in full before the timeout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#define PATTERN (1048576 + 4093)
#define FIRST 1024
#define CHUNK 65536

enum state { CONNECTING, OPEN, DONE, FAILED };

struct client {
  int fd;
  enum state state;
  size_t sent, received;
  int shut;
};

static unsigned char pattern[PATTERN + CHUNK];
static unsigned char buf[CHUNK];
static struct sockaddr_storage addr;
static socklen_t addrlen;
static int domain;
static size_t connected, failed;

#define NERR 8
static struct { int code; long count; } errors[NERR];

static void count_error(int code) {
  for (int i = 0; i < NERR; i++) {
    if (errors[i].count == 0 || errors[i].code == code) {
      errors[i].code = code;
      errors[i].count++;
      return;
    }
  }
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const unsigned char* stream(size_t i, size_t offset) {
  return pattern + (i * 4099 + offset) % PATTERN;
}

static void fail(struct client* c, int code) {
  count_error(code);
  if (c->fd >= 0) close(c->fd);
  c->fd = -1;
  c->state = FAILED;
  failed++;
}

/* Starts a non-blocking connect: OPEN, CONNECTING (TCP in progress, or AF_UNIX backlog full: retried). */
static void start(struct client* c) {
  if (c->fd < 0) c->fd = socket(domain, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (c->fd < 0) {
    fail(c, errno);
    return;
  }
  if (connect(c->fd, (struct sockaddr*)&addr, addrlen) == 0) {
    c->state = OPEN;
    connected++;
  } else if (errno == EINPROGRESS) {
    c->state = CONNECTING;
  } else if (errno == EAGAIN) {
    c->state = CONNECTING; /* AF_UNIX: the listen queue is full; connect again later */
    close(c->fd);
    c->fd = -1;
  } else {
    fail(c, errno);
  }
}

int main(int argc, char** argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s tcp PORT|unix PATH CLIENTS BYTES TIMEOUT_S\n", argv[0]);
    return 64;
  }
  signal(SIGPIPE, SIG_IGN);
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);

  memset(&addr, 0, sizeof addr);
  if (strcmp(argv[1], "tcp") == 0) {
    struct sockaddr_in* in = (struct sockaddr_in*)&addr;
    in->sin_family = AF_INET;
    in->sin_port = htons((uint16_t)atoi(argv[2]));
    in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addrlen = sizeof *in;
    domain = AF_INET;
  } else {
    struct sockaddr_un* un = (struct sockaddr_un*)&addr;
    un->sun_family = AF_UNIX;
    if (strlen(argv[2]) >= sizeof un->sun_path) return 64;
    strcpy(un->sun_path, argv[2]);
    addrlen = sizeof *un;
    domain = AF_UNIX;
  }
  size_t n = (size_t)atol(argv[3]);
  size_t bytes = (size_t)atol(argv[4]);
  double deadline = now() + atof(argv[5]);
  double t0 = now();

  uint64_t x = 0x9e3779b97f4a7c15ull; /* xorshift64: the pattern */
  for (size_t i = 0; i < sizeof pattern; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    pattern[i] = (unsigned char)(x >> 32);
  }
  memcpy(pattern + PATTERN, pattern, CHUNK); /* a stream read of CHUNK never wraps */

  struct client* cs = calloc(n, sizeof *cs);
  struct pollfd* pfd = calloc(n, sizeof *pfd);
  size_t* which = calloc(n, sizeof *which);
  if (!cs || !pfd || !which) return 70;
  for (size_t i = 0; i < n; i++) {
    cs[i].fd = -1;
    start(&cs[i]);
  }

  size_t first_back = 0, done = 0, mismatches = 0;
  size_t total_sent = 0, verified = 0;
  int barrier = 0;
  while (done + failed < n) {
    if (now() > deadline) break;
    int retry = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
      struct client* c = &cs[i];
      if (c->state == CONNECTING && c->fd < 0) {
        start(c);
        if (c->state == CONNECTING && c->fd < 0) retry = 1;
      }
      if (c->fd < 0 || c->state == DONE || c->state == FAILED) continue;
      short ev = 0;
      if (c->state == CONNECTING) ev = POLLOUT;
      else {
        ev = POLLIN;
        size_t limit = barrier ? bytes : (bytes < FIRST ? bytes : FIRST);
        if (c->sent < limit) ev |= POLLOUT;
      }
      pfd[m].fd = c->fd;
      pfd[m].events = ev;
      pfd[m].revents = 0;
      which[m++] = i;
    }
    int r = poll(pfd, m, retry ? 10 : 1000);
    if (r < 0) {
      if (errno == EINTR) continue;
      perror("poll");
      return 70;
    }
    for (size_t k = 0; k < m; k++) {
      struct client* c = &cs[which[k]];
      size_t i = which[k];
      short re = pfd[k].revents;
      if (!re) continue;
      if (c->state == CONNECTING) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) {
          fail(c, err);
          continue;
        }
        c->state = OPEN;
        connected++;
      }
      if ((re & POLLOUT) && c->state == OPEN) {
        size_t limit = barrier ? bytes : (bytes < FIRST ? bytes : FIRST);
        size_t want = limit - c->sent;
        if (want > CHUNK) want = CHUNK;
        if (want > 0) {
          ssize_t s = send(c->fd, stream(i, c->sent), want, MSG_NOSIGNAL);
          if (s > 0) {
            c->sent += (size_t)s;
            total_sent += (size_t)s;
          } else if (s < 0 && errno != EAGAIN) {
            fail(c, errno);
            continue;
          }
        }
        if (c->sent == bytes && !c->shut) {
          shutdown(c->fd, SHUT_WR);
          c->shut = 1;
        }
      }
      if (re & (POLLIN | POLLHUP | POLLERR)) {
        ssize_t got = recv(c->fd, buf, CHUNK, 0);
        if (got > 0) {
          if ((size_t)got > c->sent - c->received || memcmp(buf, stream(i, c->received), (size_t)got) != 0) {
            mismatches++;
            fail(c, EILSEQ);
            continue;
          }
          if (c->received == 0 && ++first_back == n) barrier = 1;
          c->received += (size_t)got;
          verified += (size_t)got;
        } else if (got == 0) {
          if (c->received == bytes) {
            close(c->fd);
            c->fd = -1;
            c->state = DONE;
            done++;
          } else {
            fail(c, ENODATA); /* end of file before every byte came back */
          }
        } else if (errno != EAGAIN) {
          fail(c, errno);
        }
      }
    }
    /* Clients that failed before their first byte came back must not hold the others forever. */
    if (!barrier && first_back + failed == n) barrier = 1;
  }

  printf("{\"clients\":%zu,\"connected\":%zu,\"answered\":%zu,\"bytesSent\":%zu,\"bytesVerified\":%zu,\"mismatches\":%zu,"
         "\"timedOut\":%s,\"ms\":%.0f,\"errors\":{",
         n, connected, done, total_sent, verified, mismatches, done + failed < n ? "true" : "false", (now() - t0) * 1000);
  for (int e = 0; e < NERR && errors[e].count; e++) printf("%s\"%s\":%ld", e ? "," : "", strerrorname_np(errors[e].code), errors[e].count);
  printf("}}\n");
  for (size_t i = 0; i < n; i++) {
    if (cs[i].fd >= 0) close(cs[i].fd);
  }
  return done == n ? 0 : 1;
}
