// Shared helpers of the C workloads (the limit every other column is compared with).
// Each program times only its own loop, after its peer is up, and prints one JSON line on stdout:
//   {"workload":"percall","value":512.3,"n":1000000}
#pragma once
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static inline double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static inline void die(const char* what) {
  fprintf(stderr, "%s: %s\n", what, strerror(errno));
  exit(1);
}

// The workload's size: argv[1] if given, else the default.
static inline long arg_count(int argc, char** argv, long fallback) {
  return argc > 1 ? atol(argv[1]) : fallback;
}

// value is in the workload's unit (ns per pair, GB/s, µs per trip, per second).
static inline void report(const char* workload, double value, long n) {
  printf("{\"workload\":\"%s\",\"value\":%.6g,\"n\":%ld}\n", workload, value, n);
  fflush(stdout);
}

// Writes all of buf (a pipe or stream may take it in parts).
static inline void write_all(int fd, const char* buf, size_t len) {
  while (len > 0) {
    ssize_t k = write(fd, buf, len);
    if (k < 0) die("write");
    buf += k;
    len -= (size_t)k;
  }
}

// Reads exactly len bytes, or dies at end of file.
static inline void read_exact(int fd, char* buf, size_t len) {
  while (len > 0) {
    ssize_t k = read(fd, buf, len);
    if (k <= 0) die(k == 0 ? "read: end of file" : "read");
    buf += k;
    len -= (size_t)k;
  }
}

enum { CHUNK = 64 * 1024, WARMUP_TRIPS = 1000 };

// A TCP listener on 127.0.0.1 and an ephemeral port; fills *a with its address.
static inline int listen_loopback(struct sockaddr_in* a) {
  int l = socket(AF_INET, SOCK_STREAM, 0);
  if (l < 0) die("socket");
  socklen_t alen = sizeof *a;
  *a = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(l, (struct sockaddr*)a, sizeof *a) != 0 || listen(l, 128) != 0) die("bind/listen");
  if (getsockname(l, (struct sockaddr*)a, &alen) != 0) die("getsockname");
  return l;
}
