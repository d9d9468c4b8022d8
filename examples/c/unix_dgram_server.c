/* Seed 000, datagrams over AF_UNIX (server): answer each datagram to its sender's address. The
 * twin of examples/unix-dgram-server.ts.
 * Usage: unix_dgram_server <path> [messages=1] */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* The sender's name as ss(8) shows it: a path, @name for a Linux abstract name, or (unnamed). */
static void print_name(const struct sockaddr_un *a, socklen_t len) {
  size_t n = len > offsetof(struct sockaddr_un, sun_path) ? len - offsetof(struct sockaddr_un, sun_path) : 0;
  if (n == 0) printf("(unnamed)");
  else if (a->sun_path[0] == '\0') printf("@%.*s", (int)(n - 1), a->sun_path + 1);
  else printf("%.*s", (int)strnlen(a->sun_path, n), a->sun_path);
}

int main(int argc, char *argv[]) {
  const char *path = argc > 1 ? argv[1] : "unix_dgram_socket";
  int messages = argc > 2 ? atoi(argv[2]) : 1;
  struct sockaddr_un addr;
  if (strlen(path) >= sizeof addr.sun_path) {
    fprintf(stderr, "path too long for sun_path\n");
    return 1;
  }
  unlink(path);
  int sockfd = socket(AF_UNIX, SOCK_DGRAM, 0);
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  strcpy(addr.sun_path, path);
  if (bind(sockfd, (struct sockaddr *)&addr, sizeof addr) < 0) {
    perror("bind");
    return 1;
  }
  printf("Server bound to %s\n", path);
  fflush(stdout);
  char buf[257], reply[300];
  for (int i = 0; messages == 0 || i < messages; i++) {
    struct sockaddr_un src;
    socklen_t len = sizeof src;
    ssize_t n = recvfrom(sockfd, buf, 256, 0, (struct sockaddr *)&src, &len);
    if (n < 0) continue;
    buf[n] = '\0';
    printf("Received: %s from ", buf);
    print_name(&src, len);
    printf("\n");
    fflush(stdout);
    if (len > offsetof(struct sockaddr_un, sun_path)) { /* an unnamed sender cannot be answered */
      int m = snprintf(reply, sizeof reply, "Echo: %s", buf);
      sendto(sockfd, reply, m, 0, (struct sockaddr *)&src, len);
    }
  }
  close(sockfd);
  unlink(path);
  return 0;
}
